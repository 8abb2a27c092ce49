import random

import pytest
from django.urls import reverse

from autosales.core.identity import make_credit_code, make_vin
from autosales.core.models import Event
from autosales.inventory.models import Vehicle
from autosales.inventory.tests.factories import ColourFactory, TrimFactory, VehicleFactory
from autosales.parties.models import Contact, Customer
from autosales.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
rng = random.Random(99)


def _company_data(user, **extra):
    data = {
        "kind": "company",
        "name": "上海星辰租车有限公司",
        "credit_code": make_credit_code(rng),
        "source": "walk_in",
        "store": user.store_id,
        "owner": user.pk,
        "industry": "rental",
        "fleet_size": "30",
    }
    data.update(extra)
    return data


def test_company_with_bad_credit_code_shows_field_error_and_saves_nothing(client, salesperson):
    client.force_login(salesperson)
    response = client.post(
        reverse("web:customer_create"), _company_data(salesperson, credit_code="91310000ABCDEFGH12")
    )
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    assert b"field-credit_code" in response.content and b"field-error" in response.content
    assert not Customer.objects.exists()
    assert not Event.objects.exists()


def test_company_with_good_credit_code_is_created_owned_by_salesperson(client, salesperson):
    client.force_login(salesperson)
    response = client.post(reverse("web:customer_create"), _company_data(salesperson))
    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("web:customer_detail", args=[customer.pk])
    assert customer.owner == salesperson and customer.store == salesperson.store
    assert Event.objects.filter(object_id=customer.pk, action="created").exists()


def test_person_without_mobile_gets_the_models_message(client, salesperson):
    client.force_login(salesperson)
    data = {
        "kind": "person",
        "name": "张三",
        "source": "walk_in",
        "store": salesperson.store_id,
        "owner": salesperson.pk,
    }
    response = client.post(reverse("web:customer_create"), data)
    assert response.context["form"].errors["mobile"] == ["A person needs a mobile number."]


def test_field_errors_come_in_the_users_language(client, salesperson):
    salesperson.language = "zh-hans"
    salesperson.save()
    client.force_login(salesperson)
    response = client.post(reverse("web:customer_create"), _company_data(salesperson, name=""))
    assert "name" in response.context["form"].errors
    assert response.context["LANGUAGE_CODE"] == "zh-hans"


def test_salesperson_cannot_put_a_customer_in_another_store(client, salesperson, other_store):
    client.force_login(salesperson)
    response = client.post(reverse("web:customer_create"), _company_data(salesperson, store=other_store.pk))
    assert "store" in response.context["form"].errors
    assert not Customer.objects.exists()


def test_editing_a_customer_records_old_and_new_values(client, salesperson):
    customer = CustomerFactory(store=salesperson.store, owner=salesperson, name="旧名字")
    client.force_login(salesperson)
    data = {
        "kind": "person",
        "name": "新名字",
        "mobile": customer.mobile,
        "source": customer.source,
        "store": customer.store_id,
        "owner": salesperson.pk,
    }
    response = client.post(reverse("web:customer_edit", args=[customer.pk]), data)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "新名字"
    event = Event.objects.get(object_id=customer.pk, action="updated")
    assert event.data["name"] == {"old": "旧名字", "new": "新名字"}


def test_duplicate_mobile_names_the_existing_customer(client, salesperson):
    existing = CustomerFactory(store=salesperson.store, owner=salesperson, name="李四")
    client.force_login(salesperson)
    data = {
        "kind": "person",
        "name": "王五",
        "mobile": existing.mobile,
        "source": "walk_in",
        "store": salesperson.store_id,
        "owner": salesperson.pk,
    }
    response = client.post(reverse("web:customer_create"), data)
    assert "李四" in response.context["form"].errors["mobile"][0]
    assert Customer.objects.count() == 1


def test_contact_is_added_to_a_company_from_its_page(client, salesperson):
    company = CustomerFactory(store=salesperson.store, owner=salesperson, company=True)
    client.force_login(salesperson)
    page = client.get(reverse("web:customer_detail", args=[company.pk]))
    assert b'id="add-contact"' in page.content
    response = client.post(
        reverse("web:contact_create", args=[company.pk]),
        {
            "name": "赵六",
            "title": "车队经理",
            "mobile": "",
            "buying_role": "decision_maker",
            "stance": "supporter",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.customer == company
    assert "赵六" in client.get(reverse("web:customer_detail", args=[company.pk])).content.decode()


def test_contact_on_a_person_is_refused_with_the_models_message(client, salesperson):
    person = CustomerFactory(store=salesperson.store, owner=salesperson)
    client.force_login(salesperson)
    response = client.post(
        reverse("web:contact_create", args=[person.pk]),
        {"name": "赵六", "buying_role": "user", "stance": "unknown"},
    )
    assert response.status_code == 200
    assert "Contacts belong to company customers." in response.context["form"].non_field_errors()
    assert not Contact.objects.exists()


def test_vehicle_with_wrong_check_digit_is_refused_on_the_vin_field(client, manager):
    trim = TrimFactory()
    vin = make_vin(rng)
    bad = vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]
    client.force_login(manager)
    data = {
        "vin": bad,
        "trim": trim.pk,
        "store": manager.store_id,
        "status": "in_stock",
        "cost": "100000",
        "list_price": "120000",
        "arrival_date": "2026-01-05",
    }
    response = client.post(reverse("web:vehicle_create"), data)
    assert "check digit" in response.context["form"].errors["vin"][0]
    assert not Vehicle.objects.exists()
    response = client.post(reverse("web:vehicle_create"), {**data, "vin": vin.lower()})
    assert response.status_code == 302
    assert Vehicle.objects.get().vin == vin


def test_vehicle_edit_saves_price(client, manager):
    vehicle = VehicleFactory(store=manager.store)
    client.force_login(manager)
    form = client.get(reverse("web:vehicle_edit", args=[vehicle.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"list_price": "188888.00", "arrival_date": vehicle.arrival_date.isoformat()})
    data.pop("is_demo", None)
    response = client.post(reverse("web:vehicle_edit", args=[vehicle.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    vehicle.refresh_from_db()
    assert str(vehicle.list_price) == "188888.00"


def test_trim_is_created_with_colours_by_general_manager(client):
    from autosales.core.tests.factories import UserFactory
    from autosales.inventory.models import Trim
    from autosales.inventory.tests.factories import CarModelFactory

    gm = UserFactory(username="gm", general_manager=True)
    model = CarModelFactory()
    colours = [ColourFactory(), ColourFactory()]
    client.force_login(gm)
    data = {
        "car_model": model.pk,
        "name": "长续航版",
        "code": "EV-LR-2026",
        "model_year": "2026",
        "fuel_type": "electric",
        "msrp": "0",
        "standard_cost": "150000",
        "colours": [c.pk for c in colours],
        "is_active": "on",
    }
    response = client.post(reverse("web:trim_create"), data)
    assert "msrp" in response.context["form"].errors
    response = client.post(reverse("web:trim_create"), {**data, "msrp": "199900"})
    trim = Trim.objects.get()
    assert response.status_code == 302
    assert set(trim.colours.all()) == set(colours)
