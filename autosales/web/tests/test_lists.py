import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from autosales.inventory.choices import FuelType, VehicleStatus
from autosales.inventory.tests.factories import TrimFactory, VehicleFactory
from autosales.parties.tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_customer_list_costs_the_same_queries_for_10_and_100_rows(client, manager):
    CustomerFactory.create_batch(10, store=manager.store, owner=manager)
    client.force_login(manager)
    url = reverse("web:customer_list") + "?page_size=ignored"
    few = _queries(client, url)
    CustomerFactory.create_batch(90, store=manager.store, owner=manager)
    assert _queries(client, url) == few


def test_vehicle_list_costs_the_same_queries_for_10_and_100_rows(client, manager):
    trim = TrimFactory()
    VehicleFactory.create_batch(10, store=manager.store, trim=trim)
    client.force_login(manager)
    url = reverse("web:vehicle_list")
    few = _queries(client, url)
    for _ in range(9):
        VehicleFactory.create_batch(10, store=manager.store, trim=TrimFactory())
    assert _queries(client, url) == few


def test_contact_list_costs_the_same_queries_for_10_and_100_rows(client, manager):
    company = CustomerFactory(store=manager.store, company=True)
    ContactFactory.create_batch(10, customer=company)
    client.force_login(manager)
    url = reverse("web:contact_list")
    few = _queries(client, url)
    for _ in range(9):
        ContactFactory.create_batch(10, customer=CustomerFactory(store=manager.store, company=True))
    assert _queries(client, url) == few


def test_customer_list_never_counts_the_whole_table(client, manager):
    CustomerFactory.create_batch(3, store=manager.store)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("web:customer_list"))
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the bounded count is expected"
    assert all("LIMIT" in sql.upper() for sql in counts)


def test_keyset_pages_walk_forward_and_back_without_gaps(client, manager, settings):
    customers = CustomerFactory.create_batch(120, store=manager.store, owner=manager)
    ids = sorted((c.pk for c in customers), reverse=True)
    client.force_login(manager)
    first = client.get(reverse("web:customer_list"))
    page1 = [row["object"].pk for row in first.context["rows"]]
    assert page1 == ids[:50]
    second = client.get(reverse("web:customer_list") + first.context["page"]["next_url"])
    page2 = [row["object"].pk for row in second.context["rows"]]
    assert page2 == ids[50:100]
    third = client.get(reverse("web:customer_list") + second.context["page"]["next_url"])
    assert [row["object"].pk for row in third.context["rows"]] == ids[100:]
    assert third.context["page"]["has_next"] is False
    back = client.get(reverse("web:customer_list") + third.context["page"]["previous_url"])
    assert [row["object"].pk for row in back.context["rows"]] == ids[50:100]


def test_sorted_list_uses_offset_pages(client, manager):
    for name in ["丙", "甲", "乙"]:
        CustomerFactory(store=manager.store, name=name)
    client.force_login(manager)
    response = client.get(reverse("web:customer_list") + "?ordering=name")
    names = [row["object"].name for row in response.context["rows"]]
    assert names == sorted(names)
    assert response.context["page"]["number"] == 1


def test_vehicle_list_filters_by_status_brand_and_fuel(client, manager):
    electric = TrimFactory(fuel_type=FuelType.ELECTRIC)
    petrol = TrimFactory(fuel_type=FuelType.PETROL)
    wanted = VehicleFactory(store=manager.store, trim=electric)
    VehicleFactory(store=manager.store, trim=petrol)
    VehicleFactory(store=manager.store, trim=electric, status=VehicleStatus.SOLD)
    client.force_login(manager)
    url = reverse("web:vehicle_list")
    query = f"?status=in_stock&fuel_type=electric&brand={electric.car_model.brand_id}"
    rows = client.get(url + query).context["rows"]
    assert [row["object"].pk for row in rows] == [wanted.pk]


def test_vehicle_list_shows_stock_age_in_days(client, manager):
    arrival = timezone.localdate() - datetime.timedelta(days=45)
    vehicle = VehicleFactory(store=manager.store, arrival_date=arrival)
    VehicleFactory(store=manager.store, status=VehicleStatus.SOLD, arrival_date=arrival)
    client.force_login(manager)
    rows = client.get(reverse("web:vehicle_list")).context["rows"]
    ages = {row["object"].pk: row["object"].stock_age_sql for row in rows}
    assert ages[vehicle.pk].days == 45
    assert [age for pk, age in ages.items() if pk != vehicle.pk] == [None]


def test_vehicle_list_shows_cost_only_to_roles_that_see_cost(client, manager, salesperson):
    VehicleFactory(store=manager.store)
    client.force_login(manager)
    headers = [h["label"] for h in client.get(reverse("web:vehicle_list")).context["headers"]]
    assert "Cost" in headers
    client.force_login(salesperson)
    headers = [h["label"] for h in client.get(reverse("web:vehicle_list")).context["headers"]]
    assert "Cost" not in headers


def test_salesperson_list_holds_only_own_customers(client, salesperson, other_salesperson):
    mine = CustomerFactory(store=salesperson.store, owner=salesperson)
    CustomerFactory(store=other_salesperson.store, owner=other_salesperson)
    client.force_login(salesperson)
    rows = client.get(reverse("web:customer_list")).context["rows"]
    assert [row["object"].pk for row in rows] == [mine.pk]


def test_htmx_filter_returns_only_the_results_fragment(client, manager):
    CustomerFactory(store=manager.store, name="华东物流")
    client.force_login(manager)
    response = client.get(
        reverse("web:customer_list") + "?q=华东", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="object-list"
    )
    body = response.content.decode()
    assert "华东物流" in body
    assert '<nav class="navbar' not in body


def test_filtering_keeps_the_chosen_sort_order(client, manager):
    CustomerFactory(store=manager.store)
    client.force_login(manager)
    body = client.get(reverse("web:customer_list") + "?ordering=-name").content.decode()
    assert '<input type="hidden" name="ordering" value="-name">' in body


def test_stock_age_bucket_link_lists_exactly_the_vehicles_of_the_bucket(client, manager):
    today = timezone.localdate()
    in_bucket = [
        VehicleFactory(store=manager.store, arrival_date=today - datetime.timedelta(days=d)) for d in (31, 60)
    ]
    for days in (30, 61):
        VehicleFactory(store=manager.store, arrival_date=today - datetime.timedelta(days=days))
    client.force_login(manager)
    home = client.get(reverse("web:home"))
    buckets = {bucket["low"]: bucket for bucket in home.context["widgets"][1]["data"]["buckets"]}
    assert [buckets[low]["count"] for low in (0, 31, 61, 91)] == [1, 2, 1, 0]
    bucket = buckets[31]
    query = f"?status=in_stock&status=reserved&arrived_after={bucket['arrived_after']}&arrived_before={bucket['arrived_before']}"
    rows = client.get(reverse("web:vehicle_list") + query).context["rows"]
    assert {row["object"].pk for row in rows} == {v.pk for v in in_bucket}
