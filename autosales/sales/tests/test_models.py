import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils import timezone, translation

from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales.choices import AllocationStatus, PaymentKind
from autosales.sales.models import OrderLine, Payment, VehicleAllocation
from autosales.sales.tests.factories import OrderFactory, OrderLineFactory, PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def new_order():
    # Orders without users: hashing their passwords would dominate the run time.
    customer = CustomerFactory(owner=None)
    return lambda: OrderFactory(store=customer.store, customer=customer, salesperson=None)


def allocate(order, vehicle, status=AllocationStatus.ALLOCATED):
    return VehicleAllocation.objects.create(order=order, vehicle=vehicle, status=status)


# Allocation of vehicles to orders


def test_second_open_allocation_of_a_vehicle_is_refused_by_the_database(new_order):
    vehicle = VehicleFactory()
    allocate(new_order(), vehicle)
    with pytest.raises(IntegrityError), transaction.atomic():
        allocate(new_order(), vehicle)
    assert VehicleAllocation.objects.filter(vehicle=vehicle).count() == 1


def test_delivered_allocation_still_holds_the_vehicle(new_order):
    vehicle = VehicleFactory()
    allocate(new_order(), vehicle, status=AllocationStatus.DELIVERED)
    with pytest.raises(IntegrityError), transaction.atomic():
        allocate(new_order(), vehicle)


def test_released_vehicle_can_be_allocated_again(new_order):
    vehicle = VehicleFactory()
    first = allocate(new_order(), vehicle)
    first.status = AllocationStatus.RELEASED
    first.released_at = timezone.now()
    first.save(update_fields=["status", "released_at"])
    allocate(new_order(), vehicle)
    allocate_again = VehicleAllocation.objects.filter(vehicle=vehicle).exclude(
        status=AllocationStatus.RELEASED
    )
    assert allocate_again.count() == 1


def test_reopening_a_released_allocation_while_the_vehicle_is_held_is_refused(new_order):
    vehicle = VehicleFactory()
    released = allocate(new_order(), vehicle, status=AllocationStatus.RELEASED)
    allocate(new_order(), vehicle)
    released.status = AllocationStatus.ALLOCATED
    with pytest.raises(IntegrityError), transaction.atomic():
        released.save(update_fields=["status"])


# Payments


@pytest.mark.parametrize("amount", [Decimal("0.00"), Decimal("-100.00")])
def test_payment_of_zero_or_less_is_refused_by_clean(amount, new_order):
    payment = PaymentFactory.build(order=new_order(), amount=amount)
    with pytest.raises(ValidationError) as exc:
        payment.full_clean()
    assert "amount" in exc.value.message_dict


@pytest.mark.parametrize("amount", [Decimal("0.00"), Decimal("-0.01")])
def test_payment_of_zero_or_less_is_refused_by_the_database(amount, new_order):
    payment = PaymentFactory.build(order=new_order(), amount=amount)
    with pytest.raises(IntegrityError), transaction.atomic():
        payment.save()


def test_refund_counts_against_what_was_paid():
    refund = Payment(kind=PaymentKind.REFUND, amount=Decimal("500.00"))
    deposit = Payment(kind=PaymentKind.DEPOSIT, amount=Decimal("500.00"))
    assert refund.signed_amount == Decimal("-500.00")
    assert deposit.signed_amount == Decimal("500.00")


def test_payment_amount_is_kept_to_the_cent(new_order):
    payment = PaymentFactory(order=new_order(), amount=Decimal("123456789.99"))
    payment.refresh_from_db()
    assert payment.amount == Decimal("123456789.99")


# Money totals in SQL are exact to the cent on every database.


def test_sum_of_many_ten_cent_payments_is_exact(new_order):
    order = new_order()
    now = timezone.now()
    Payment.objects.bulk_create(
        Payment(order=order, kind=PaymentKind.DEPOSIT, amount=Decimal("0.10"), paid_at=now)
        for _ in range(1000)
    )
    total = Payment.objects.filter(order=order).aggregate(total=Sum("amount"))["total"]
    assert isinstance(total, Decimal)
    assert total == Decimal("100.00")
    assert str(total) == "100.00"


def test_sum_of_varied_large_payments_equals_the_decimal_sum(new_order):
    rng = random.Random(5)
    order = new_order()
    now = timezone.now()
    amounts = [Decimal(rng.randint(1, 99_999_999_99)) / 100 for _ in range(2000)]
    Payment.objects.bulk_create(
        Payment(order=order, kind=PaymentKind.BALANCE, amount=amount, paid_at=now) for amount in amounts
    )
    total = Payment.objects.filter(order=order).aggregate(total=Sum("amount"))["total"]
    assert total == sum(amounts, Decimal("0.00"))


def test_sum_of_line_amounts_computed_in_sql_is_exact(new_order):
    order = new_order()
    rng = random.Random(9)
    lines = []
    for _ in range(300):
        price = Decimal(rng.randint(1_000_00, 500_000_00)) / 100
        lines.append(
            OrderLineFactory.build(
                order=order,
                trim=None,
                kind="accessory",
                description="脚垫",
                quantity=rng.randint(1, 5),
                unit_price=price,
                unit_discount=(price * Decimal(rng.randint(0, 15)) / 100).quantize(Decimal("0.01")),
                unit_cost=Decimal("0.00"),
            )
        )
    OrderLine.objects.bulk_create(lines)
    amount = ExpressionWrapper(
        (F("unit_price") - F("unit_discount")) * F("quantity"),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    total = OrderLine.objects.filter(order=order).aggregate(total=Sum(amount))["total"]
    assert total == sum((line.amount for line in lines), Decimal("0.00"))
