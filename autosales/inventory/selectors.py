"""Reads of the catalogue and of vehicles in stock, within what the user may see."""

import datetime

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from autosales.core.access import scope

from .choices import STOCK_STATUSES, VehicleStatus
from .models import Brand, CarModel, Colour, Trim, Vehicle

AGE_BUCKETS = ((0, 30), (31, 60), (61, 90), (91, None))


def vehicle_list(*, user, today: datetime.date | None = None) -> QuerySet:
    """Vehicles the user may see, with catalogue and store joined and ``stock_age`` (a duration) in SQL.

    ``stock_age`` is set only for vehicles that are the dealer's stock (in stock or reserved).
    """
    today = today or timezone.localdate()
    age = ExpressionWrapper(
        Value(today, output_field=DateField()) - F("arrival_date"), output_field=DurationField()
    )
    return scope(
        user,
        Vehicle.objects.select_related("trim__car_model__brand", "colour", "store").annotate(
            stock_age_sql=Case(
                When(status__in=STOCK_STATUSES, arrival_date__isnull=False, then=age),
                default=None,
                output_field=DurationField(),
            )
        ),
    )


def vehicle_get(*, user, pk) -> Vehicle:
    return vehicle_list(user=user).get(pk=pk)


def vehicle_search(*, user, query: str, limit: int = 10) -> list[Vehicle]:
    """Vehicles by full VIN or by its last six characters (indexed); otherwise by the end of the VIN."""
    value = (query or "").strip().upper().replace(" ", "")
    if len(value) < 4 or not value.isalnum():
        return []
    qs = scope(user, Vehicle.objects.select_related("trim__car_model__brand", "store"))
    if len(value) == 17:
        qs = qs.filter(vin=value)
    elif len(value) == 6:
        qs = qs.filter(vin_tail=value)
    else:
        qs = qs.filter(vin__endswith=value)
    return list(qs.order_by("-id")[:limit])


def stock_by_status(*, user) -> list[dict]:
    """Number of vehicles per status (dealer statuses only), in workflow order, one SQL query."""
    rows = (
        scope(user, Vehicle.objects.exclude(status=VehicleStatus.EXTERNAL))
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    return [
        {"status": status, "label": label, "count": counts.get(status, 0)}
        for status, label in VehicleStatus.choices
        if status != VehicleStatus.EXTERNAL
    ]


def stock_age_buckets(*, user, today: datetime.date | None = None) -> list[dict]:
    """Vehicles in stock per age bucket (0–30, 31–60, 61–90, 90+ days), one SQL query."""
    today = today or timezone.localdate()
    aggregates = {}
    for low, high in AGE_BUCKETS:
        condition = Q(arrival_date__lte=today - datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(arrival_date__gte=today - datetime.timedelta(days=high))
        aggregates[f"b{low}"] = Count("id", filter=condition)
    totals = scope(
        user, Vehicle.objects.filter(status__in=STOCK_STATUSES, arrival_date__isnull=False)
    ).aggregate(**aggregates)
    return [
        {
            "low": low,
            "high": high,
            "label": f"{low}–{high}" if high is not None else f"{low - 1}+",
            "count": totals[f"b{low}"],
            # The arrival dates of the bucket, for a link to the vehicle list.
            "arrived_after": today - datetime.timedelta(days=high) if high is not None else None,
            "arrived_before": today - datetime.timedelta(days=low),
        }
        for low, high in AGE_BUCKETS
    ]


def brand_list(*, user) -> QuerySet:
    return scope(user, Brand.objects.annotate(model_count=Count("models", distinct=True)))


def car_model_list(*, user) -> QuerySet:
    return scope(user, CarModel.objects.select_related("brand").annotate(trim_count=Count("trims")))


def colour_list(*, user) -> QuerySet:
    return scope(user, Colour.objects.all())


def trim_list(*, user) -> QuerySet:
    return scope(user, Trim.objects.select_related("car_model__brand"))
