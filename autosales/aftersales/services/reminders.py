"""Maintenance reminders: when the next service falls due, scheduling, and the customer's answer."""

import datetime
import math

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from autosales.core.events import event_record
from autosales.core.exceptions import DomainError
from autosales.core.services import model_create
from autosales.inventory.models import Vehicle

from ..choices import ReminderStatus, ServiceStatus
from ..models import MaintenanceRule, Reminder, ServiceOrder
from ._common import _check_transition, _locked, add_months

REMINDER_TRANSITIONS = {
    ReminderStatus.DUE: {ReminderStatus.DONE, ReminderStatus.POSTPONED, ReminderStatus.REFUSED},
    ReminderStatus.POSTPONED: {ReminderStatus.DONE, ReminderStatus.POSTPONED, ReminderStatus.REFUSED},
    ReminderStatus.DONE: set(),
    ReminderStatus.REFUSED: set(),
}

DEFAULT_INTERVAL_KM = 10000
DEFAULT_INTERVAL_MONTHS = 12


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
