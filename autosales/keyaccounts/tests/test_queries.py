"""The analysis runs a fixed number of grouped queries, whatever the number of customers."""

import datetime

import numpy as np
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.keyaccounts.facts import (
    SQLITE_INDEXES,
    Period,
    _with_index_hints,
    customer_facts,
    facts_queries,
    query_parallelism,
)
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_facts_on_two_connections_equal_the_facts_on_one(settings):
    configure()
    store = StoreFactory(code="KQ02")
    owner = UserFactory(username="kq2", store=store)
    add_customers(store, owner, 12, 0)
    period = Period.build(months=36, end=END)
    settings.KEYACCOUNTS_QUERY_CONNECTIONS = 1
    assert query_parallelism() == 1
    one = customer_facts(period)
    settings.KEYACCOUNTS_QUERY_CONNECTIONS = 2
    assert query_parallelism() == 2
    two = customer_facts(period)
    assert len(one) == len(two) == 12
    assert one.ids.tolist() == two.ids.tolist()
    assert one.names == two.names
    assert set(one.cols) == set(two.cols)
    for name, column in one.cols.items():
        assert np.array_equal(column, two.cols[name], equal_nan=True), name
    assert one.totals == two.totals
    with transaction.atomic():
        # Helper connections would not see this transaction's rows: one connection only.
        assert query_parallelism() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="index hints are for SQLite's planner")
def test_sqlite_reads_each_facts_query_from_its_covering_index():
    for store_id in (None, 1):
        queries = facts_queries(Period(end=END, months=36, store_id=store_id))
        assert set(SQLITE_INDEXES) <= set(queries)
        for name, hints in SQLITE_INDEXES.items():
            sql, params = queries[name][0].query.get_compiler(using="default").as_sql()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + _with_index_hints(sql, hints), params)
                plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
            for index in hints.values():
                assert f"USING COVERING INDEX {index}" in plan, (name, plan)
            assert "TEMP B-TREE FOR GROUP BY" not in plan, (name, plan)
