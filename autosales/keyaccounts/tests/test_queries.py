"""The analysis runs a fixed number of grouped queries, whatever the number of customers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.keyaccounts.selectors import analysis_run, clv_estimates
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales.choices import ActivityKind

from .builders import END, activities, configure, order, payment, service

pytestmark = pytest.mark.django_db


def add_customers(store, owner, count, offset):
    for i in range(count):
        customer = CustomerFactory(store=store, owner=owner)
        day = END - datetime.timedelta(days=30 + 40 * ((i + offset) % 20))
        o = order(customer, day, [{"unit_price": str(100_000 + i), "unit_cost": "90000"}])
        payment(o, "balance", "1000", day, day + datetime.timedelta(days=i % 3))
        service(customer, day + datetime.timedelta(days=10), labour="500", labour_cost="200")
        activities(customer, ActivityKind.CALL, 1, day)


def count_queries():
    with CaptureQueriesContext(connection) as ctx:
        a = analysis_run(months=36, end=END)
        clv_estimates(a)
    return a.n, len(ctx.captured_queries)


def test_query_count_does_not_grow_with_customers():
    configure()
    store = StoreFactory(code="KQ01")
    owner = UserFactory(username="kq", store=store)
    add_customers(store, owner, 5, 0)
    small_n, small_queries = count_queries()
    add_customers(store, owner, 25, 5)
    large_n, large_queries = count_queries()
    assert (small_n, large_n) == (5, 30)
    assert small_queries == large_queries
    assert large_queries <= 16
