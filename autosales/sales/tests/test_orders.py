import datetime
import functools
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import translation

from autosales.aftersales.models import FollowUpCall, Reminder
from autosales.core.exceptions import DomainError
from autosales.core.models import Event
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales import selectors, services
from autosales.sales.choices import PDI_ITEMS, LeadStage, LineKind, OrderStatus
from autosales.sales.figures import order_figures_refresh
from autosales.sales.models import Order, Payment, VehicleAllocation
from autosales.sales.tests.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db
D = Decimal
ALL_PDI = {key: True for key, _label in PDI_ITEMS}


def pay(order, finance, kind, amount):
    return services.payment_record(order=order, actor=finance, kind=kind, amount=D(amount))


def test_order_from_accepted_quote_copies_lines_and_wins_the_lead(confirmed_order, lead):
    assert confirmed_order.status == OrderStatus.CONFIRMED
    assert confirmed_order.number.startswith("O-SH01-")
    assert confirmed_order.lines.count() == 1
    lead.refresh_from_db()
    assert lead.stage == LeadStage.WON


@pytest.mark.parametrize("extras", [0, 4])
def test_order_lines_are_copied_with_their_history_however_many(quote_with_vehicle, salesperson, extras):
    from autosales.sales.tests.conftest import approved_quote

    for n in range(extras):
        services.quote_line_add(
            quote=quote_with_vehicle,
            actor=salesperson,
            kind=LineKind.ACCESSORY,
            description=f"Mats {n}",
            unit_price=D("500.00"),
            unit_cost=D("300.00"),
        )
    quote = approved_quote(quote_with_vehicle, salesperson)
    services.quote_accept(quote=quote, actor=salesperson)
    order = services.order_create_from_quote(quote=quote, actor=salesperson)
    lines = list(order.lines.order_by("id"))
    assert [line.description for line in lines] == [line.description for line in quote.lines.order_by("id")]
    assert len(lines) == 1 + extras
    for line in lines:
        (version,) = line.history.all()
        assert version.history_type == "+" and version.history_user_id == salesperson.pk


def test_order_needs_an_accepted_quote(quote_with_vehicle, salesperson):
    with pytest.raises(DomainError):
        services.order_create_from_quote(quote=quote_with_vehicle, actor=salesperson)
    assert not Order.objects.exists()


def test_full_order_flow_from_deposit_to_delivery(confirmed_order, finance, salesperson, vehicle):
    order = confirmed_order
    pay(order, finance, "deposit", "20000")
    order.refresh_from_db()
    assert order.status == OrderStatus.DEPOSIT_PAID and order.balance_due == D("180000.00")
    services.order_allocate_vehicle(order=order, vehicle=vehicle, actor=salesperson)
    order.refresh_from_db()
    vehicle.refresh_from_db()
    assert order.status == OrderStatus.ALLOCATED and vehicle.status == VehicleStatus.RESERVED
    pay(order, finance, "loan", "150000")
    pay(order, finance, "balance", "30000")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.balance_due == 0
    delivery = services.delivery_schedule(order=order, actor=salesperson)
    with pytest.raises(DomainError) as exc:
        services.delivery_complete(delivery=delivery, actor=salesperson)
    assert "pdi" in exc.value.message_dict
    services.delivery_pdi_update(delivery=delivery, actor=salesperson, items=ALL_PDI)
    services.delivery_complete(delivery=delivery, actor=salesperson)
    order.refresh_from_db()
    vehicle.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and vehicle.status == VehicleStatus.DELIVERED
    assert FollowUpCall.objects.filter(order=order).count() == 2
    assert Reminder.objects.filter(vehicle=vehicle, customer=order.customer).exists()
    services.order_close(order=order, actor=salesperson)
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    statuses = list(
        Event.objects.filter(
            content_type__model="order",
            object_id=order.pk,
            action__in=["confirmed", "deposit_paid", "allocated", "paid_in_full", "delivered", "closed"],
        ).values_list("to_state", flat=True)
    )
    assert set(statuses) == {"confirmed", "deposit_paid", "allocated", "paid", "delivered", "closed"}


def test_overpayment_is_refused_with_the_balance_named(confirmed_order, finance):
    with pytest.raises(DomainError) as exc:
        pay(confirmed_order, finance, "deposit", "200000.01")
    assert "¥200,000.00" in str(exc.value)
    confirmed_order.refresh_from_db()
    assert confirmed_order.paid_total == 0 and not Payment.objects.exists()


def test_salesperson_cannot_record_payments(confirmed_order, salesperson):
    with pytest.raises(DomainError):
        pay(confirmed_order, salesperson, "deposit", "1000")


def test_refund_larger_than_paid_is_refused(confirmed_order, finance):
    pay(confirmed_order, finance, "deposit", "5000")
    with pytest.raises(DomainError):
        pay(confirmed_order, finance, "refund", "5000.01")


def test_vehicle_already_taken_is_refused_naming_the_order(
    confirmed_order, finance, salesperson, vehicle, store
):
    pay(confirmed_order, finance, "deposit", "5000")
    services.order_allocate_vehicle(order=confirmed_order, vehicle=vehicle, actor=salesperson)
    other = OrderFactory(store=store, status=OrderStatus.DEPOSIT_PAID, total=D("200000"))
    OrderLineFactory(order=other, trim=vehicle.trim)
    with pytest.raises(DomainError) as exc:
        services.order_allocate_vehicle(order=other, vehicle=vehicle, actor=salesperson)
    assert confirmed_order.number in str(exc.value)
    assert VehicleAllocation.objects.count() == 1


def test_allocation_before_deposit_is_refused(confirmed_order, salesperson, vehicle):
    with pytest.raises(DomainError):
        services.order_allocate_vehicle(order=confirmed_order, vehicle=vehicle, actor=salesperson)


def test_cancellation_releases_the_vehicle_and_records_the_refund_owed(
    confirmed_order, finance, salesperson, vehicle
):
    pay(confirmed_order, finance, "deposit", "5000")
    services.order_allocate_vehicle(order=confirmed_order, vehicle=vehicle, actor=salesperson)
    services.order_cancel(order=confirmed_order, actor=salesperson, reason="customer moved abroad")
    confirmed_order.refresh_from_db()
    vehicle.refresh_from_db()
    assert confirmed_order.status == OrderStatus.CANCELLED
    assert confirmed_order.refund_owed == D("5000.00")
    assert vehicle.status == VehicleStatus.IN_STOCK
    pay(confirmed_order, finance, "refund", "5000")
    confirmed_order.refresh_from_db()
    assert confirmed_order.refund_owed == 0 and confirmed_order.paid_total == 0


def test_cancellation_needs_a_reason(confirmed_order, salesperson):
    with pytest.raises(DomainError):
        services.order_cancel(order=confirmed_order, actor=salesperson, reason=" ")
    confirmed_order.refresh_from_db()
    assert confirmed_order.status == OrderStatus.CONFIRMED


def test_delivered_order_cannot_be_cancelled(confirmed_order, finance, salesperson, vehicle):
    pay(confirmed_order, finance, "deposit", "200000")
    services.order_allocate_vehicle(order=confirmed_order, vehicle=vehicle, actor=salesperson)
    delivery = services.delivery_schedule(order=confirmed_order, actor=salesperson)
    services.delivery_pdi_update(delivery=delivery, actor=salesperson, items=ALL_PDI)
    services.delivery_complete(delivery=delivery, actor=salesperson)
    with pytest.raises(DomainError):
        services.order_cancel(order=confirmed_order, actor=salesperson, reason="changed mind")


def test_fleet_order_delivers_in_batches(store, salesperson, finance, trim):
    company = CustomerFactory(company=True, store=store, owner=salesperson)
    quote = services.quote_create(actor=salesperson, customer=company)
    services.quote_line_add(quote=quote, actor=salesperson, trim=trim, quantity=3)
    services.quote_submit(quote=quote, actor=salesperson)
    services.quote_accept(quote=quote, actor=salesperson)
    order = services.order_create_from_quote(quote=quote, actor=salesperson)
    services.order_confirm(order=order, actor=salesperson)
    assert order.is_fleet
    cars = [VehicleFactory(trim=trim, store=store) for _ in range(3)]
    pay(order, finance, "deposit", "400000")
    allocations = [services.order_allocate_vehicle(order=order, vehicle=v, actor=salesperson) for v in cars]
    order.refresh_from_db()
    assert order.status == OrderStatus.ALLOCATED
    first = services.delivery_schedule(order=order, actor=salesperson, allocations=allocations[:2])
    services.delivery_pdi_update(delivery=first, actor=salesperson, items=ALL_PDI)
    services.delivery_complete(delivery=first, actor=salesperson)
    order.refresh_from_db()
    assert order.status == OrderStatus.ALLOCATED
    assert selectors.vehicle_units(order) == {"wanted": 3, "allocated": 3, "delivered": 2}
    second = services.delivery_schedule(order=order, actor=salesperson)
    services.delivery_pdi_update(delivery=second, actor=salesperson, items=ALL_PDI)
    with pytest.raises(DomainError):  # last batch before full payment
        services.delivery_complete(delivery=second, actor=salesperson)
    pay(order, finance, "balance", "200000")
    services.delivery_complete(delivery=second, actor=salesperson)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


def test_performance_per_salesperson_with_target(confirmed_order, salesperson, manager, store):
    month = confirmed_order.order_date.replace(day=1)
    services.sales_target_set(
        actor=manager,
        store=store,
        salesperson=salesperson,
        month=month,
        units=2,
        revenue=D("400000"),
        gross_profit=D("40000"),
    )
    rows = selectors.performance(
        orders=Order.objects.all(),
        leads=selectors.Lead.objects.all(),
        start=month,
        end=month + datetime.timedelta(days=31),
    )
    row = next(r for r in rows if r["id"] == salesperson.pk)
    assert row["units"] == 1 and row["revenue"] == D("200000.00")
    assert row["gross_profit"] == D("20000.00")
    assert row["units_achieved"] == D("0.5000")
    assert row["conversion"] == D("1.0000")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_threads_race_for_one_vin_and_exactly_one_wins(store, salesperson, finance, trim):
    if connection.vendor != "postgresql":
        pytest.skip("the race is tested on PostgreSQL")
    vehicle = VehicleFactory(trim=trim, store=store)
    orders = []
    for _ in range(8):
        order = OrderFactory(
            store=store, salesperson=salesperson, status=OrderStatus.DEPOSIT_PAID, total=D("200000")
        )
        OrderLineFactory(order=order, trim=trim)
        orders.append(order)
    barrier = threading.Barrier(len(orders))
    results = []

    def attempt(order):
        try:
            barrier.wait()
            # A new thread has no active language: ask for the messages in English.
            with translation.override("en"):
                services.order_allocate_vehicle(order=order, vehicle=vehicle, actor=salesperson)
            results.append("won")
        except DomainError as exc:
            results.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(o,)) for o in orders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("won") == 1
    losers = [r for r in results if r != "won"]
    assert len(losers) == 7 and all("already taken" in r and vehicle.vin in r for r in losers)
    assert VehicleAllocation.objects.filter(vehicle=vehicle).count() == 1


def test_performance_report_runs_a_fixed_number_of_queries(
    confirmed_order, django_assert_max_num_queries, store
):
    for _ in range(5):
        extra = OrderFactory(store=store, status=OrderStatus.CONFIRMED, total=D("100000"))
        OrderLineFactory(order=extra)
    month = confirmed_order.order_date.replace(day=1)
    with django_assert_max_num_queries(6):
        selectors.performance(
            orders=Order.objects.all(),
            leads=selectors.Lead.objects.all(),
            start=month,
            end=month + datetime.timedelta(days=31),
            by="store",
        )


def test_an_order_keeps_the_figures_of_its_lines_by_kind(quote_with_vehicle, salesperson, customer, manager):
    """Vehicle 200,000 list / 180,000 cost with 3,000 off; floor mats given free (list 800, cost 300);
    a loan earning the dealer 2,500 from the lender; insurance 6,000 costing 5,100 plus 900
    commission; a trade-in worth 45,000, which is a credit and counts in none of the figures."""
    quote = quote_with_vehicle
    vehicle_line = quote.lines.get(kind=LineKind.VEHICLE)
    services.quote_line_update(line=vehicle_line, actor=salesperson, unit_discount=D("3000"))
    add = functools.partial(services.quote_line_add, quote=quote, actor=salesperson)
    add(kind=LineKind.ACCESSORY, description="脚垫", unit_price=D("800"), unit_cost=D("300"), is_free=True)
    add(kind=LineKind.FINANCING, term_months=36, annual_rate=D("0.0399"), income=D("2500"))
    add(kind=LineKind.INSURANCE, unit_price=D("6000"), unit_cost=D("5100"), income=D("900"))
    appraisal = services.trade_in_appraise(
        actor=salesperson,
        customer=customer,
        description="大众 朗逸 2018",
        mileage_km=80000,
        appraised_value=D("45000"),
    )
    add(kind=LineKind.TRADE_IN, trade_in=appraisal)
    services.quote_submit(quote=quote, actor=salesperson)
    quote.refresh_from_db()
    if quote.status != "approved":
        services.quote_approve(quote=quote, actor=manager)
    services.quote_accept(quote=quote, actor=salesperson)
    order = services.order_create_from_quote(quote=quote, actor=salesperson)
    expected = {
        "price_discount": D("3000.00"),
        "free_extras": D("800.00"),
        "free_extras_cost": D("300.00"),
        "vehicle_profit": D("16700.00"),  # 200,000 − 3,000 − 180,000 + (800 − 800 − 300)
        "addon_profit": D("900.00"),  # insurance 6,000 − 5,100; the loan line has no price
        "fi_income": D("4300.00"),  # insurance 900 + 900 commission, loan 2,500
        "vehicle_units": 1,
        "financing_lines": 1,
        "insurance_lines": 1,
        "package_lines": 0,
        "upfitting_lines": 0,
    }
    assert {name: getattr(order, name) for name in expected} == expected
    stored = Order.objects.values(*expected).get(pk=order.pk)
    assert stored == expected
    # The same figures, recomputed from the lines for any set of orders.
    Order.objects.filter(pk=order.pk).update(price_discount=0, vehicle_units=0, fi_income=0)
    assert order_figures_refresh(Order.objects.filter(pk=order.pk)) == 1
    assert Order.objects.values(*expected).get(pk=order.pk) == expected
