"""Follow-up calls after deliveries and services, and recording their outcome."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from autosales.core.events import event_record
from autosales.core.exceptions import DomainError
from autosales.core.services import model_create
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Vehicle
from autosales.sales.choices import AllocationStatus, OrderStatus
from autosales.sales.models import Order, OrderLine, VehicleAllocation

from ..choices import (
    ComplaintCategory,
    FollowUpKind,
    FollowUpStatus,
    ServiceStatus,
    Severity,
)
from ..models import AfterSalesSettings, FollowUpCall, ServiceOrder
from ._common import _locked
from .complaints import complaint_open
from .reminders import reminder_schedule


def _call_create(*, kind, due_date, customer, store, actor, order=None, service_order=None, caller=None):
    """Create one follow-up call unless it exists; the unique constraints settle races."""
    lookup = {"order": order} if order is not None else {"service_order": service_order}
    existing = FollowUpCall.objects.filter(kind=kind, **lookup).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            call = model_create(
                FollowUpCall,
                actor=actor,
                action="follow_up.scheduled",
                data={
                    "kind": kind,
                    "due_date": due_date,
                    "customer": customer,
                    "store": store,
                    "order": order,
                    "service_order": service_order,
                    "caller": caller,
                },
            )
        return call, True
    except IntegrityError:
        return FollowUpCall.objects.get(kind=kind, **lookup), False


def _delivered_vehicles(order: Order):
    """The order's vehicles handed over so far (by allocation, or named on a line and marked delivered)."""
    allocated = VehicleAllocation.objects.filter(order=order, status=AllocationStatus.DELIVERED)
    on_lines = OrderLine.objects.filter(order=order, vehicle__isnull=False)
    return (
        Vehicle.objects.filter(
            Q(pk__in=allocated.values("vehicle"))
            | Q(pk__in=on_lines.values("vehicle"), status=VehicleStatus.DELIVERED)
        )
        .select_related("trim")
        .order_by("pk")
    )


def followups_for_delivery(
    *, order: Order, delivered_on: datetime.date, actor, vehicles=None
) -> list[FollowUpCall]:
    """Schedule the two follow-up calls after a delivery (days from the after-sales settings), and
    the first maintenance reminder of each delivered vehicle (``vehicles``, by default every vehicle
    of the order delivered so far).

    Idempotent: calling it again, or for the next batch of a fleet order, adds only what is missing.
    """
    calls = []
    rules = AfterSalesSettings.current()
    with transaction.atomic():
        for kind in (FollowUpKind.DELIVERY_DAY3, FollowUpKind.DELIVERY_DAY30):
            call, _created = _call_create(
                kind=kind,
                due_date=delivered_on + datetime.timedelta(days=rules.follow_up_days(kind)),
                customer=order.customer,
                store=order.store,
                order=order,
                actor=actor,
            )
            calls.append(call)
        for vehicle in _delivered_vehicles(order) if vehicles is None else vehicles:
            reminder_schedule(
                vehicle=vehicle,
                customer=order.customer,
                store=order.store,
                last_date=delivered_on,
                last_mileage_km=0,
                actor=actor,
            )
    return calls


def followups_for_service(*, service_order: ServiceOrder, actor) -> FollowUpCall:
    """Schedule the follow-up call after a closed service order (idempotent; days from the settings)."""
    closed_on = timezone.localtime(service_order.closed_at or timezone.now()).date()
    call, _created = _call_create(
        kind=FollowUpKind.SERVICE_DAY3,
        due_date=closed_on + datetime.timedelta(days=AfterSalesSettings.current().service_call_days),
        customer=service_order.customer,
        store=service_order.store,
        service_order=service_order,
        caller=service_order.advisor,
        actor=actor,
    )
    return call


def followups_generate_missing(
    *, actor=None, since_days: int = 60, today: datetime.date | None = None
) -> int:
    """Create the follow-up calls that deliveries and closed services of the last ``since_days`` days
    should have but lack, so nothing depends on the delivery code calling us in time. Returns how many."""
    today = today or timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=since_days)
    created = 0
    orders = (
        Order.objects.filter(status__in=[OrderStatus.DELIVERED, OrderStatus.CLOSED], is_historical=False)
        .annotate(delivered_at=Max("deliveries__handed_over_at"))
        .filter(delivered_at__gte=since)
        .exclude(
            Q(follow_up_calls__kind=FollowUpKind.DELIVERY_DAY3)
            & Q(pk__in=FollowUpCall.objects.filter(kind=FollowUpKind.DELIVERY_DAY30).values("order"))
        )
        .select_related("customer", "store")
    )
    for order in orders:
        before = FollowUpCall.objects.filter(order=order).count()
        followups_for_delivery(
            order=order, delivered_on=timezone.localtime(order.delivered_at).date(), actor=actor
        )
        created += FollowUpCall.objects.filter(order=order).count() - before
    services = (
        ServiceOrder.objects.filter(status=ServiceStatus.CLOSED, closed_at__gte=since)
        .exclude(follow_up_calls__kind=FollowUpKind.SERVICE_DAY3)
        .select_related("customer", "store", "advisor")
    )
    for service_order in services:
        followups_for_service(service_order=service_order, actor=actor)
        created += 1
    return created


def _validated_score(score) -> int:
    if score is None or score == "":
        raise DomainError({"score": _("Record the customer's satisfaction score from 1 to 5.")})
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError) as exc:
        raise DomainError({"score": _("The satisfaction score is from 1 to 5.")}) from exc
    if str(value) != str(score).strip() or not 1 <= value <= 5:
        raise DomainError({"score": _("The satisfaction score is from 1 to 5.")})
    return value


def follow_up_record(
    *, call: FollowUpCall, actor, status: str = FollowUpStatus.DONE, score=None, outcome: str = ""
) -> FollowUpCall:
    """Record a follow-up call: reached with a score 1–5 and an outcome, or unreachable (to try again).

    A score at or below the after-sales settings' ``low_score_threshold`` opens a complaint linked to
    the call.
    """
    if status not in (FollowUpStatus.DONE, FollowUpStatus.UNREACHABLE):
        raise DomainError({"status": _("Choose whether the customer was reached.")})
    value = _validated_score(score) if status == FollowUpStatus.DONE else None
    with transaction.atomic():
        locked = _locked(FollowUpCall, call.pk)
        if locked.status == FollowUpStatus.DONE:
            raise DomainError(_("This follow-up call is already recorded."))
        old = locked.status
        locked.status = status
        locked.score = value
        locked.outcome = (outcome or "").strip()
        locked.caller = actor if getattr(actor, "pk", None) else locked.caller
        locked.called_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["status", "score", "outcome", "caller", "called_at", "updated_at"])
        event_record(
            target=locked,
            action="follow_up.recorded",
            actor=actor,
            from_state=old,
            to_state=status,
            data={"score": value},
        )
        if value is not None and value <= AfterSalesSettings.current().low_score_threshold:
            is_service = locked.service_order_id is not None
            complaint_open(
                customer=locked.customer,
                store=locked.store,
                category=ComplaintCategory.SERVICE_QUALITY if is_service else ComplaintCategory.DELIVERY,
                severity=Severity.HIGH if value == 1 else Severity.MEDIUM,
                description=str(
                    _("Satisfaction %(score)s/5 on the follow-up call (%(kind)s): %(outcome)s")
                    % {
                        "score": value,
                        "kind": locked.get_kind_display(),
                        "outcome": locked.outcome or "—",
                    }
                ),
                owner=(locked.service_order.advisor if is_service else None) or locked.caller,
                order=locked.order,
                service_order=locked.service_order,
                follow_up_call=locked,
                actor=actor,
            )
    call.refresh_from_db()
    return locked
