import pytest

from autosales.core.choices import Role
from autosales.core.models import Store
from autosales.core.tests.factories import StoreFactory
from autosales.inventory.models import Brand, Trim
from autosales.inventory.tests.factories import BrandFactory, CarModelFactory, ColourFactory, VehicleFactory

pytestmark = pytest.mark.django_db


def test_users_list_never_shows_password_hashes(api, salesperson):
    rows = api(salesperson).get("/api/v1/users/").json()["results"]
    assert rows and all("password" not in row for row in rows)
    assert not any("pbkdf2" in str(value) for row in rows for value in row.values())


def test_users_are_read_only(api, admin_user, salesperson):
    response = api(admin_user).patch(f"/api/v1/users/{salesperson.pk}/", {"role": "admin"}, format="json")
    assert response.status_code == 405


def test_me_tells_whether_cost_is_shown(api, salesperson, manager):
    assert api(salesperson).get("/api/v1/users/me/").json()["can_see_cost"] is False
    assert api(manager).get("/api/v1/users/me/").json()["can_see_cost"] is True


def test_every_role_reads_its_store_and_only_admin_writes_stores(api, salesperson, admin_user, store_b):
    client = api(salesperson)
    assert [row["code"] for row in client.get("/api/v1/stores/").json()["results"]] == [
        salesperson.store.code
    ]
    assert (
        client.post("/api/v1/stores/", {"code": "GZ01", "name": "广州店"}, format="json").status_code == 403
    )
    response = api(admin_user).post("/api/v1/stores/", {"code": "gz01", "name": "广州店"}, format="json")
    assert response.status_code == 201, response.json()
    assert Store.objects.filter(code="GZ01").exists()


def test_store_code_format_error_is_reported_under_code(api, admin_user):
    response = api(admin_user).post("/api/v1/stores/", {"code": "上海", "name": "x"}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()


def test_general_manager_writes_the_catalogue_and_salesperson_only_reads(api, make_user, salesperson):
    gm = make_user(Role.GENERAL_MANAGER)
    response = api(gm).post("/api/v1/brands/", {"name": "红旗", "name_en": "Hongqi"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["model_count"] == 0
    assert api(salesperson).get("/api/v1/brands/").json()["count"] == 1
    response = api(salesperson).post("/api/v1/brands/", {"name": "比亚迪"}, format="json")
    assert response.status_code == 403
    assert list(Brand.objects.values_list("name", flat=True)) == ["红旗"]


def test_duplicate_brand_name_is_refused_under_name(api, admin_user):
    BrandFactory(name="红旗")
    response = api(admin_user).post("/api/v1/brands/", {"name": "红旗"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_trim_is_created_with_its_colours_and_updated(api, admin_user):
    car_model = CarModelFactory()
    white, black = ColourFactory(name="白"), ColourFactory(name="黑")
    client = api(admin_user)
    response = client.post(
        "/api/v1/trims/",
        {
            "car_model": car_model.pk,
            "name": "旗舰型",
            "code": "HQH9-2026-F",
            "model_year": 2026,
            "msrp": "300000.00",
            "standard_cost": "260000.00",
            "colours": [white.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    trim = Trim.objects.get(pk=response.json()["id"])
    assert list(trim.colours.all()) == [white]
    response = client.patch(f"/api/v1/trims/{trim.pk}/", {"colours": [black.pk], "msrp": "0"}, format="json")
    assert response.status_code == 400 and "msrp" in response.json()
    assert list(trim.colours.all()) == [white]
    response = client.patch(f"/api/v1/trims/{trim.pk}/", {"colours": [black.pk]}, format="json")
    assert response.status_code == 200
    assert response.json()["colours"] == [black.pk]


def test_deleting_a_brand_still_in_use_is_a_conflict(api, admin_user):
    car_model = CarModelFactory()
    response = api(admin_user).delete(f"/api/v1/brands/{car_model.brand_id}/")
    assert response.status_code == 409
    assert Brand.objects.filter(pk=car_model.brand_id).exists()


def test_store_with_vehicles_cannot_be_deleted_through_the_api(api, admin_user):
    store = StoreFactory()
    VehicleFactory(store=store)
    assert api(admin_user).delete(f"/api/v1/stores/{store.pk}/").status_code == 405
