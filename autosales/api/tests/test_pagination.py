import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from autosales.api.pagination import StandardPagination
from autosales.parties.models import Customer
from autosales.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_page_numbers_walk_every_row_once_in_the_requested_order(api, manager):
    for name in ["丙", "甲", "乙", "甲", "丁", "甲", "乙"]:
        CustomerFactory(store=manager.store, owner=manager, name=name)
    client = api(manager)
    seen = []
    url, params = "/api/v1/customers/", {"ordering": "name", "page_size": 2}
    while url:
        page = client.get(url, params).json()
        seen += [(row["name"], row["id"]) for row in page["results"]]
        url, params = page["next"], None
    expected = list(Customer.objects.order_by("name", "pk").values_list("name", "id"))
    assert seen == expected


def test_values_querysets_are_paginated_without_the_id_lookup():
    CustomerFactory.create_batch(3)
    request = Request(APIRequestFactory().get("/", {"page_size": 2}))
    page = StandardPagination().paginate_queryset(
        Customer.objects.order_by("pk").values("id", "name"), request
    )
    assert [row["id"] for row in page] == list(
        Customer.objects.order_by("pk").values_list("id", flat=True)[:2]
    )


def test_first_pages_are_read_in_one_query_and_deep_pages_by_id_without_an_order(
    django_assert_num_queries, monkeypatch
):
    customers = CustomerFactory.create_batch(9)
    expected = [c.pk for c in sorted(customers, key=lambda c: (c.created_at, c.pk), reverse=True)]
    queryset = Customer.objects.select_related("store").filter(pk__gt=0).order_by("-created_at", "-pk")
    pagination = StandardPagination()
    monkeypatch.setattr(pagination, "deferred_join_after", 3)

    def page(number):
        request = Request(APIRequestFactory().get("/", {"page_size": 3, "page": number}))
        return [c.pk for c in pagination.paginate_queryset(queryset, request)]

    with django_assert_num_queries(2):  # count, rows
        assert page(1) == expected[:3]
    with django_assert_num_queries(2):
        assert page(2) == expected[3:6]
    # Deeper, the rows are looked up by id, without an ORDER BY: with one, the database may walk
    # the ordering index through every row in scope (SQLite does) instead of looking the ids up.
    with django_assert_num_queries(3) as captured:  # count, ids, rows
        assert page(3) == expected[6:]
    rows_query = captured.captured_queries[-1]["sql"]
    assert " IN (" in rows_query and "ORDER BY" not in rows_query


def test_unfiltered_lists_with_joins_read_ids_first_from_the_first_page(django_assert_num_queries):
    customers = CustomerFactory.create_batch(5)
    expected = [c.pk for c in sorted(customers, key=lambda c: (c.created_at, c.pk), reverse=True)]
    queryset = Customer.objects.select_related("store").order_by("-created_at", "-pk")
    request = Request(APIRequestFactory().get("/", {"page_size": 3}))
    with django_assert_num_queries(3) as captured:  # count, ids, rows
        assert [c.pk for c in StandardPagination().paginate_queryset(queryset, request)] == expected[:3]
    ids_query, rows_query = (query["sql"] for query in captured.captured_queries[1:])
    assert "JOIN" not in ids_query and "ORDER BY" in ids_query
    assert "JOIN" in rows_query and "ORDER BY" not in rows_query


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_customer_search_counts_its_matches_from_the_search_index(api, manager):
    CustomerFactory.create_batch(5, store=manager.store, owner=manager)
    with CaptureQueriesContext(connection) as captured:
        assert api(manager).get("/api/v1/customers/", {"q": "138"}).status_code == 200
    (count,) = [query["sql"] for query in captured.captured_queries if "COUNT(" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + count)
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert "COVERING INDEX customer_store_search" in plan
