import datetime

import pytest
from django.utils import timezone

from autosales.inventory import selectors as inventory_selectors
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties import selectors as parties_selectors
from autosales.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_stock_by_status_is_one_query_and_counts_only_the_users_store(
    salesperson, other_store, django_assert_num_queries
):
    VehicleFactory.create_batch(3, store=salesperson.store)
    VehicleFactory(store=salesperson.store, status=VehicleStatus.RESERVED)
    VehicleFactory.create_batch(2, store=other_store)
    with django_assert_num_queries(1):
        rows = inventory_selectors.stock_by_status(user=salesperson)
    counts = {row["status"]: row["count"] for row in rows}
    assert counts[VehicleStatus.IN_STOCK] == 3
    assert counts[VehicleStatus.RESERVED] == 1
    assert VehicleStatus.EXTERNAL not in counts


def test_stock_age_buckets_are_one_query_with_inclusive_edges(manager, django_assert_num_queries):
    today = timezone.localdate()
    for days in (0, 30, 31, 60, 61, 90, 91, 400):
        VehicleFactory(store=manager.store, arrival_date=today - datetime.timedelta(days=days))
    VehicleFactory(store=manager.store, status=VehicleStatus.SOLD, arrival_date=today)
    with django_assert_num_queries(1):
        buckets = inventory_selectors.stock_age_buckets(user=manager, today=today)
    assert [(b["label"], b["count"]) for b in buckets] == [
        ("0–30", 2),
        ("31–60", 2),
        ("61–90", 2),
        ("90+", 2),
    ]


def test_newest_customers_are_the_users_own(salesperson, other_salesperson, django_assert_num_queries):
    mine = CustomerFactory(store=salesperson.store, owner=salesperson)
    CustomerFactory(store=other_salesperson.store, owner=other_salesperson)
    with django_assert_num_queries(1):
        newest = parties_selectors.customer_newest(user=salesperson)
    assert newest == [mine]


def test_vehicle_search_ignores_too_short_or_odd_input(manager):
    VehicleFactory(store=manager.store)
    assert inventory_selectors.vehicle_search(user=manager, query="AB") == []
    assert inventory_selectors.vehicle_search(user=manager, query="'; --") == []
