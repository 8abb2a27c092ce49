"""Lists and detail pages cost a fixed number of queries, however many rows or lines they show.

Each case builds a few rows (each with its own customer, salesperson and store objects, so a lazy
relation would cost one query per row), counts the queries of one request, builds many more and
counts again: the two counts must be equal. Covers the sales and after-sales API and web pages and
the detail pages of every domain; the customer, vehicle, contact and catalogue lists are pinned by
their owners' tests.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from autosales.aftersales.tests.factories import ComplaintFactory, ServiceOrderFactory, ServicePartFactory
from autosales.core.choices import Role
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties.tests.factories import ContactFactory, CustomerFactory
from autosales.sales.choices import ActivityKind, LineKind, PaymentKind
from autosales.sales.models import Activity
from autosales.sales.tests.factories import (
    LeadFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    QuoteFactory,
    QuoteLineFactory,
)

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 15


@pytest.fixture
def store():
    return StoreFactory(code="QC01")


@pytest.fixture
def gm():
    return UserFactory(username="qc.gm", general_manager=True)


def _activity(store):
    lead = LeadFactory(store=store)
    return Activity.objects.create(
        store=store,
        customer=lead.customer,
        lead=lead,
        kind=ActivityKind.CALL,
        user=lead.owner,
        occurred_at=timezone.now(),
        notes="call",
    )


def _order_with_lines(store):
    order = OrderFactory(store=store)
    OrderLineFactory(order=order)
    PaymentFactory(order=order, kind=PaymentKind.DEPOSIT)
    return order


LIST_MAKERS = {
    "leads": lambda store: LeadFactory(store=store),
    "activities": _activity,
    "quotes": lambda store: QuoteLineFactory(quote=QuoteFactory(store=store)).quote,
    "orders": _order_with_lines,
    "payments": lambda store: PaymentFactory(order=OrderFactory(store=store)),
    "service-orders": lambda store: ServicePartFactory(service_order=ServiceOrderFactory(store=store)),
    "complaints": lambda store: ComplaintFactory(store=store),
}


def _count(client, path, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured), response


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _web(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("resource", sorted(LIST_MAKERS))
def test_api_list_costs_the_same_queries_for_few_and_many_rows(gm, store, resource):
    client, make, path = _api(gm), LIST_MAKERS[resource], f"/api/v1/{resource}/"
    for _ in range(FEW):
        make(store)
    few, response = _count(client, path, page_size=100)
    assert len(response.json()["results"]) >= FEW
    for _ in range(MANY - FEW):
        make(store)
    many, response = _count(client, path, page_size=100)
    assert len(response.json()["results"]) >= MANY
    assert many == few, f"{path}: {few} queries for {FEW} rows, {many} for {MANY}"


@pytest.mark.parametrize("resource", ["customers", "vehicles", "orders", "leads"])
def test_api_keyset_list_costs_the_same_queries_for_few_and_many_rows(gm, store, resource):
    make = {
        "customers": lambda: CustomerFactory(store=store),
        "vehicles": lambda: VehicleFactory(store=store),
        "orders": lambda: _order_with_lines(store),
        "leads": lambda: LeadFactory(store=store),
    }[resource]
    client, path = _api(gm), f"/api/v1/{resource}/"
    for _ in range(FEW):
        make()
    few, response = _count(client, path, pagination="cursor", page_size=100)
    assert "count" not in response.json()
    for _ in range(MANY - FEW):
        make()
    many, _response = _count(client, path, pagination="cursor", page_size=100)
    assert many == few


WEB_LISTS = {
    "/sales/leads/": LIST_MAKERS["leads"],
    "/sales/quotes/": LIST_MAKERS["quotes"],
    "/sales/orders/": LIST_MAKERS["orders"],
    "/service/complaints/": LIST_MAKERS["complaints"],
}


@pytest.mark.parametrize("path", sorted(WEB_LISTS))
def test_web_list_costs_the_same_queries_for_few_and_many_rows(gm, store, path):
    client, make = _web(gm), WEB_LISTS[path]
    for _ in range(FEW):
        make(store)
    few, _response = _count(client, path)
    for _ in range(MANY - FEW):
        make(store)
    many, _response = _count(client, path)
    assert many == few, f"{path}: {few} queries for {FEW} rows, {many} for {MANY}"


# --- detail pages and endpoints: the number of lines, payments or contacts does not matter --------


def _grow_order(order, n):
    for _ in range(n):
        OrderLineFactory(order=order)
        OrderLineFactory(order=order, kind=LineKind.ACCESSORY, trim=None, unit_price=1000, unit_cost=500)
        PaymentFactory(order=order, kind=PaymentKind.BALANCE, amount=1000)


def _grow_quote(quote, n):
    for _ in range(n):
        QuoteLineFactory(quote=quote)
        QuoteLineFactory(quote=quote, kind=LineKind.ACCESSORY, trim=None, unit_price=1000, unit_cost=500)


def _grow_customer(customer, n):
    for _ in range(n):
        ContactFactory(customer=customer)
        LeadFactory(store=customer.store, customer=customer)
        order = OrderFactory(store=customer.store, customer=customer)
        OrderLineFactory(order=order)
        ServiceOrderFactory(store=customer.store, customer=customer)


def _grow_service_order(service_order, n):
    for _ in range(n):
        ServicePartFactory(service_order=service_order)


DETAILS = {
    "API order": (lambda store: OrderFactory(store=store), "/api/v1/orders/{pk}/", _grow_order, _api),
    "API quote": (lambda store: QuoteFactory(store=store), "/api/v1/quotes/{pk}/", _grow_quote, _api),
    "API customer": (
        lambda store: CustomerFactory(store=store, kind="company", mobile=""),
        "/api/v1/customers/{pk}/",
        _grow_customer,
        _api,
    ),
    "API service order": (
        lambda store: ServiceOrderFactory(store=store),
        "/api/v1/service-orders/{pk}/",
        _grow_service_order,
        _api,
    ),
    "web order": (lambda store: OrderFactory(store=store), "/sales/orders/{pk}/", _grow_order, _web),
    "web quote": (lambda store: QuoteFactory(store=store), "/sales/quotes/{pk}/", _grow_quote, _web),
    "web customer": (
        lambda store: CustomerFactory(store=store, kind="company", mobile=""),
        "/customers/{pk}/",
        _grow_customer,
        _web,
    ),
    "web service order": (
        lambda store: ServiceOrderFactory(store=store),
        "/service/orders/{pk}/",
        _grow_service_order,
        _web,
    ),
}


@pytest.mark.parametrize("case", sorted(DETAILS))
def test_detail_costs_the_same_queries_for_few_and_many_lines(gm, store, case):
    make, template, grow, client_for = DETAILS[case]
    obj = make(store)
    client, path = client_for(gm), template.format(pk=obj.pk)
    grow(obj, 1)
    # The first request fills per-process caches (content types, policies); count from the second.
    _count(client, path)
    few, _response = _count(client, path)
    grow(obj, 5)
    many, _response = _count(client, path)
    assert many == few, f"{case}: {few} queries with 1 of each, {many} with 6"


def test_store_manager_sees_a_list_for_the_same_queries_as_the_general_manager(store):
    """Scoping adds a filter, not queries per row."""
    manager = UserFactory(username="qc.manager", role=Role.SALES_MANAGER, store=store)
    for _ in range(FEW):
        _order_with_lines(store)
    few, response = _count(_api(manager), "/api/v1/orders/", page_size=100)
    assert len(response.json()["results"]) == FEW
    for _ in range(MANY - FEW):
        _order_with_lines(store)
        _order_with_lines(StoreFactory())
    many, response = _count(_api(manager), "/api/v1/orders/", page_size=100)
    assert len(response.json()["results"]) == MANY
    assert many == few
