import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from autosales.aftersales.choices import (
    ComplaintCategory,
    ComplaintStatus,
    FollowUpKind,
    FollowUpStatus,
    ReminderStatus,
    Severity,
)
from autosales.aftersales.models import Complaint, FollowUpCall, Reminder
from autosales.aftersales.services import (
    complaint_open,
    complaint_record_acceptance,
    complaint_resolve,
    complaint_start,
    complaints_escalate,
    follow_up_record,
    followups_for_delivery,
    followups_generate_missing,
)
from autosales.core.events import events_for
from autosales.sales.choices import OrderStatus
from autosales.sales.models import Delivery
from autosales.sales.tests.factories import OrderFactory, OrderLineFactory

from .factories import ComplaintFactory, DeliveredVehicleFactory, FollowUpCallFactory, ServiceOrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered_order(store, customer, vehicle):
    order = OrderFactory(store=store, customer=customer, status=OrderStatus.DELIVERED)
    OrderLineFactory(order=order, vehicle=vehicle, trim=vehicle.trim)
    return order


def test_delivery_schedules_day_3_and_day_30_calls_and_first_reminder(delivered_order, advisor, vehicle):
    day = datetime.date(2026, 11, 20)
    calls = followups_for_delivery(order=delivered_order, delivered_on=day, actor=advisor)
    assert [(c.kind, c.due_date) for c in calls] == [
        (FollowUpKind.DELIVERY_DAY3, datetime.date(2026, 11, 23)),
        (FollowUpKind.DELIVERY_DAY30, datetime.date(2026, 12, 20)),
    ]
    reminder = Reminder.objects.get(vehicle=vehicle)
    assert (reminder.due_date, reminder.due_mileage_km) == (datetime.date(2027, 11, 20), 10000)
    assert reminder.status == ReminderStatus.DUE


def test_delivery_follow_ups_are_idempotent(delivered_order, advisor):
    day = datetime.date(2026, 11, 20)
    followups_for_delivery(order=delivered_order, delivered_on=day, actor=advisor)
    followups_for_delivery(order=delivered_order, delivered_on=day, actor=advisor)
    assert FollowUpCall.objects.filter(order=delivered_order).count() == 2
    assert Reminder.objects.count() == 1


def test_missing_follow_ups_are_generated_once(delivered_order, advisor):
    Delivery.objects.create(order=delivered_order, handed_over_at=timezone.now() - datetime.timedelta(days=2))
    closed = ServiceOrderFactory(status="closed", closed_at=timezone.now())
    assert followups_generate_missing() == 3
    assert followups_generate_missing() == 0
    assert FollowUpCall.objects.filter(order=delivered_order).count() == 2
    assert FollowUpCall.objects.get(service_order=closed).kind == FollowUpKind.SERVICE_DAY3


def test_old_deliveries_are_not_back_filled(delivered_order):
    Delivery.objects.create(
        order=delivered_order, handed_over_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert followups_generate_missing() == 0


@pytest.mark.parametrize("score", [0, 6, -1, "abc", "4.5", None, ""])
def test_score_outside_1_to_5_is_refused_and_changes_nothing(score, advisor):
    call = FollowUpCallFactory()
    with pytest.raises(ValidationError) as info:
        follow_up_record(call=call, score=score, outcome="ok", actor=advisor)
    assert "score" in info.value.message_dict
    call.refresh_from_db()
    assert (call.status, call.score, call.outcome) == (FollowUpStatus.DUE, None, "")


def test_good_score_is_recorded_without_complaint(advisor):
    call = FollowUpCallFactory()
    follow_up_record(call=call, score="4", outcome="Happy with the service", actor=advisor)
    assert (call.status, call.score, call.caller) == (FollowUpStatus.DONE, 4, advisor)
    assert call.called_at is not None
    assert not Complaint.objects.exists()
    with pytest.raises(ValidationError):
        follow_up_record(call=call, score=5, actor=advisor)


@pytest.mark.parametrize(("score", "severity"), [(1, Severity.HIGH), (2, Severity.MEDIUM)])
def test_low_score_opens_a_linked_complaint(score, severity, advisor):
    call = FollowUpCallFactory()
    follow_up_record(call=call, score=score, outcome="Car was dirty", actor=advisor)
    complaint = Complaint.objects.get()
    assert complaint.follow_up_call == call
    assert complaint.service_order == call.service_order
    assert complaint.customer == call.customer
    assert complaint.category == ComplaintCategory.SERVICE_QUALITY
    assert complaint.severity == severity
    assert complaint.owner == call.service_order.advisor
    assert "Car was dirty" in complaint.description


def test_unreachable_call_stays_on_the_list_to_try_again(advisor):
    call = FollowUpCallFactory()
    follow_up_record(call=call, status=FollowUpStatus.UNREACHABLE, actor=advisor)
    assert call.status == FollowUpStatus.UNREACHABLE
    follow_up_record(call=call, score=5, actor=advisor)
    assert call.status == FollowUpStatus.DONE
    assert events_for(call).count() == 2


def test_complaint_due_date_follows_severity(advisor, customer):
    today = timezone.localdate()
    for severity, days in (
        (Severity.CRITICAL, 1),
        (Severity.HIGH, 3),
        (Severity.MEDIUM, 7),
        (Severity.LOW, 14),
    ):
        complaint = complaint_open(
            customer=customer,
            category=ComplaintCategory.PRICE,
            severity=severity,
            description="Bill",
            actor=advisor,
        )
        assert complaint.due_date == today + datetime.timedelta(days=days)
        assert complaint.owner == advisor


def test_complaint_about_another_customers_service_is_refused(advisor, customer):
    other_service = ServiceOrderFactory()
    with pytest.raises(ValidationError) as info:
        complaint_open(
            customer=customer, category="other", description="x", service_order=other_service, actor=advisor
        )
    assert "service_order" in info.value.message_dict
    assert not Complaint.objects.exists()


def test_complaint_is_resolved_then_closed_when_the_customer_accepts(advisor, customer):
    complaint = complaint_open(customer=customer, category="staff", description="Rude", actor=advisor)
    complaint_start(complaint=complaint, actor=advisor)
    with pytest.raises(ValidationError):
        complaint_resolve(complaint=complaint, resolution="", actor=advisor)
    complaint_resolve(complaint=complaint, resolution="Apologised, free wash", actor=advisor)
    assert complaint.status == ComplaintStatus.RESOLVED
    complaint_record_acceptance(complaint=complaint, accepted=True, actor=advisor)
    assert (complaint.status, complaint.customer_accepted) == (ComplaintStatus.CLOSED, True)
    with pytest.raises(ValidationError):
        complaint_start(complaint=complaint, actor=advisor)


def test_refused_resolution_reopens_the_complaint(advisor, customer):
    complaint = complaint_open(customer=customer, category="staff", description="Rude", actor=advisor)
    complaint_resolve(complaint=complaint, resolution="Apologised", actor=advisor)
    with pytest.raises(ValidationError):
        complaint_record_acceptance(complaint=complaint, accepted=False, actor=advisor)
    complaint_record_acceptance(complaint=complaint, accepted=False, note="Wants a refund", actor=advisor)
    assert (complaint.status, complaint.customer_accepted) == (ComplaintStatus.IN_PROGRESS, False)


def test_overdue_complaints_escalate_once(store):
    today = timezone.localdate()
    overdue = ComplaintFactory(store=store, due_date=today - datetime.timedelta(days=1))
    ComplaintFactory(store=store, due_date=today)
    ComplaintFactory(
        store=store, due_date=today - datetime.timedelta(days=5), status="resolved", resolution="done"
    )
    assert complaints_escalate() == 1
    assert complaints_escalate() == 0
    overdue.refresh_from_db()
    assert overdue.escalated_at is not None
    assert events_for(overdue).filter(action="complaint.escalated").exists()


def test_fleet_delivery_gets_a_reminder_per_vehicle(store, customer, advisor):
    order = OrderFactory(store=store, customer=customer, status=OrderStatus.DELIVERED)
    vehicles = [DeliveredVehicleFactory(store=store) for _ in range(3)]
    for v in vehicles:
        OrderLineFactory(order=order, vehicle=v, trim=v.trim)
    followups_for_delivery(order=order, delivered_on=timezone.localdate(), actor=advisor)
    assert set(Reminder.objects.values_list("vehicle", flat=True)) == {v.pk for v in vehicles}


def test_vehicle_not_yet_handed_over_gets_no_reminder(store, customer, advisor):
    from autosales.inventory.tests.factories import VehicleFactory
    from autosales.sales.models import VehicleAllocation

    order = OrderFactory(store=store, customer=customer, status=OrderStatus.PAID)
    handed, waiting = DeliveredVehicleFactory(store=store), VehicleFactory(store=store, status="reserved")
    VehicleAllocation.objects.create(order=order, vehicle=handed, status="delivered")
    VehicleAllocation.objects.create(order=order, vehicle=waiting, status="allocated")
    followups_for_delivery(order=order, delivered_on=timezone.localdate(), actor=advisor)
    assert list(Reminder.objects.values_list("vehicle", flat=True)) == [handed.pk]
