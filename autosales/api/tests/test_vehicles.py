import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from autosales.core.choices import Role
from autosales.core.identity import make_vin
from autosales.inventory.models import Vehicle
from autosales.inventory.tests.factories import TrimFactory, VehicleFactory

pytestmark = pytest.mark.django_db

rng = random.Random(9)
URL = "/api/v1/vehicles/"


def vehicle_data(trim, **extra):
    return {
        "vin": make_vin(rng),
        "trim": trim.pk,
        "status": "in_stock",
        "cost": "180000.00",
        "list_price": "200000.00",
        "arrival_date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        **extra,
    }


def test_manager_registers_a_vehicle_in_own_store_and_sees_its_cost_and_stock_age(api, manager):
    response = api(manager).post(URL, vehicle_data(TrimFactory()), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    vehicle = Vehicle.objects.get(pk=body["id"])
    assert vehicle.store == manager.store
    assert body["cost"] == "180000.00" and body["stock_age_days"] == 3
    assert body["vin_tail"] == vehicle.vin[-6:]


def test_vehicle_is_read_updated_and_deleted(api, manager):
    vehicle = VehicleFactory(store=manager.store)
    client = api(manager)
    detail = f"{URL}{vehicle.pk}/"
    assert client.get(detail).json()["vin"] == vehicle.vin
    response = client.patch(detail, {"list_price": "199999.99", "plate_number": "沪A12345"}, format="json")
    assert response.status_code == 200, response.json()
    vehicle.refresh_from_db()
    assert vehicle.list_price == Decimal("199999.99") and vehicle.plate_number == "沪A12345"
    assert response.json()["stock_age_days"] == 10
    assert client.delete(detail).status_code == 204
    assert not Vehicle.objects.filter(pk=vehicle.pk).exists()


def test_vin_with_a_wrong_check_digit_is_refused_under_the_vin_field(api, manager):
    vin = make_vin(rng)
    wrong = vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]
    response = api(manager).post(URL, vehicle_data(TrimFactory(), vin=wrong), format="json")
    assert response.status_code == 400
    assert "check digit" in response.json()["vin"][0]
    assert not Vehicle.objects.exists()


def test_duplicate_vin_names_the_store_that_has_it(api, manager, store_b):
    existing = VehicleFactory(store=store_b)
    response = api(manager).post(URL, vehicle_data(TrimFactory(), vin=existing.vin.lower()), format="json")
    assert response.status_code == 400
    assert store_b.code in response.json()["vin"][0]


def test_cost_is_hidden_from_a_salesperson(api, salesperson):
    vehicle = VehicleFactory(store=salesperson.store)
    client = api(salesperson)
    assert "cost" not in client.get(f"{URL}{vehicle.pk}/").json()
    assert all("cost" not in row for row in client.get(URL).json()["results"])
    assert "standard_cost" not in client.get(f"/api/v1/trims/{vehicle.trim_id}/").json()


def test_aftersales_cannot_set_the_cost_it_cannot_see(api, make_user):
    advisor = make_user(Role.AFTERSALES)
    response = api(advisor).post(URL, vehicle_data(TrimFactory(), cost="1.00"), format="json")
    assert response.status_code == 201, response.json()
    assert "cost" not in response.json()
    assert Vehicle.objects.get().cost == Decimal("0")


def test_salesperson_cannot_register_vehicles(api, salesperson):
    assert api(salesperson).post(URL, vehicle_data(TrimFactory()), format="json").status_code == 403


def test_vehicle_of_another_store_is_not_found(api, manager, store_b):
    vehicle = VehicleFactory(store=store_b)
    client = api(manager)
    assert client.get(f"{URL}{vehicle.pk}/").status_code == 404
    assert client.patch(f"{URL}{vehicle.pk}/", {"plate_number": "x"}, format="json").status_code == 404


def test_stock_age_is_null_for_a_sold_vehicle(api, manager):
    vehicle = VehicleFactory(store=manager.store, status="sold")
    assert api(manager).get(f"{URL}{vehicle.pk}/").json()["stock_age_days"] is None


def test_vehicle_list_filters_by_status_and_searches_by_vin_tail(api, manager):
    stock = VehicleFactory(store=manager.store)
    VehicleFactory(store=manager.store, status="sold")
    client = api(manager)
    assert [r["id"] for r in client.get(URL, {"status": "in_stock"}).json()["results"]] == [stock.pk]
    assert [r["id"] for r in client.get(URL, {"q": stock.vin[-6:]}).json()["results"]] == [stock.pk]


def test_keyset_pagination_walks_every_row_once_without_count(api, manager):
    vehicles = VehicleFactory.create_batch(7, store=manager.store)
    client = api(manager)
    page = client.get(URL, {"pagination": "cursor", "page_size": 3}).json()
    assert "count" not in page
    seen = [row["id"] for row in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
    assert seen == sorted((v.pk for v in vehicles), reverse=True)


def test_page_number_pagination_counts_and_honours_page_size(api, manager):
    VehicleFactory.create_batch(5, store=manager.store)
    page = api(manager).get(URL, {"page_size": 2, "page": 2}).json()
    assert page["count"] == 5 and len(page["results"]) == 2
