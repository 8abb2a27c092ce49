import datetime
from decimal import Decimal

import pytest

from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.inventory.tests.factories import TrimFactory, VehicleFactory
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales import services


@pytest.fixture
def store():
    return StoreFactory(code="SH01", name="上海浦东店")


@pytest.fixture
def salesperson(store):
    return UserFactory(username="sp1", store=store, first_name="明", last_name="李")


@pytest.fixture
def manager(store):
    return UserFactory(username="mgr1", store=store, manager=True)


@pytest.fixture
def gm():
    return UserFactory(username="gm1", general_manager=True)


@pytest.fixture
def finance(store):
    return UserFactory(username="fin1", store=store, finance=True)


@pytest.fixture
def trim():
    return TrimFactory(msrp=Decimal("200000.00"), standard_cost=Decimal("180000.00"))


@pytest.fixture
def vehicle(trim, store):
    return VehicleFactory(trim=trim, store=store)


@pytest.fixture
def customer(store, salesperson):
    return CustomerFactory(store=store, owner=salesperson, name="王小明")


@pytest.fixture
def lead(store, customer, salesperson):
    return services.lead_create(
        actor=salesperson, store=store, customer=customer, expected_value=Decimal("200000")
    )


@pytest.fixture
def quote_with_vehicle(salesperson, customer, lead, vehicle):
    quote = services.quote_create(actor=salesperson, customer=customer, lead=lead)
    services.quote_line_add(quote=quote, actor=salesperson, vehicle=vehicle)
    quote.refresh_from_db()
    return quote


def approved_quote(quote, actor, discount=Decimal("0")):
    line = quote.lines.get(kind="vehicle")
    if discount:
        services.quote_line_update(line=line, actor=actor, unit_discount=discount)
    services.quote_submit(quote=quote, actor=actor)
    quote.refresh_from_db()
    return quote


@pytest.fixture
def confirmed_order(quote_with_vehicle, salesperson):
    quote = approved_quote(quote_with_vehicle, salesperson)
    services.quote_accept(quote=quote, actor=salesperson)
    order = services.order_create_from_quote(quote=quote, actor=salesperson)
    services.order_confirm(order=order, actor=salesperson)
    order.refresh_from_db()
    return order


def tomorrow():
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=1)
