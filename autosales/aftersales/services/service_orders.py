"""Service orders: opening, jobs and parts, discount, payments and the workflow up to closing."""

import datetime

from django.db import transaction
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

from ..choices import ServiceKind, ServiceStatus
from ..models import ServiceJob, ServiceOrder, ServicePart
from ._common import _check_transition, _decimal, _locked
from .followups import followups_for_service
from .reminders import reminder_schedule

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
