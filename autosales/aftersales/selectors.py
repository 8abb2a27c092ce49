"""After-sales reads: due lists, dashboards, customer and vehicle history, value facts.

Everything a user sees goes through ``core.access.scope``; aggregates are computed in SQL and the
history pages load in a fixed number of queries whatever the number of rows.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from autosales.core.access import can_read_model, can_see_cost, scope
from autosales.core.choices import Role
from autosales.core.models import Event, content_type_for
from autosales.core.money import ZERO, ratio
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Vehicle
from autosales.sales.models import Activity, Delivery, Order, OrderLine, VehicleAllocation

from .choices import ComplaintStatus, FollowUpStatus, ReminderStatus, ServiceStatus
from .models import Complaint, FollowUpCall, Reminder, ServiceOrder

OPEN_COMPLAINT_STATUSES = (ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS)
OPEN_REMINDER_STATUSES = (ReminderStatus.DUE, ReminderStatus.POSTPONED)
OPEN_CALL_STATUSES = (FollowUpStatus.DUE, FollowUpStatus.UNREACHABLE)
ACTIVE_SERVICE_STATUSES = (ServiceStatus.OPEN, ServiceStatus.IN_PROGRESS, ServiceStatus.READY)

MONEY = {"output_field": ServiceOrder._meta.get_field("labour_revenue")}
REVENUE = F("labour_revenue") + F("parts_revenue") - F("discount")
GROSS_PROFIT = REVENUE + F("warranty_claim") - F("labour_cost") - F("parts_cost")


def _mine(user, advisor_field: str) -> Q:
    """An after-sales advisor's own rows plus the store's unassigned ones; managers see the whole scope."""
    if getattr(user, "role", None) == Role.AFTERSALES and not user.is_superuser:
        return Q(**{advisor_field: user}) | Q(**{f"{advisor_field}__isnull": True})
    return Q()


# --- lists ----------------------------------------------------------------------------------------


def service_order_list(*, user):
    return scope(user, ServiceOrder.objects.all()).select_related("customer", "vehicle", "advisor", "store")


def reminder_list(*, user):
    return scope(user, Reminder.objects.all()).select_related(
        "customer", "vehicle__trim__car_model", "advisor", "store"
    )


def complaint_list(*, user):
    return scope(user, Complaint.objects.all()).select_related("customer", "owner", "store", "service_order")


def follow_up_list(*, user):
    return scope(user, FollowUpCall.objects.all()).select_related(
        "customer", "caller", "order", "service_order", "store"
    )


def reminders_due(*, user, on: datetime.date | None = None):
    """Open reminders whose (postponed) date has come, for the user's due list."""
    on = on or timezone.localdate()
    return (
        reminder_list(user=user)
        .filter(
            Q(status=ReminderStatus.DUE, due_date__lte=on)
            | Q(status=ReminderStatus.POSTPONED, postponed_to__lte=on)
        )
        .filter(_mine(user, "advisor"))
        .order_by("due_date", "id")
    )


def follow_ups_due(*, user, on: datetime.date | None = None):
    """Calls due by ``on`` not yet made, or to try again after the customer was unreachable."""
    on = on or timezone.localdate()
    return (
        follow_up_list(user=user)
        .filter(status__in=OPEN_CALL_STATUSES, due_date__lte=on)
        .filter(_mine(user, "caller"))
        .order_by("due_date", "id")
    )


def complaints_overdue(*, user, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return (
        complaint_list(user=user)
        .filter(status__in=OPEN_COMPLAINT_STATUSES, due_date__lt=today)
        .order_by("due_date", "id")
    )


def reminders_due_for_command(*, on: datetime.date, store=None):
    """Today's due list for the cron job, every store (or one), grouped by advisor then date."""
    qs = Reminder.objects.filter(
        Q(status=ReminderStatus.DUE, due_date__lte=on)
        | Q(status=ReminderStatus.POSTPONED, postponed_to__lte=on)
    ).select_related("customer", "vehicle", "advisor", "store")
    if store is not None:
        qs = qs.filter(store=store)
    return qs.order_by("store__code", "advisor__username", "due_date", "id")


# --- dashboard ------------------------------------------------------------------------------------


@dataclass
class ServiceKpis:
    start: datetime.date
    end: datetime.date
    closed_orders: int = 0
    revenue: Decimal = ZERO
    gross_profit: Decimal | None = None
    active_orders: int = 0
    vehicles_sold: int = 0
    vehicles_retained: int = 0
    retention: Decimal = Decimal("0")
    average_satisfaction: Decimal | None = None
    surveys: int = 0
    open_complaints: int = 0
    overdue_complaints: int = 0
    extra: dict = field(default_factory=dict)


def service_kpis(*, user, start: datetime.date, end: datetime.date) -> ServiceKpis:
    """Service revenue and gross profit of orders closed in [start, end] (local dates), retention (share of
    vehicles sold and delivered that had a service here in the last 12 months), the average satisfaction
    of calls made in the period, and open and overdue complaints. Four queries."""
    kpis = ServiceKpis(start=start, end=end)
    orders = scope(user, ServiceOrder.objects.all())
    totals = orders.aggregate(
        closed=Count("id", filter=Q(status=ServiceStatus.CLOSED, closed_at__date__range=(start, end))),
        active=Count("id", filter=Q(status__in=ACTIVE_SERVICE_STATUSES)),
        revenue=Coalesce(
            Sum(REVENUE, filter=Q(status=ServiceStatus.CLOSED, closed_at__date__range=(start, end)), **MONEY),
            ZERO,
            **MONEY,
        ),
        gross_profit=Coalesce(
            Sum(
                GROSS_PROFIT,
                filter=Q(status=ServiceStatus.CLOSED, closed_at__date__range=(start, end)),
                **MONEY,
            ),
            ZERO,
            **MONEY,
        ),
    )
    kpis.closed_orders, kpis.active_orders = totals["closed"], totals["active"]
    kpis.revenue = totals["revenue"]
    if can_see_cost(user):
        kpis.gross_profit = totals["gross_profit"]

    year_ago = timezone.now() - datetime.timedelta(days=365)
    serviced = ServiceOrder.objects.filter(vehicle=OuterRef("pk"), opened_at__gte=year_ago).exclude(
        status=ServiceStatus.CANCELLED
    )
    fleet = (
        scope(user, Vehicle.objects.filter(status=VehicleStatus.DELIVERED))
        .annotate(serviced=Exists(serviced))
        .aggregate(total=Count("id"), retained=Count("id", filter=Q(serviced=True)))
    )
    kpis.vehicles_sold, kpis.vehicles_retained = fleet["total"], fleet["retained"]
    kpis.retention = ratio(kpis.vehicles_retained, kpis.vehicles_sold)

    survey = scope(user, FollowUpCall.objects.all()).aggregate(
        avg=Avg("score", filter=Q(status=FollowUpStatus.DONE, called_at__date__range=(start, end))),
        n=Count("id", filter=Q(status=FollowUpStatus.DONE, called_at__date__range=(start, end))),
    )
    kpis.surveys = survey["n"]
    if survey["avg"] is not None:
        kpis.average_satisfaction = Decimal(str(survey["avg"])).quantize(Decimal("0.01"))

    today = timezone.localdate()
    complaints = scope(user, Complaint.objects.filter(status__in=OPEN_COMPLAINT_STATUSES)).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))
    )
    kpis.open_complaints, kpis.overdue_complaints = complaints["open"], complaints["overdue"]
    return kpis


def service_dashboard(*, user, start: datetime.date, end: datetime.date, limit: int = 8) -> dict:
    """What the after-sales overview and the home widget show: the user's due reminders and calls,
    overdue complaints (first ``limit`` of each with counts) and the period's KPIs, each only if the
    user's role may read it."""
    data = {"start": start, "end": end, "is_advisor": user.role == Role.AFTERSALES and not user.is_superuser}
    if can_read_model(user, Reminder):
        due = reminders_due(user=user)
        data["reminders"], data["reminders_count"] = list(due[:limit]), due.count()
    if can_read_model(user, FollowUpCall):
        calls = follow_ups_due(user=user)
        data["calls"], data["calls_count"] = list(calls[:limit]), calls.count()
    if can_read_model(user, Complaint):
        overdue = complaints_overdue(user=user)
        data["overdue"], data["overdue_count"] = list(overdue[:limit]), overdue.count()
    if can_read_model(user, ServiceOrder):
        data["kpis"] = service_kpis(user=user, start=start, end=end)
    return data


# --- value facts ----------------------------------------------------------------------------------


def aftersales_value_by_customer(
    *, start: datetime.date | None = None, end: datetime.date | None = None, customer_ids=None
) -> dict[int, dict]:
    """Per customer: after-sales revenue, gross profit (warranty claims included), closed visits and the
    last visit date, from service orders closed in [start, end]. One query; not scoped (analytics input)."""
    qs = ServiceOrder.objects.filter(status=ServiceStatus.CLOSED)
    if start:
        qs = qs.filter(closed_at__date__gte=start)
    if end:
        qs = qs.filter(closed_at__date__lte=end)
    if customer_ids is not None:
        qs = qs.filter(customer_id__in=customer_ids)
    rows = (
        qs.values("customer_id")
        .annotate(
            revenue=Sum(REVENUE, **MONEY),
            gross_profit=Sum(GROSS_PROFIT, **MONEY),
            visits=Count("id"),
            last_visit=Max("closed_at"),
        )
        .order_by()
    )
    return {
        row["customer_id"]: {
            "revenue": row["revenue"] or ZERO,
            "gross_profit": row["gross_profit"] or ZERO,
            "visits": row["visits"],
            "last_visit": timezone.localtime(row["last_visit"]).date() if row["last_visit"] else None,
        }
        for row in rows
    }


# --- history --------------------------------------------------------------------------------------


@dataclass
class History:
    orders: list
    service_orders: list
    complaints: list
    follow_up_calls: list
    reminders: list
    activities: list = field(default_factory=list)
    customers: list = field(default_factory=list)

    @property
    def service_revenue(self) -> Decimal:
        return sum(
            (o.revenue for o in self.service_orders if o.status == ServiceStatus.CLOSED),
            ZERO,
        )

    @property
    def service_gross_profit(self) -> Decimal:
        return sum(
            (o.gross_profit for o in self.service_orders if o.status == ServiceStatus.CLOSED),
            ZERO,
        )

    @property
    def average_score(self) -> Decimal | None:
        scores = [c.score for c in self.follow_up_calls if c.score is not None]
        if not scores:
            return None
        return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"))

    @property
    def timeline(self) -> list[tuple]:
        """(moment, kind, object) newest first, built from what is already loaded."""
        tz = timezone.get_current_timezone()

        def at(day):
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), tz)

        items = [(at(o.order_date), "order", o) for o in self.orders]
        items += [(s.opened_at, "service", s) for s in self.service_orders]
        items += [(c.created_at, "complaint", c) for c in self.complaints]
        items += [(c.called_at or at(c.due_date), "call", c) for c in self.follow_up_calls]
        items += [(a.occurred_at, "activity", a) for a in self.activities]
        return sorted(items, key=lambda item: item[0], reverse=True)


def _visible_orders(user, base):
    """Orders the user may read, plus those reached through a delivery the user may read (after-sales
    advisors read deliveries but not the sales pipeline)."""
    readable = scope(user, Order.objects.all()).values("pk")
    delivered = scope(user, Delivery.objects.all()).values("order_id")
    lines = OrderLine.objects.select_related("vehicle", "trim__car_model__brand").order_by("id")
    return (
        base.filter(Q(pk__in=readable) | Q(pk__in=delivered))
        .select_related("salesperson", "store", "customer")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("-order_date", "-id")
    )


def _service_orders(user, base):
    return (
        scope(user, base)
        .select_related("vehicle__trim__car_model__brand", "advisor", "customer", "store")
        .prefetch_related("jobs", "parts")
        .order_by("-opened_at", "-id")
    )


def history_subject(*, user, model, pk):
    """The customer or vehicle whose history ``user`` may open: one in the user's scope, or one the user's
    service orders are about (a vehicle sold by another store of the group, serviced here). None otherwise."""
    field = "vehicle" if model is Vehicle else "customer"
    serviced = scope(user, ServiceOrder.objects.filter(**{f"{field}_id": OuterRef("pk")}))
    return (
        model.objects.filter(pk=pk)
        .filter(Q(pk__in=scope(user, model.objects.all()).values("pk")) | Q(Exists(serviced)))
        .first()
    )


def customer_history(*, user, customer) -> History:
    """Everything the user may see about one customer: purchases (orders with lines), services (with jobs
    and parts), complaints, follow-up calls, reminders and sales activities. Nine queries."""
    return History(
        orders=list(_visible_orders(user, Order.objects.filter(customer=customer))),
        service_orders=list(_service_orders(user, ServiceOrder.objects.filter(customer=customer))),
        complaints=list(
            scope(user, Complaint.objects.filter(customer=customer)).select_related("owner", "service_order")
        ),
        follow_up_calls=list(
            scope(user, FollowUpCall.objects.filter(customer=customer)).select_related(
                "caller", "order", "service_order"
            )
        ),
        reminders=list(
            scope(user, Reminder.objects.filter(customer=customer)).select_related("vehicle", "advisor")
        ),
        activities=list(
            scope(user, Activity.objects.filter(customer=customer))
            .select_related("user")
            .order_by("-occurred_at")
        ),
    )


def vehicle_history(*, user, vehicle) -> History:
    """The vehicle's sale, services, complaints and calls about them, and reminders. Eight queries."""
    order_ids = Q(pk__in=OrderLine.objects.filter(vehicle=vehicle).values("order_id")) | Q(
        pk__in=VehicleAllocation.objects.filter(vehicle=vehicle).values("order_id")
    )
    orders = list(_visible_orders(user, Order.objects.filter(order_ids)))
    ids = [o.pk for o in orders]
    about = Q(service_order__vehicle=vehicle) | Q(order_id__in=ids)
    services = list(_service_orders(user, ServiceOrder.objects.filter(vehicle=vehicle)))
    customers = {o.customer_id: o.customer for o in [*orders, *services]}
    return History(
        orders=orders,
        service_orders=services,
        complaints=list(
            scope(user, Complaint.objects.filter(about)).select_related("owner", "service_order", "customer")
        ),
        follow_up_calls=list(
            scope(user, FollowUpCall.objects.filter(about)).select_related(
                "caller", "order", "service_order", "customer"
            )
        ),
        reminders=list(
            scope(user, Reminder.objects.filter(vehicle=vehicle)).select_related("advisor", "customer")
        ),
        customers=list(customers.values()),
    )


def service_order_events(service_order):
    return Event.objects.filter(
        content_type=content_type_for(ServiceOrder), object_id=service_order.pk
    ).select_related("actor")
