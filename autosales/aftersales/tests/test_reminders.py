import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from autosales.aftersales.choices import ReminderStatus
from autosales.aftersales.models import MaintenanceRule, Reminder
from autosales.aftersales.selectors import reminders_due
from autosales.aftersales.services import (
    add_months,
    reminder_due_date,
    reminder_mark_done,
    reminder_postpone,
    reminder_refuse,
    reminder_schedule,
)
from autosales.core.events import events_for
from autosales.core.tests.factories import UserFactory

from .factories import DeliveredVehicleFactory, ReminderFactory, ServiceOrderFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


def test_add_months_keeps_the_day_or_uses_the_month_end():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 12) == datetime.date(2027, 11, 15)
    assert add_months(datetime.date(2027, 12, 31), 2) == datetime.date(2028, 2, 29)


def test_default_interval_is_10000_km_or_12_months(vehicle):
    due, km = reminder_due_date(vehicle=vehicle, last_date=TODAY, last_mileage_km=3000)
    assert (due, km) == (datetime.date(2027, 3, 10), 13000)


def test_model_rule_wins_over_the_default_rule(vehicle):
    MaintenanceRule.objects.create(car_model=None, interval_km=8000, interval_months=9)
    MaintenanceRule.objects.create(car_model=vehicle.trim.car_model, interval_km=5000, interval_months=6)
    assert reminder_due_date(vehicle=vehicle, last_date=TODAY, last_mileage_km=0) == (
        datetime.date(2026, 9, 10),
        5000,
    )
    other = DeliveredVehicleFactory(store=vehicle.store)
    assert reminder_due_date(vehicle=other, last_date=TODAY, last_mileage_km=0) == (
        datetime.date(2026, 12, 10),
        8000,
    )


def test_heavy_driver_is_due_when_the_kilometres_are_reached_first(vehicle):
    # 100 km a day since the first visit: 10,000 km are reached in 100 days, long before 12 months.
    first = timezone.make_aware(datetime.datetime(2025, 12, 10, 10, 0))
    ServiceOrderFactory(vehicle=vehicle, store=vehicle.store, mileage_km=1000, opened_at=first)
    due, km = reminder_due_date(vehicle=vehicle, last_date=TODAY, last_mileage_km=10000)
    assert due == TODAY + datetime.timedelta(days=100)
    assert km == 20000


def test_scheduling_without_a_service_keeps_the_open_reminder(vehicle, customer, advisor):
    first = reminder_schedule(
        vehicle=vehicle,
        customer=customer,
        store=vehicle.store,
        last_date=TODAY,
        last_mileage_km=0,
        actor=advisor,
    )
    again = reminder_schedule(
        vehicle=vehicle,
        customer=customer,
        store=vehicle.store,
        last_date=TODAY,
        last_mileage_km=0,
        actor=advisor,
    )
    assert first == again
    assert Reminder.objects.count() == 1


def test_postponed_reminder_leaves_the_due_list_until_its_new_date(advisor, store):
    reminder = ReminderFactory(store=store, advisor=advisor, due_date=timezone.localdate())
    assert list(reminders_due(user=advisor)) == [reminder]
    later = timezone.localdate() + datetime.timedelta(days=14)
    reminder_postpone(reminder=reminder, postponed_to=later, reason="Travelling", actor=advisor)
    assert reminder.status == ReminderStatus.POSTPONED
    assert list(reminders_due(user=advisor)) == []
    assert list(reminders_due(user=advisor, on=later)) == [reminder]
    assert events_for(reminder).filter(to_state="postponed").exists()


def test_postponing_to_the_past_is_refused(advisor, store):
    reminder = ReminderFactory(store=store, advisor=advisor)
    with pytest.raises(ValidationError) as info:
        reminder_postpone(reminder=reminder, postponed_to=timezone.localdate(), actor=advisor)
    assert "postponed_to" in info.value.message_dict
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DUE


def test_refusing_needs_a_reason(advisor, store):
    reminder = ReminderFactory(store=store, advisor=advisor)
    with pytest.raises(ValidationError) as info:
        reminder_refuse(reminder=reminder, reason="  ", actor=advisor)
    assert "reason" in info.value.message_dict
    reminder_refuse(reminder=reminder, reason="Sold the car", actor=advisor)
    assert (reminder.status, reminder.reason) == (ReminderStatus.REFUSED, "Sold the car")


def test_done_reminder_is_final(advisor, store):
    reminder = ReminderFactory(store=store, advisor=advisor)
    reminder_mark_done(reminder=reminder, actor=advisor)
    assert reminder.completed_at is not None
    with pytest.raises(ValidationError):
        reminder_postpone(
            reminder=reminder, postponed_to=timezone.localdate() + datetime.timedelta(days=3), actor=advisor
        )
    with pytest.raises(ValidationError):
        reminder_refuse(reminder=reminder, reason="x", actor=advisor)


def test_advisor_due_list_holds_own_and_unassigned_reminders_of_the_store(advisor, store):
    mine = ReminderFactory(store=store, advisor=advisor)
    unassigned = ReminderFactory(store=store, advisor=None)
    colleague = ReminderFactory(store=store, advisor=UserFactory(aftersales=True, store=store))
    ReminderFactory(advisor=None)  # another store
    ReminderFactory(store=store, advisor=advisor, due_date=timezone.localdate() + datetime.timedelta(days=1))
    assert set(reminders_due(user=advisor)) == {mine, unassigned}
    manager = UserFactory(manager=True, store=store)
    assert set(reminders_due(user=manager)) == {mine, unassigned, colleague}


def test_command_prints_todays_due_list_per_advisor(advisor, store):
    reminder = ReminderFactory(store=store, advisor=advisor, due_date=TODAY)
    ReminderFactory(store=store, advisor=advisor, due_date=TODAY + datetime.timedelta(days=1))
    out, err = StringIO(), StringIO()
    call_command("reminders", "--date", TODAY.isoformat(), stdout=out, stderr=err)
    text = out.getvalue()
    assert ": 1" in text.splitlines()[0]
    assert reminder.vehicle.vin in text
    assert reminder.customer.name in text
    assert "SH01" in text


def test_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("reminders", "--date", "10/03/2026", stdout=StringIO(), stderr=StringIO())
