"""After-sales writes: service orders, maintenance reminders, follow-up calls and complaints.

Every function here is the only way its change of state happens: it validates first, changes rows
inside one transaction (rows that users could race on are locked), and writes an event per change.
"""

import calendar
import datetime
import math
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from autosales.core.events import event_record
from autosales.core.exceptions import DomainError
from autosales.core.money import ZERO, to_money
from autosales.core.numbering import number_next
from autosales.core.services import model_create, model_update
from autosales.core.validators import normalize_vin
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Vehicle
from autosales.inventory.services import vehicle_create
from autosales.sales.choices import AllocationStatus, OrderStatus
from autosales.sales.models import Order, OrderLine, VehicleAllocation

from .choices import (
    LOW_SCORE_THRESHOLD,
    SEVERITY_DUE_DAYS,
    ComplaintCategory,
    ComplaintStatus,
    FollowUpKind,
    FollowUpStatus,
    ReminderStatus,
    ServiceKind,
    ServiceStatus,
    Severity,
)
from .models import Complaint, FollowUpCall, MaintenanceRule, Reminder, ServiceJob, ServiceOrder, ServicePart

# Allowed moves of a service order; READY → IN_PROGRESS is rework found at hand-over.
SERVICE_TRANSITIONS = {
    ServiceStatus.OPEN: {ServiceStatus.IN_PROGRESS, ServiceStatus.CANCELLED},
    ServiceStatus.IN_PROGRESS: {ServiceStatus.READY, ServiceStatus.CANCELLED},
    ServiceStatus.READY: {ServiceStatus.IN_PROGRESS, ServiceStatus.CLOSED},
    ServiceStatus.CLOSED: set(),
    ServiceStatus.CANCELLED: set(),
}
# States in which jobs, parts and the discount may still change.
EDITABLE_SERVICE_STATUSES = (ServiceStatus.OPEN, ServiceStatus.IN_PROGRESS)
SERVICEABLE_VEHICLE_STATUSES = (VehicleStatus.DELIVERED, VehicleStatus.EXTERNAL)

COMPLAINT_TRANSITIONS = {
    ComplaintStatus.OPEN: {ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED},
    ComplaintStatus.IN_PROGRESS: {ComplaintStatus.RESOLVED},
    ComplaintStatus.RESOLVED: {ComplaintStatus.CLOSED, ComplaintStatus.IN_PROGRESS},
    ComplaintStatus.CLOSED: set(),
}

REMINDER_TRANSITIONS = {
    ReminderStatus.DUE: {ReminderStatus.DONE, ReminderStatus.POSTPONED, ReminderStatus.REFUSED},
    ReminderStatus.POSTPONED: {ReminderStatus.DONE, ReminderStatus.POSTPONED, ReminderStatus.REFUSED},
    ReminderStatus.DONE: set(),
    ReminderStatus.REFUSED: set(),
}

FOLLOW_UP_OFFSETS = {
    FollowUpKind.DELIVERY_DAY3: 3,
    FollowUpKind.DELIVERY_DAY30: 30,
    FollowUpKind.SERVICE_DAY3: 3,
}

DEFAULT_INTERVAL_KM = 10000
DEFAULT_INTERVAL_MONTHS = 12


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _check_transition(table, current, target, label):
    if target not in table.get(current, set()):
        raise DomainError(
            _("A %(what)s cannot go from “%(from)s” to “%(to)s”.")
            % {
                "what": label,
                "from": current.label if hasattr(current, "label") else current,
                "to": target.label,
            }
        )


def _decimal(value, field):
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError) as exc:
        raise DomainError({field: _("Enter a number.")}) from exc
    if not number.is_finite():
        raise DomainError({field: _("Enter a number.")})
    return number


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# --- service orders -------------------------------------------------------------------------------


def _vehicle_for_service(*, store, vin: str, vehicle_description: str, plate_number: str, actor) -> Vehicle:
    vin = normalize_vin(vin)
    if not vin:
        raise DomainError({"vin": _("Enter the vehicle's VIN.")})
    vehicle = Vehicle.objects.filter(vin=vin).first()
    if vehicle is None:
        # A vehicle bought elsewhere: registered once, then known by its VIN.
        return vehicle_create(
            actor=actor,
            vin=vin,
            store=store,
            status=VehicleStatus.EXTERNAL,
            description=vehicle_description.strip(),
            plate_number=plate_number.strip(),
        )
    return vehicle


def service_order_open(
    *,
    store,
    customer,
    mileage_km,
    actor,
    vehicle: Vehicle | None = None,
    vin: str = "",
    kind: str = ServiceKind.MAINTENANCE,
    advisor=None,
    complaint_text: str = "",
    vehicle_description: str = "",
    plate_number: str = "",
    opened_at: datetime.datetime | None = None,
) -> ServiceOrder:
    """Open a service order for a delivered vehicle or a customer's outside vehicle.

    An unknown VIN is registered as an external vehicle. The mileage may not be lower than
    the last one recorded for the vehicle. Nothing is saved when any check fails.
    """
    try:
        mileage = int(mileage_km)
    except (TypeError, ValueError) as exc:
        raise DomainError({"mileage_km": _("Enter the mileage in whole kilometres.")}) from exc
    if mileage < 0:
        raise DomainError({"mileage_km": _("The mileage cannot be negative.")})
    if kind not in ServiceKind.values:
        raise DomainError({"kind": _("Choose a kind of service.")})
    with transaction.atomic():
        if vehicle is None:
            vehicle = _vehicle_for_service(
                store=store,
                vin=vin,
                vehicle_description=vehicle_description,
                plate_number=plate_number,
                actor=actor,
            )
        vehicle = _locked(Vehicle, vehicle.pk)  # serialises two orders opened for one vehicle
        if vehicle.status not in SERVICEABLE_VEHICLE_STATUSES:
            raise DomainError(
                {
                    "vin": _(
                        "Vehicle %(vin)s is %(status)s; service orders are for delivered or outside vehicles."
                    )
                    % {"vin": vehicle.vin, "status": vehicle.get_status_display()}
                }
            )
        opened_at = opened_at or timezone.now()
        number = number_next(store=store, kind="service", year=timezone.localtime(opened_at).year)
        return model_create(
            ServiceOrder,
            actor=actor,
            action="service.opened",
            data={
                "number": number,
                "store": store,
                "customer": customer,
                "vehicle": vehicle,
                "advisor": advisor or (actor if getattr(actor, "pk", None) else None),
                "kind": kind,
                "status": ServiceStatus.OPEN,
                "mileage_km": mileage,
                "opened_at": opened_at,
                "complaint_text": complaint_text.strip(),
            },
        )


def _service_order_recalculate(service_order: ServiceOrder) -> None:
    """Recompute the denormalised totals from the order's lines (each line rounded to the cent)."""
    labour_revenue = labour_cost = parts_revenue = parts_cost = warranty = ZERO
    for job in service_order.jobs.all():
        cost = to_money(job.labour_hours * job.cost_rate)
        labour_cost += cost
        if job.is_warranty:
            warranty += cost  # the maker reimburses warranty work at cost
        else:
            labour_revenue += to_money(job.labour_hours * job.labour_rate)
    for part in service_order.parts.all():
        cost = to_money(part.quantity * part.unit_cost)
        parts_cost += cost
        if part.is_warranty:
            warranty += cost
        else:
            parts_revenue += to_money(part.quantity * part.unit_price)
    service_order.labour_revenue = labour_revenue
    service_order.labour_cost = labour_cost
    service_order.parts_revenue = parts_revenue
    service_order.parts_cost = parts_cost
    service_order.warranty_claim = warranty
    if service_order.discount > labour_revenue + parts_revenue:
        raise DomainError(
            {"discount": _("The discount would exceed the labour and parts billed to the customer.")}
        )
    service_order.save(
        update_fields=[
            "labour_revenue",
            "labour_cost",
            "parts_revenue",
            "parts_cost",
            "warranty_claim",
            "updated_at",
        ]
    )


def _editable(service_order: ServiceOrder) -> ServiceOrder:
    locked = _locked(ServiceOrder, service_order.pk)
    if locked.status not in EDITABLE_SERVICE_STATUSES:
        raise DomainError(
            _("Service order %(number)s is %(status)s; its jobs and parts can no longer change.")
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    return locked


def service_job_add(
    *,
    service_order: ServiceOrder,
    description: str,
    labour_hours,
    labour_rate,
    cost_rate=ZERO,
    is_warranty: bool | None = None,
    actor,
) -> ServiceJob:
    """Add a job (labour hours × rate). Warranty jobs default on for warranty orders and bill the maker at cost."""
    hours = _decimal(labour_hours, "labour_hours")
    rate = _decimal(labour_rate, "labour_rate")
    cost = _decimal(cost_rate, "cost_rate")
    with transaction.atomic():
        order = _editable(service_order)
        if is_warranty is None:
            is_warranty = order.kind == ServiceKind.WARRANTY
        job = model_create(
            ServiceJob,
            actor=actor,
            action="service.job_added",
            data={
                "service_order": order,
                "description": (description or "").strip(),
                "labour_hours": hours,
                "labour_rate": to_money(rate),
                "cost_rate": to_money(cost),
                "is_warranty": bool(is_warranty),
            },
        )
        _service_order_recalculate(order)
    service_order.refresh_from_db()
    return job


def service_job_remove(*, job: ServiceJob, actor) -> None:
    with transaction.atomic():
        order = _editable(job.service_order)
        event_record(target=order, action="service.job_removed", actor=actor, data={"job": job.description})
        job.delete()
        _service_order_recalculate(order)


def service_part_add(
    *,
    service_order: ServiceOrder,
    part_number: str,
    name: str,
    quantity,
    unit_cost,
    unit_price,
    is_warranty: bool | None = None,
    actor,
) -> ServicePart:
    """Add a part (cost and price). Warranty parts are billed to the maker at cost, not to the customer."""
    qty = _decimal(quantity, "quantity")
    cost = _decimal(unit_cost, "unit_cost")
    price = _decimal(unit_price, "unit_price")
    with transaction.atomic():
        order = _editable(service_order)
        if is_warranty is None:
            is_warranty = order.kind == ServiceKind.WARRANTY
        part = model_create(
            ServicePart,
            actor=actor,
            action="service.part_added",
            data={
                "service_order": order,
                "part_number": (part_number or "").strip(),
                "name": (name or "").strip(),
                "quantity": qty,
                "unit_cost": to_money(cost),
                "unit_price": to_money(price),
                "is_warranty": bool(is_warranty),
                # Nothing to collect from the customer for a warranty part.
                "is_paid": bool(is_warranty),
            },
        )
        _service_order_recalculate(order)
    service_order.refresh_from_db()
    return part


def service_part_remove(*, part: ServicePart, actor) -> None:
    with transaction.atomic():
        order = _editable(part.service_order)
        event_record(
            target=order, action="service.part_removed", actor=actor, data={"part": part.part_number}
        )
        part.delete()
        _service_order_recalculate(order)


def service_order_set_discount(*, service_order: ServiceOrder, discount, actor) -> ServiceOrder:
    amount = to_money(_decimal(discount, "discount"))
    with transaction.atomic():
        order = _editable(service_order)
        return model_update(order, actor=actor, data={"discount": amount}, action="service.discount")


def service_part_mark_paid(*, part: ServicePart, actor) -> ServicePart:
    """Record that the customer paid for a part ordered ahead (e.g. a special-order part)."""
    with transaction.atomic():
        order = _locked(ServiceOrder, part.service_order_id)
        part = _locked(ServicePart, part.pk)
        if order.status in (ServiceStatus.CLOSED, ServiceStatus.CANCELLED):
            raise DomainError(_("Service order %(number)s is finished.") % {"number": order.number})
        if not part.is_paid:
            part.is_paid = True
            part.save(update_fields=["is_paid", "updated_at"])
            event_record(target=order, action="service.part_paid", actor=actor, data={"part": part.pk})
    return part


def service_order_record_payment(*, service_order: ServiceOrder, amount, actor) -> ServiceOrder:
    """Record a customer payment. It may not exceed what is owed; once the bill is settled the parts are paid."""
    value = to_money(_decimal(amount, "amount"))
    if value <= 0:
        raise DomainError({"amount": _("The amount must be greater than zero.")})
    with transaction.atomic():
        order = _locked(ServiceOrder, service_order.pk)
        if order.status in (ServiceStatus.CLOSED, ServiceStatus.CANCELLED):
            raise DomainError(_("Service order %(number)s is finished.") % {"number": order.number})
        if value > order.balance_due:
            raise DomainError(
                {
                    "amount": _("The customer owes %(due)s; %(amount)s is too much.")
                    % {"due": order.balance_due, "amount": value}
                }
            )
        old = order.paid_total
        order.paid_total = old + value
        order.save(update_fields=["paid_total", "updated_at"])
        if order.balance_due == 0:
            order.parts.filter(is_paid=False).update(is_paid=True, updated_at=timezone.now())
        event_record(
            target=order,
            action="service.payment",
            actor=actor,
            data={"amount": str(value), "paid_total": str(order.paid_total)},
        )
    service_order.refresh_from_db()
    return order


def _service_order_move(service_order, target, actor, reason="", **fields) -> ServiceOrder:
    order = _locked(ServiceOrder, service_order.pk)
    _check_transition(SERVICE_TRANSITIONS, ServiceStatus(order.status), target, _("service order"))
    old = order.status
    order.status = target
    for name, value in fields.items():
        setattr(order, name, value)
    order.save(update_fields=["status", *fields, "updated_at"])
    event_record(
        target=order, action="service.status", actor=actor, from_state=old, to_state=target, reason=reason
    )
    return order


def service_order_start(*, service_order: ServiceOrder, actor) -> ServiceOrder:
    with transaction.atomic():
        order = _service_order_move(service_order, ServiceStatus.IN_PROGRESS, actor)
    service_order.refresh_from_db()
    return order


def service_order_mark_ready(*, service_order: ServiceOrder, actor) -> ServiceOrder:
    with transaction.atomic():
        current = _locked(ServiceOrder, service_order.pk)
        if not current.jobs.exists() and not current.parts.exists():
            raise DomainError(_("Add at least one job or part before the vehicle is ready."))
        order = _service_order_move(current, ServiceStatus.READY, actor)
    service_order.refresh_from_db()
    return order


def service_order_reopen(*, service_order: ServiceOrder, actor, reason: str) -> ServiceOrder:
    """Send a ready vehicle back to the workshop (rework found at hand-over)."""
    if not (reason or "").strip():
        raise DomainError({"reason": _("Say why the work is reopened.")})
    with transaction.atomic():
        order = _service_order_move(service_order, ServiceStatus.IN_PROGRESS, actor, reason=reason.strip())
    service_order.refresh_from_db()
    return order


def service_order_cancel(*, service_order: ServiceOrder, actor, reason: str) -> ServiceOrder:
    if not (reason or "").strip():
        raise DomainError({"reason": _("Give the reason for cancelling.")})
    with transaction.atomic():
        current = _locked(ServiceOrder, service_order.pk)
        if current.paid_total > 0:
            raise DomainError(
                _("The customer has paid for this order; refund the payment before cancelling.")
            )
        order = _service_order_move(current, ServiceStatus.CANCELLED, actor, reason=reason.strip())
    service_order.refresh_from_db()
    return order


def service_order_close(*, service_order: ServiceOrder, actor, closed_at=None) -> ServiceOrder:
    """Close a ready order once the customer has paid in full and every billable part is paid.

    Closing schedules the day-3 follow-up call and, for maintenance, settles the vehicle's open
    reminder and schedules the next one from this visit's date and mileage.
    """
    with transaction.atomic():
        current = _locked(ServiceOrder, service_order.pk)
        _check_transition(
            SERVICE_TRANSITIONS, ServiceStatus(current.status), ServiceStatus.CLOSED, _("service order")
        )
        unpaid = list(current.parts.filter(is_paid=False).values_list("part_number", flat=True))
        if unpaid:
            raise DomainError(
                _("These parts are not paid yet: %(parts)s. Record the payment before closing.")
                % {"parts": ", ".join(unpaid)}
            )
        if current.balance_due > 0:
            raise DomainError(
                _("The customer still owes %(due)s. Record the payment before closing.")
                % {"due": current.balance_due}
            )
        order = _service_order_move(
            current, ServiceStatus.CLOSED, actor, closed_at=closed_at or timezone.now()
        )
        followups_for_service(service_order=order, actor=actor)
        if order.kind == ServiceKind.MAINTENANCE:
            reminder_schedule(
                vehicle=order.vehicle,
                customer=order.customer,
                store=order.store,
                last_date=timezone.localtime(order.closed_at).date(),
                last_mileage_km=order.mileage_km,
                advisor=order.advisor,
                service_order=order,
                actor=actor,
            )
    service_order.refresh_from_db()
    return order


# --- maintenance reminders ------------------------------------------------------------------------


def maintenance_rule_for(vehicle: Vehicle) -> tuple[int, int]:
    """(interval km, interval months) for a vehicle: its model's rule, else the default rule, else 10,000 km / 12."""
    car_model_id = vehicle.trim.car_model_id if vehicle.trim_id else None
    rules = {
        r.car_model_id: r
        for r in MaintenanceRule.objects.filter(Q(car_model__isnull=True) | Q(car_model_id=car_model_id))
    }
    rule = rules.get(car_model_id) if car_model_id else None
    rule = rule or rules.get(None)
    if rule is None:
        return DEFAULT_INTERVAL_KM, DEFAULT_INTERVAL_MONTHS
    return rule.interval_km, rule.interval_months


def _km_per_day(vehicle: Vehicle, last_date: datetime.date, last_mileage_km: int) -> float | None:
    """Average daily distance from the first recorded visit to this one; None without enough history."""
    first = (
        ServiceOrder.objects.filter(vehicle=vehicle)
        .exclude(status=ServiceStatus.CANCELLED)
        .order_by("opened_at")
        .values("opened_at", "mileage_km")
        .first()
    )
    if not first:
        return None
    days = (last_date - timezone.localtime(first["opened_at"]).date()).days
    distance = last_mileage_km - first["mileage_km"]
    if days < 30 or distance <= 0:
        return None
    return distance / days


def reminder_due_date(
    *, vehicle: Vehicle, last_date: datetime.date, last_mileage_km: int
) -> tuple[datetime.date, int]:
    """When the next maintenance falls due: after the rule's months, or earlier when the vehicle's usual
    daily distance reaches the rule's kilometres first. Returns (due date, due mileage)."""
    interval_km, interval_months = maintenance_rule_for(vehicle)
    due_date = add_months(last_date, interval_months)
    rate = _km_per_day(vehicle, last_date, last_mileage_km)
    if rate:
        by_km = last_date + datetime.timedelta(days=math.ceil(interval_km / rate))
        due_date = min(due_date, by_km)
    return due_date, last_mileage_km + interval_km


def reminder_schedule(
    *,
    vehicle: Vehicle,
    customer,
    store,
    last_date: datetime.date,
    last_mileage_km: int,
    actor,
    advisor=None,
    service_order: ServiceOrder | None = None,
) -> Reminder:
    """Schedule the vehicle's next maintenance reminder.

    After a service the open reminder is settled as done by that service; without a service (first
    reminder after delivery) an existing open reminder is kept, so calling this twice changes nothing.
    """
    with transaction.atomic():
        _locked(Vehicle, vehicle.pk)
        open_reminder = (
            Reminder.objects.select_for_update()
            .filter(vehicle=vehicle, status__in=[ReminderStatus.DUE, ReminderStatus.POSTPONED])
            .first()
        )
        if open_reminder is not None:
            if service_order is None:
                return open_reminder
            _reminder_move(
                open_reminder,
                ReminderStatus.DONE,
                actor,
                reason=str(_("Serviced on %(number)s") % {"number": service_order.number}),
                service_order=service_order,
                completed_at=timezone.now(),
            )
        due_date, due_km = reminder_due_date(
            vehicle=vehicle, last_date=last_date, last_mileage_km=last_mileage_km
        )
        return model_create(
            Reminder,
            actor=actor,
            action="reminder.scheduled",
            data={
                "customer": customer,
                "vehicle": vehicle,
                "store": store,
                "advisor": advisor,
                "due_date": due_date,
                "due_mileage_km": due_km,
                "last_service_date": last_date,
                "last_mileage_km": last_mileage_km,
            },
        )


def _reminder_move(reminder, target, actor, reason="", **fields):
    _check_transition(REMINDER_TRANSITIONS, ReminderStatus(reminder.status), target, _("reminder"))
    old = reminder.status
    reminder.status = target
    reminder.reason = reason or reminder.reason
    for name, value in fields.items():
        setattr(reminder, name, value)
    reminder.full_clean()
    reminder.save(update_fields=["status", "reason", *fields, "updated_at"])
    event_record(
        target=reminder, action="reminder.status", actor=actor, from_state=old, to_state=target, reason=reason
    )
    return reminder


def reminder_mark_done(*, reminder: Reminder, actor, note: str = "") -> Reminder:
    """The customer booked or had the maintenance."""
    with transaction.atomic():
        locked = _locked(Reminder, reminder.pk)
        result = _reminder_move(
            locked, ReminderStatus.DONE, actor, reason=note.strip(), completed_at=timezone.now()
        )
    reminder.refresh_from_db()
    return result


def reminder_postpone(
    *, reminder: Reminder, postponed_to: datetime.date, actor, reason: str = ""
) -> Reminder:
    """Ask again on ``postponed_to``, a day after today."""
    if not isinstance(postponed_to, datetime.date):
        raise DomainError({"postponed_to": _("Choose the date to postpone to.")})
    if postponed_to <= timezone.localdate():
        raise DomainError({"postponed_to": _("Postpone to a day after today.")})
    with transaction.atomic():
        locked = _locked(Reminder, reminder.pk)
        result = _reminder_move(
            locked, ReminderStatus.POSTPONED, actor, reason=(reason or "").strip(), postponed_to=postponed_to
        )
    reminder.refresh_from_db()
    return result


def reminder_refuse(*, reminder: Reminder, reason: str, actor) -> Reminder:
    """The customer declines the maintenance; the reason is required."""
    if not (reason or "").strip():
        raise DomainError({"reason": _("Give the reason the customer refused.")})
    with transaction.atomic():
        locked = _locked(Reminder, reminder.pk)
        result = _reminder_move(
            locked, ReminderStatus.REFUSED, actor, reason=reason.strip(), completed_at=timezone.now()
        )
    reminder.refresh_from_db()
    return result


# --- follow-up calls ------------------------------------------------------------------------------


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
    """Schedule the day-3 and day-30 calls after a delivery, and the first maintenance reminder of each
    delivered vehicle (``vehicles``, by default every vehicle of the order delivered so far).

    Idempotent: calling it again, or for the next batch of a fleet order, adds only what is missing.
    """
    calls = []
    with transaction.atomic():
        for kind in (FollowUpKind.DELIVERY_DAY3, FollowUpKind.DELIVERY_DAY30):
            call, _created = _call_create(
                kind=kind,
                due_date=delivered_on + datetime.timedelta(days=FOLLOW_UP_OFFSETS[kind]),
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
    """Schedule the day-3 call after a closed service order (idempotent)."""
    closed_on = timezone.localtime(service_order.closed_at or timezone.now()).date()
    call, _created = _call_create(
        kind=FollowUpKind.SERVICE_DAY3,
        due_date=closed_on + datetime.timedelta(days=FOLLOW_UP_OFFSETS[FollowUpKind.SERVICE_DAY3]),
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

    A score at or below ``LOW_SCORE_THRESHOLD`` opens a complaint linked to the call.
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
        if value is not None and value <= LOW_SCORE_THRESHOLD:
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


# --- complaints -----------------------------------------------------------------------------------


def complaint_open(
    *,
    customer,
    category: str,
    description: str,
    actor,
    severity: str = Severity.MEDIUM,
    store=None,
    owner=None,
    order=None,
    service_order=None,
    follow_up_call=None,
) -> Complaint:
    """Open a complaint; its due date follows from the severity (``SEVERITY_DUE_DAYS``)."""
    if severity not in Severity.values:
        raise DomainError({"severity": _("Choose a severity.")})
    if category not in ComplaintCategory.values:
        raise DomainError({"category": _("Choose a category.")})
    due_date = timezone.localdate() + datetime.timedelta(days=SEVERITY_DUE_DAYS[Severity(severity)])
    return model_create(
        Complaint,
        actor=actor,
        action="complaint.opened",
        data={
            "customer": customer,
            "store": store or (service_order.store if service_order else None) or customer.store,
            "category": category,
            "severity": severity,
            "description": (description or "").strip(),
            "owner": owner or (actor if getattr(actor, "pk", None) else None),
            "order": order,
            "service_order": service_order,
            "follow_up_call": follow_up_call,
            "due_date": due_date,
        },
    )


def _complaint_move(complaint, target, actor, reason="", **fields):
    locked = _locked(Complaint, complaint.pk)
    _check_transition(COMPLAINT_TRANSITIONS, ComplaintStatus(locked.status), target, _("complaint"))
    old = locked.status
    locked.status = target
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=["status", *fields, "updated_at"])
    event_record(
        target=locked, action="complaint.status", actor=actor, from_state=old, to_state=target, reason=reason
    )
    complaint.refresh_from_db()
    return locked


def complaint_start(*, complaint: Complaint, actor) -> Complaint:
    with transaction.atomic():
        return _complaint_move(complaint, ComplaintStatus.IN_PROGRESS, actor)


def complaint_assign(*, complaint: Complaint, owner, actor) -> Complaint:
    with transaction.atomic():
        locked = _locked(Complaint, complaint.pk)
        result = model_update(locked, actor=actor, data={"owner": owner}, action="complaint.assigned")
    complaint.refresh_from_db()
    return result


def complaint_resolve(*, complaint: Complaint, resolution: str, actor) -> Complaint:
    if not (resolution or "").strip():
        raise DomainError({"resolution": _("Describe how the complaint was resolved.")})
    with transaction.atomic():
        return _complaint_move(
            complaint,
            ComplaintStatus.RESOLVED,
            actor,
            resolution=resolution.strip(),
            resolved_at=timezone.now(),
            customer_accepted=None,
        )


def complaint_record_acceptance(*, complaint: Complaint, accepted: bool, actor, note: str = "") -> Complaint:
    """The customer's answer to the resolution: accepted closes the complaint, refused reopens it."""
    with transaction.atomic():
        if accepted:
            return _complaint_move(
                complaint, ComplaintStatus.CLOSED, actor, reason=note.strip(), customer_accepted=True
            )
        if not note.strip():
            raise DomainError({"note": _("Note what the customer still expects.")})
        return _complaint_move(
            complaint, ComplaintStatus.IN_PROGRESS, actor, reason=note.strip(), customer_accepted=False
        )


def complaints_escalate(*, actor=None, today: datetime.date | None = None) -> int:
    """Mark open complaints past their due date as escalated (once each), with an event. Returns how many."""
    today = today or timezone.localdate()
    count = 0
    with transaction.atomic():
        overdue = Complaint.objects.select_for_update().filter(
            status__in=[ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS],
            due_date__lt=today,
            escalated_at__isnull=True,
        )
        now = timezone.now()
        for complaint in overdue:
            complaint.escalated_at = now
            complaint.save(update_fields=["escalated_at", "updated_at"])
            event_record(
                target=complaint,
                action="complaint.escalated",
                actor=actor,
                reason=str(_("Overdue since %(date)s") % {"date": complaint.due_date.isoformat()}),
            )
            count += 1
    return count
