import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from autosales.aftersales.choices import ServiceStatus
from autosales.aftersales.selectors import (
    aftersales_value_by_customer,
    complaints_overdue,
    customer_history,
    service_kpis,
    service_order_list,
    vehicle_history,
)
from autosales.core.tests.factories import UserFactory
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales.choices import OrderStatus
from autosales.sales.models import Activity, Delivery
from autosales.sales.tests.factories import OrderFactory, OrderLineFactory

from .factories import (
    ComplaintFactory,
    DeliveredVehicleFactory,
    FollowUpCallFactory,
    ReminderFactory,
    ServiceJobFactory,
    ServiceOrderFactory,
    ServicePartFactory,
)

pytestmark = pytest.mark.django_db


def _closed(store, customer, vehicle, revenue, cost, days_ago=1, warranty="0"):
    return ServiceOrderFactory(
        store=store,
        customer=customer,
        vehicle=vehicle,
        status=ServiceStatus.CLOSED,
        opened_at=timezone.now() - datetime.timedelta(days=days_ago),
        closed_at=timezone.now() - datetime.timedelta(days=days_ago),
        labour_revenue=Decimal(revenue),
        parts_revenue=Decimal("0.10"),
        labour_cost=Decimal(cost),
        parts_cost=Decimal("0.20"),
        discount=Decimal("0.05"),
        warranty_claim=Decimal(warranty),
        paid_total=Decimal(revenue) + Decimal("0.05"),
    )


def test_kpis_sum_revenue_and_profit_to_the_cent_and_hide_profit_from_advisors(
    store, customer, manager, advisor
):
    v1, v2, v3 = (DeliveredVehicleFactory(store=store) for _ in range(3))
    _closed(store, customer, v1, "100.10", "40.00")
    _closed(store, customer, v2, "200.20", "50.00", warranty="30.00")
    _closed(store, customer, v1, "999.00", "1.00", days_ago=400)  # outside the period and the year
    ServiceOrderFactory(store=store, customer=customer, vehicle=v3, status=ServiceStatus.CANCELLED)
    ServiceOrderFactory(store=store, customer=customer, vehicle=v3)  # still open
    today = timezone.localdate()
    kpis = service_kpis(user=manager, start=today - datetime.timedelta(days=30), end=today)
    assert kpis.closed_orders == 2
    assert kpis.active_orders == 1
    # (100.10 + 0.10 − 0.05) + (200.20 + 0.10 − 0.05)
    assert kpis.revenue == Decimal("300.40")
    # revenue 300.40 + warranty 30 − labour 90 − parts 0.40
    assert kpis.gross_profit == Decimal("240.00")
    assert service_kpis(user=advisor, start=today, end=today).gross_profit is None


def test_retention_is_the_share_of_delivered_vehicles_serviced_in_the_last_12_months(
    store, customer, manager
):
    recent, lapsed, never = (DeliveredVehicleFactory(store=store) for _ in range(3))
    DeliveredVehicleFactory(store=store, status="external")  # not sold by us
    _closed(store, customer, recent, "10", "1", days_ago=100)
    _closed(store, customer, lapsed, "10", "1", days_ago=500)
    kpis = service_kpis(user=manager, start=timezone.localdate(), end=timezone.localdate())
    assert (kpis.vehicles_sold, kpis.vehicles_retained) == (3, 1)
    assert kpis.retention == Decimal("0.3333")


def test_kpis_average_satisfaction_and_complaints(store, manager):
    for score in (5, 4, 2):
        call = FollowUpCallFactory(service_order__store=store)
        call.status, call.score, call.called_at = "done", score, timezone.now()
        call.save()
    FollowUpCallFactory(service_order__store=store)  # not called yet
    ComplaintFactory(store=store, due_date=timezone.localdate() - datetime.timedelta(days=1))
    ComplaintFactory(store=store)
    ComplaintFactory(store=store, status="closed", resolution="ok")
    ComplaintFactory()  # another store
    today = timezone.localdate()
    kpis = service_kpis(user=manager, start=today, end=today)
    assert kpis.average_satisfaction == Decimal("3.67")
    assert kpis.surveys == 3
    assert (kpis.open_complaints, kpis.overdue_complaints) == (2, 1)
    assert complaints_overdue(user=manager).count() == 1


def test_advisor_of_another_store_sees_none_of_our_service_orders(store):
    ServiceOrderFactory(store=store)
    outsider = UserFactory(aftersales=True)
    assert service_order_list(user=outsider).count() == 0
    salesperson = UserFactory(store=store)
    assert service_order_list(user=salesperson).count() == 0


def test_value_by_customer_counts_closed_services_in_the_period(store, customer):
    vehicle = DeliveredVehicleFactory(store=store)
    _closed(store, customer, vehicle, "100.00", "40.00", days_ago=10)
    _closed(store, customer, vehicle, "50.00", "10.00", days_ago=5, warranty="5.00")
    _closed(store, customer, vehicle, "70.00", "10.00", days_ago=200)
    facts = aftersales_value_by_customer(start=timezone.localdate() - datetime.timedelta(days=30))
    assert facts[customer.pk]["visits"] == 2
    assert facts[customer.pk]["revenue"] == Decimal("150.10")
    assert facts[customer.pk]["gross_profit"] == Decimal("104.70")


def _history_rows(store, customer, vehicle, n):
    for i in range(n):
        order = OrderFactory(store=store, customer=customer, status=OrderStatus.DELIVERED)
        OrderLineFactory(order=order, vehicle=vehicle if i == 0 else None)
        Delivery.objects.create(order=order, handed_over_at=timezone.now())
        service = ServiceOrderFactory(
            store=store, customer=customer, vehicle=vehicle, mileage_km=1000 * (i + 1)
        )
        ServiceJobFactory(service_order=service)
        ServicePartFactory(service_order=service)
        FollowUpCallFactory(service_order=service)
        ComplaintFactory(store=store, customer=customer, service_order=service)
        Activity.objects.create(store=store, customer=customer, kind="call", occurred_at=timezone.now())
    ReminderFactory(store=store, customer=customer, vehicle=vehicle)


def test_customer_history_loads_in_a_fixed_number_of_queries(store, advisor, manager):
    small, large = CustomerFactory(store=store), CustomerFactory(store=store)
    _history_rows(store, small, DeliveredVehicleFactory(store=store), 1)
    _history_rows(store, large, DeliveredVehicleFactory(store=store), 4)
    for user in (advisor, manager):
        with CaptureQueriesContext(connection) as one:
            history = customer_history(user=user, customer=small)
            _ = history.timeline
        with CaptureQueriesContext(connection) as four:
            history = customer_history(user=user, customer=large)
            _ = [
                (o.lines.all(), s.jobs.all(), s.parts.all())
                for o in history.orders
                for s in history.service_orders
            ]
            _ = history.timeline
        assert len(one) == len(four) <= 9
    big = customer_history(user=manager, customer=large)
    assert len(big.orders) == 4 and len(big.service_orders) == 4
    assert len(big.complaints) == 4 and len(big.follow_up_calls) == 4 and len(big.reminders) == 1
    assert len(big.activities) == 4


def test_advisor_sees_purchases_through_deliveries_but_not_the_sales_pipeline(store, advisor, customer):
    delivered = OrderFactory(store=store, customer=customer, status=OrderStatus.DELIVERED)
    Delivery.objects.create(order=delivered, handed_over_at=timezone.now())
    OrderFactory(store=store, customer=customer, status=OrderStatus.CONFIRMED)  # not delivered
    assert [o.pk for o in customer_history(user=advisor, customer=customer).orders] == [delivered.pk]


def test_vehicle_history_shows_its_sale_services_and_calls(store, manager, customer):
    vehicle = DeliveredVehicleFactory(store=store)
    order = OrderFactory(store=store, customer=customer, status=OrderStatus.DELIVERED)
    OrderLineFactory(order=order, vehicle=vehicle)
    OrderFactory(store=store, customer=customer)  # another purchase of the customer
    service = ServiceOrderFactory(store=store, customer=customer, vehicle=vehicle)
    call = FollowUpCallFactory(service_order=service)
    ServiceOrderFactory(store=store, customer=customer)  # another vehicle
    with CaptureQueriesContext(connection) as queries:
        history = vehicle_history(user=manager, vehicle=vehicle)
    assert [o.pk for o in history.orders] == [order.pk]
    assert history.service_orders == [service]
    assert history.follow_up_calls == [call]
    assert history.customers == [customer]
    assert len(queries) <= 8
