import pytest
from django.urls import reverse

from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties.tests.factories import CustomerFactory
from autosales.web.search import PROVIDERS

pytestmark = pytest.mark.django_db


def _titles(client, query):
    response = client.get(reverse("web:search"), {"q": query})
    assert response.status_code == 200
    return {
        provider.key: [result.title for result in results]
        for provider, results in response.context["sections"]
    }


def test_search_finds_a_customer_by_name_mobile_and_credit_code(client, manager):
    company = CustomerFactory(store=manager.store, company=True, name="苏州远航物流有限公司")
    person = CustomerFactory(store=manager.store, name="陈小明")
    client.force_login(manager)
    assert _titles(client, "远航")["customers"] == [company.name]
    assert _titles(client, person.mobile)["customers"] == [person.name]
    assert _titles(client, company.credit_code.lower())["customers"] == [company.name]


def test_search_finds_a_vehicle_by_full_vin_or_last_six(client, manager):
    vehicle = VehicleFactory(store=manager.store)
    VehicleFactory(store=manager.store)
    client.force_login(manager)
    assert _titles(client, vehicle.vin)["vehicles"] == [vehicle.vin]
    assert _titles(client, vehicle.vin[-6:].lower())["vehicles"] == [vehicle.vin]


def test_search_never_shows_rows_outside_the_users_scope(client, salesperson, other_salesperson):
    CustomerFactory(store=other_salesperson.store, owner=other_salesperson, name="外店客户")
    vehicle = VehicleFactory(store=other_salesperson.store)
    client.force_login(salesperson)
    assert _titles(client, "外店客户") == {}
    assert _titles(client, vehicle.vin) == {}


def test_search_results_link_to_detail_pages(client, manager):
    customer = CustomerFactory(store=manager.store, name="刘德华")
    client.force_login(manager)
    response = client.get(reverse("web:search"), {"q": "刘德华"})
    assert reverse("web:customer_detail", args=[customer.pk]).encode() in response.content


def test_search_providers_are_extensible():
    assert [provider.key for provider in PROVIDERS][:2] == ["customers", "vehicles"]


def test_search_finds_quotes_and_orders_by_number_or_its_beginning(client, manager):
    from autosales.sales.tests.factories import OrderFactory, QuoteFactory

    quote = QuoteFactory(store=manager.store, number="SH01-2026-000123")
    order = OrderFactory(store=manager.store, number="SH01-2026-000777")
    OrderFactory(store=manager.store, number="SH01-2025-000777")
    client.force_login(manager)
    assert _titles(client, "sh01-2026-000123")["quotes"] == [quote.number]
    assert _titles(client, "SH01-2026-0007")["orders"] == [order.number]
    response = client.get(reverse("web:search"), {"q": order.number})
    assert reverse("web:order_detail", args=[order.pk]).encode() in response.content


def test_search_by_number_stays_within_the_users_scope(client, salesperson, other_salesperson):
    from autosales.sales.tests.factories import OrderFactory

    OrderFactory(store=other_salesperson.store, salesperson=other_salesperson, number="BJ01-2026-000001")
    OrderFactory(store=salesperson.store, number="SH01-2026-000001")
    client.force_login(salesperson)
    assert "orders" not in _titles(client, "BJ01-2026-000001")
    assert "orders" not in _titles(client, "SH01-2026-000001")
