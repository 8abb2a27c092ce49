import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from autosales.aftersales.choices import FollowUpKind, ReminderStatus, ServiceKind, ServiceStatus
from autosales.aftersales.models import FollowUpCall, Reminder, ServiceOrder
from autosales.aftersales.services import (
    service_job_add,
    service_job_remove,
    service_order_cancel,
    service_order_close,
    service_order_mark_ready,
    service_order_open,
    service_order_record_payment,
    service_order_reopen,
    service_order_set_discount,
    service_order_start,
    service_part_add,
    service_part_mark_paid,
)
from autosales.core.events import events_for
from autosales.core.identity import make_vin
from autosales.core.models import NumberSequence
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Vehicle
from autosales.inventory.tests.factories import VehicleFactory

from .factories import ReminderFactory

pytestmark = pytest.mark.django_db


def _open(advisor, customer, vehicle, mileage=12000, kind=ServiceKind.MAINTENANCE):
    return service_order_open(
        store=advisor.store, customer=customer, vehicle=vehicle, mileage_km=mileage, kind=kind, actor=advisor
    )


def _ready_order(advisor, customer, vehicle, **kw):
    order = _open(advisor, customer, vehicle, **kw)
    service_job_add(
        service_order=order,
        description="Oil change",
        labour_hours="1.5",
        labour_rate="200",
        cost_rate="80",
        actor=advisor,
    )
    service_part_add(
        service_order=order,
        part_number="OF-1",
        name="Oil filter",
        quantity="1",
        unit_cost="40",
        unit_price="90",
        actor=advisor,
    )
    service_order_start(service_order=order, actor=advisor)
    service_order_mark_ready(service_order=order, actor=advisor)
    return order


def test_opening_numbers_the_order_per_store_and_year(advisor, customer, vehicle):
    order = _open(advisor, customer, vehicle)
    year = timezone.localdate().year
    assert order.number == f"SH01-{year}-000001"
    assert order.status == ServiceStatus.OPEN
    assert order.advisor == advisor
    assert events_for(order).filter(action="service.opened").exists()


def test_unknown_vin_is_registered_as_outside_vehicle(advisor, customer):
    import random

    vin = make_vin(random.Random(5))
    order = service_order_open(
        store=advisor.store,
        customer=customer,
        vin=vin.lower(),
        mileage_km=50000,
        vehicle_description="Toyota Camry 2019",
        plate_number="沪A12345",
        actor=advisor,
    )
    vehicle = Vehicle.objects.get(vin=vin)
    assert order.vehicle == vehicle
    assert vehicle.status == VehicleStatus.EXTERNAL
    assert vehicle.trim is None
    assert vehicle.description == "Toyota Camry 2019"


def test_bad_vin_for_outside_vehicle_is_refused_and_saves_nothing(advisor, customer):
    with pytest.raises(ValidationError) as info:
        service_order_open(
            store=advisor.store, customer=customer, vin="LGX12345", mileage_km=1, actor=advisor
        )
    assert "vin" in info.value.message_dict
    assert not Vehicle.objects.exists()
    assert not ServiceOrder.objects.exists()


def test_vehicle_still_in_stock_cannot_be_serviced(advisor, customer, store):
    stock = VehicleFactory(store=store, status=VehicleStatus.IN_STOCK)
    with pytest.raises(ValidationError) as info:
        _open(advisor, customer, stock)
    assert "vin" in info.value.message_dict


def test_mileage_lower_than_last_time_is_refused_and_changes_nothing(advisor, customer, vehicle):
    _open(advisor, customer, vehicle, mileage=30000)
    with pytest.raises(ValidationError) as info:
        _open(advisor, customer, vehicle, mileage=29999)
    assert "mileage_km" in info.value.message_dict
    assert "30000" in info.value.message_dict["mileage_km"][0]
    assert ServiceOrder.objects.count() == 1
    # The number drawn for the refused order was rolled back with it.
    assert NumberSequence.objects.get(kind="service").last_value == 1


def test_negative_or_non_numeric_mileage_is_refused(advisor, customer, vehicle):
    for bad in (-1, "abc", None):
        with pytest.raises(ValidationError):
            _open(advisor, customer, vehicle, mileage=bad)
    assert not ServiceOrder.objects.exists()


def test_totals_bill_customer_and_warranty_to_maker_at_cost(advisor, customer, vehicle):
    order = _open(advisor, customer, vehicle)
    service_job_add(
        service_order=order,
        description="Brake pads",
        labour_hours="1.25",
        labour_rate="333.33",
        cost_rate="100",
        actor=advisor,
    )
    service_job_add(
        service_order=order,
        description="Recall fix",
        labour_hours="2",
        labour_rate="300",
        cost_rate="120",
        is_warranty=True,
        actor=advisor,
    )
    service_part_add(
        service_order=order,
        part_number="BP-1",
        name="Pads",
        quantity="2",
        unit_cost="150.5",
        unit_price="260",
        actor=advisor,
    )
    service_part_add(
        service_order=order,
        part_number="RC-9",
        name="Recall kit",
        quantity="1",
        unit_cost="500",
        unit_price="900",
        is_warranty=True,
        actor=advisor,
    )
    service_order_set_discount(service_order=order, discount="16.66", actor=advisor)
    order.refresh_from_db()
    assert order.labour_revenue == Decimal("416.66")  # 1.25 × 333.33 = 416.6625
    assert order.labour_cost == Decimal("365.00")
    assert order.parts_revenue == Decimal("520.00")
    assert order.parts_cost == Decimal("801.00")
    assert order.warranty_claim == Decimal("740.00")  # 2 × 120 labour + 500 part, at cost
    assert order.revenue == Decimal("920.00")
    assert order.gross_profit == Decimal("494.00")
    assert order.balance_due == Decimal("920.00")


def test_warranty_order_bills_its_work_to_the_maker_by_default(advisor, customer, vehicle):
    order = _open(advisor, customer, vehicle, kind=ServiceKind.WARRANTY)
    job = service_job_add(
        service_order=order,
        description="Gearbox",
        labour_hours="3",
        labour_rate="300",
        cost_rate="100",
        actor=advisor,
    )
    assert job.is_warranty
    order.refresh_from_db()
    assert order.revenue == 0
    assert order.warranty_claim == Decimal("300.00")
    assert order.gross_profit == 0


def test_discount_above_billable_work_is_refused(advisor, customer, vehicle):
    order = _open(advisor, customer, vehicle)
    service_job_add(
        service_order=order, description="Wash", labour_hours="1", labour_rate="50", actor=advisor
    )
    with pytest.raises(ValidationError) as info:
        service_order_set_discount(service_order=order, discount="50.01", actor=advisor)
    assert "discount" in info.value.message_dict
    order.refresh_from_db()
    assert order.discount == 0


def test_removing_work_below_the_discount_is_refused(advisor, customer, vehicle):
    order = _open(advisor, customer, vehicle)
    job = service_job_add(
        service_order=order, description="Wash", labour_hours="1", labour_rate="50", actor=advisor
    )
    service_order_set_discount(service_order=order, discount="20", actor=advisor)
    with pytest.raises(ValidationError):
        service_job_remove(job=job, actor=advisor)
    assert order.jobs.count() == 1


def test_job_with_zero_hours_is_refused(advisor, customer, vehicle):
    order = _open(advisor, customer, vehicle)
    with pytest.raises(ValidationError) as info:
        service_job_add(
            service_order=order, description="x", labour_hours="0", labour_rate="50", actor=advisor
        )
    assert "labour_hours" in info.value.message_dict
    with pytest.raises(ValidationError):
        service_job_add(
            service_order=order, description="x", labour_hours="one", labour_rate="5", actor=advisor
        )
    assert not order.jobs.exists()


def test_ready_needs_some_work(advisor, customer, vehicle):
    order = _open(advisor, customer, vehicle)
    service_order_start(service_order=order, actor=advisor)
    with pytest.raises(ValidationError):
        service_order_mark_ready(service_order=order, actor=advisor)
    order.refresh_from_db()
    assert order.status == ServiceStatus.IN_PROGRESS


def test_open_order_cannot_jump_to_ready_or_closed(advisor, customer, vehicle):
    order = _open(advisor, customer, vehicle)
    service_job_add(service_order=order, description="x", labour_hours="1", labour_rate="5", actor=advisor)
    with pytest.raises(ValidationError):
        service_order_mark_ready(service_order=order, actor=advisor)
    with pytest.raises(ValidationError):
        service_order_close(service_order=order, actor=advisor)
    order.refresh_from_db()
    assert order.status == ServiceStatus.OPEN


def test_jobs_and_parts_are_frozen_once_ready(advisor, customer, vehicle):
    order = _ready_order(advisor, customer, vehicle)
    with pytest.raises(ValidationError):
        service_job_add(
            service_order=order, description="x", labour_hours="1", labour_rate="5", actor=advisor
        )
    with pytest.raises(ValidationError):
        service_order_set_discount(service_order=order, discount="1", actor=advisor)


def test_reopening_a_ready_order_needs_a_reason_and_allows_more_work(advisor, customer, vehicle):
    order = _ready_order(advisor, customer, vehicle)
    with pytest.raises(ValidationError):
        service_order_reopen(service_order=order, actor=advisor, reason=" ")
    service_order_reopen(service_order=order, actor=advisor, reason="Noise still there")
    assert order.status == ServiceStatus.IN_PROGRESS
    service_job_add(service_order=order, description="x", labour_hours="1", labour_rate="5", actor=advisor)
    event = events_for(order).filter(action="service.status").first()
    assert (event.from_state, event.to_state, event.reason) == ("ready", "in_progress", "Noise still there")


def test_closing_with_unpaid_parts_is_refused_and_changes_nothing(advisor, customer, vehicle):
    order = _ready_order(advisor, customer, vehicle)
    with pytest.raises(ValidationError) as info:
        service_order_close(service_order=order, actor=advisor)
    assert "OF-1" in info.value.messages[0]
    order.refresh_from_db()
    assert order.status == ServiceStatus.READY
    assert order.closed_at is None
    assert not FollowUpCall.objects.exists()
    assert not Reminder.objects.exists()


def test_closing_with_balance_due_is_refused_even_if_parts_were_prepaid(advisor, customer, vehicle):
    order = _ready_order(advisor, customer, vehicle)
    service_part_mark_paid(part=order.parts.get(), actor=advisor)
    with pytest.raises(ValidationError) as info:
        service_order_close(service_order=order, actor=advisor)
    assert "390.00" in info.value.messages[0]  # 1.5 × 200 + 90


def test_payment_above_what_is_owed_is_refused(advisor, customer, vehicle):
    order = _ready_order(advisor, customer, vehicle)
    with pytest.raises(ValidationError) as info:
        service_order_record_payment(service_order=order, amount="390.01", actor=advisor)
    assert "amount" in info.value.message_dict
    with pytest.raises(ValidationError):
        service_order_record_payment(service_order=order, amount="0", actor=advisor)
    order.refresh_from_db()
    assert order.paid_total == 0


def test_full_payment_then_close_schedules_call_and_next_reminder(advisor, customer, vehicle):
    previous = ReminderFactory(store=advisor.store, customer=customer, vehicle=vehicle)
    order = _ready_order(advisor, customer, vehicle)
    service_order_record_payment(service_order=order, amount="100", actor=advisor)
    assert order.parts.filter(is_paid=False).exists()
    service_order_record_payment(service_order=order, amount="290", actor=advisor)
    assert not order.parts.filter(is_paid=False).exists()
    service_order_close(service_order=order, actor=advisor)

    assert order.status == ServiceStatus.CLOSED
    assert order.closed_at is not None
    call = FollowUpCall.objects.get(service_order=order)
    assert call.kind == FollowUpKind.SERVICE_DAY3
    assert call.due_date == timezone.localdate() + datetime.timedelta(days=3)
    assert call.caller == advisor
    previous.refresh_from_db()
    assert previous.status == ReminderStatus.DONE
    assert previous.service_order == order
    upcoming = Reminder.objects.get(vehicle=vehicle, status=ReminderStatus.DUE)
    assert upcoming.due_mileage_km == 22000
    assert upcoming.last_mileage_km == 12000
    assert upcoming.advisor == advisor


def test_closed_order_cannot_move_again(advisor, customer, vehicle):
    order = _ready_order(advisor, customer, vehicle)
    service_order_record_payment(service_order=order, amount="390", actor=advisor)
    service_order_close(service_order=order, actor=advisor)
    for move in (service_order_start, service_order_mark_ready, service_order_close):
        with pytest.raises(ValidationError):
            move(service_order=order, actor=advisor)
    with pytest.raises(ValidationError):
        service_order_cancel(service_order=order, actor=advisor, reason="x")


def test_cancelling_needs_a_reason_and_no_payment(advisor, customer, vehicle):
    order = _open(advisor, customer, vehicle)
    service_job_add(service_order=order, description="x", labour_hours="1", labour_rate="50", actor=advisor)
    service_order_record_payment(service_order=order, amount="10", actor=advisor)
    with pytest.raises(ValidationError):
        service_order_cancel(service_order=order, actor=advisor, reason="")
    with pytest.raises(ValidationError):
        service_order_cancel(service_order=order, actor=advisor, reason="Customer left")
    other = _open(advisor, customer, vehicle)
    service_order_cancel(service_order=other, actor=advisor, reason="Customer left")
    assert other.status == ServiceStatus.CANCELLED
