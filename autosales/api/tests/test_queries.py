"""A list costs the same number of queries whatever the number of rows on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autosales.core.tests.factories import UserFactory
from autosales.inventory.tests.factories import (
    BrandFactory,
    CarModelFactory,
    ColourFactory,
    TrimFactory,
    VehicleFactory,
)
from autosales.parties.tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def _trim_with_colours(**kwargs):
    trim = TrimFactory(**kwargs)
    trim.colours.set([ColourFactory(), ColourFactory()])
    return trim


MAKERS = {
    "customers": lambda store: CustomerFactory(store=store),
    "contacts": lambda store: ContactFactory(customer__store=store),
    "vehicles": lambda store: VehicleFactory(store=store, colour=ColourFactory()),
    "brands": lambda store: CarModelFactory(brand=BrandFactory()).brand,
    "models": lambda store: TrimFactory().car_model,
    "trims": lambda store: _trim_with_colours(),
    "colours": lambda store: ColourFactory(),
    "users": lambda store: UserFactory(store=store),
}


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"page_size": 200})
    assert response.status_code == 200
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("resource", sorted(MAKERS))
def test_list_costs_the_same_queries_for_10_and_100_rows(api, admin_user, store_a, resource):
    client = api(admin_user)
    path = f"/api/v1/{resource}/"
    make = MAKERS[resource]
    for _ in range(10):
        make(store_a)
    few, rows_few = _queries(client, path)
    for _ in range(90):
        make(store_a)
    many, rows_many = _queries(client, path)
    assert rows_many >= rows_few + 90
    assert many == few, f"{resource}: {few} queries for {rows_few} rows, {many} for {rows_many}"
