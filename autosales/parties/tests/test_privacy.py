"""Personal information (PIPL): masking by role, logged exports, access requests and erasure."""

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from autosales.core.access import can_see_personal_data, mask_personal
from autosales.core.choices import Role
from autosales.core.exceptions import DomainError
from autosales.core.models import Event, ExportLog
from autosales.core.services import model_update
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.parties.models import Customer
from autosales.parties.services import customer_anonymise, customer_update
from autosales.parties.tests.factories import ContactFactory, CustomerFactory
from autosales.sales.models import Order, Payment
from autosales.sales.tests.factories import OrderFactory, PaymentFactory

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"
MASKED = "138****5678"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def store():
    return StoreFactory()


@pytest.fixture
def people(store):
    return {
        "owner": UserFactory(role=Role.SALESPERSON, store=store),
        "other_salesperson": UserFactory(role=Role.SALESPERSON, store=store),
        "manager": UserFactory(role=Role.SALES_MANAGER, store=store),
        "general_manager": UserFactory(role=Role.GENERAL_MANAGER, store=None),
        "finance": UserFactory(role=Role.FINANCE, store=store),
        "aftersales": UserFactory(role=Role.AFTERSALES, store=store),
        "admin": UserFactory(role=Role.ADMIN, store=None),
    }


@pytest.fixture
def customer(store, people):
    return CustomerFactory(
        store=store, owner=people["owner"], mobile=MOBILE, resident_id="110101199003074477", email="a@b.cn"
    )


def api_for(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_mask_keeps_first_three_and_last_four_characters():
    assert mask_personal(MOBILE) == MASKED
    assert mask_personal("110101199003074477") == "110***********4477"
    assert mask_personal("") == ""


@pytest.mark.parametrize(
    ("role", "in_lists", "on_detail"),
    [
        ("owner", True, True),
        ("other_salesperson", True, False),
        ("manager", True, True),
        ("general_manager", True, True),
        ("admin", True, True),
        ("finance", False, True),
        ("aftersales", False, True),
    ],
)
def test_who_sees_personal_data_in_full(people, customer, role, in_lists, on_detail):
    user = people[role]
    assert can_see_personal_data(user) is in_lists
    assert can_see_personal_data(user, customer) is on_detail


def test_customer_list_masks_mobiles_for_finance_and_shows_them_to_the_manager(client, people, customer):
    url = reverse("web:customer_list")
    client.force_login(people["finance"])
    html = client.get(url).content.decode()
    assert MASKED in html and MOBILE not in html
    client.force_login(people["manager"])
    assert MOBILE in client.get(url).content.decode()


def test_csv_export_masks_personal_data_and_is_logged(client, people, customer):
    client.force_login(people["aftersales"])
    response = client.get(reverse("web:customer_list"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert MASKED in body and MOBILE not in body
    log = ExportLog.objects.get()
    assert (log.user, log.rows, log.file_format) == (people["aftersales"], 1, "csv")


def test_xlsx_export_is_logged_with_its_filters(client, people, customer):
    client.force_login(people["manager"])
    client.get(reverse("web:customer_list"), {"export": "xlsx", "kind": "person"})
    log = ExportLog.objects.get()
    assert log.file_format == "xlsx" and log.filters == {"kind": "person"} and log.rows == 1


def test_api_list_masks_for_aftersales_while_detail_shows_the_number(people, customer):
    client = api_for(people["aftersales"])
    listed = client.get("/api/v1/customers/").json()["results"]
    assert [row["mobile"] for row in listed] == [MASKED]
    assert listed[0]["resident_id"] == "110***********4477"
    assert client.get(f"/api/v1/customers/{customer.pk}/").json()["mobile"] == MOBILE


def test_api_list_shows_full_numbers_to_the_owner_salesperson(people, customer):
    listed = api_for(people["owner"]).get("/api/v1/customers/").json()["results"]
    assert [row["mobile"] for row in listed] == [MOBILE]


def test_contacts_mobiles_masked_in_api_list_for_finance(people, store):
    contact = ContactFactory(customer=CustomerFactory(company=True, store=store), mobile=MOBILE)
    listed = api_for(people["finance"]).get("/api/v1/contacts/").json()["results"]
    assert [row["mobile"] for row in listed if row["id"] == contact.pk] == [MASKED]


def test_customer_history_masks_mobile_changes_for_finance(people, customer):
    from autosales.core.selectors import history_for

    model_update(customer, actor=people["manager"], data={"mobile": "13912345678"})
    finance_values = {c.new for e in history_for(customer, user=people["finance"]) for c in e.changes}
    # Finance sees full numbers on a customer's page, so the same holds in its history.
    assert "13912345678" in finance_values
    assert "13912345678" not in {
        c.new for e in history_for(customer, user=people["other_salesperson"]) for c in e.changes
    }


# --- erasure by anonymisation ------------------------------------------------------------


def make_business(customer):
    order = OrderFactory(customer=customer, store=customer.store, salesperson=customer.owner)
    PaymentFactory(order=order)
    return order


@pytest.mark.parametrize("role", ["general_manager", "admin"])
def test_anonymise_erases_personal_fields_and_keeps_orders_and_payments(people, customer, role):
    order = make_business(customer)
    model_update(customer, actor=people["manager"], data={"address": "上海市南京路1号"})

    customer_anonymise(customer=customer, actor=people[role], reason="customer asked to be forgotten")

    customer.refresh_from_db()
    assert customer.is_anonymised
    assert customer.name == f"已匿名客户 #{customer.pk}"
    assert (customer.mobile, customer.resident_id, customer.email, customer.address) == ("", "", "", "")
    assert Order.objects.filter(pk=order.pk, customer=customer).exists()
    assert Payment.objects.filter(order=order).count() == 1
    event = Event.objects.get(object_id=customer.pk, action="anonymised")
    assert event.reason == "customer asked to be forgotten" and event.actor == people[role]


def test_anonymise_scrubs_history_and_event_data_of_the_customer_and_contacts(people, store):
    company = CustomerFactory(company=True, store=store, address="北京路8号")
    contact = ContactFactory(customer=company, name="李四", mobile=MOBILE)
    model_update(company, actor=people["manager"], data={"address": "北京路9号"})

    customer_anonymise(customer=company, actor=people["admin"], reason="request")

    for version in company.history.all():
        assert version.credit_code == "" and version.address == ""
        assert version.name == f"已匿名客户 #{company.pk}"
    for version in contact.history.all():
        assert version.mobile == "" and version.name != "李四"
    contact.refresh_from_db()
    assert contact.mobile == "" and contact.name != "李四"
    dumped = json.dumps(list(Event.objects.values_list("data", flat=True)), ensure_ascii=False)
    assert "北京路" not in dumped and MOBILE not in dumped


@pytest.mark.parametrize("role", ["owner", "manager", "finance", "aftersales"])
def test_only_general_manager_or_admin_may_anonymise(people, customer, role):
    with pytest.raises(DomainError):
        customer_anonymise(customer=customer, actor=people[role], reason="asked")
    customer.refresh_from_db()
    assert customer.mobile == MOBILE and not customer.is_anonymised


def test_anonymise_needs_a_reason(people, customer):
    with pytest.raises(DomainError):
        customer_anonymise(customer=customer, actor=people["admin"], reason="  ")
    assert not Customer.objects.get(pk=customer.pk).is_anonymised


def test_anonymisation_cannot_be_undone_or_edited_afterwards(people, customer):
    customer_anonymise(customer=customer, actor=people["admin"], reason="asked")
    with pytest.raises(DomainError):
        customer_anonymise(customer=customer, actor=people["admin"], reason="again")
    with pytest.raises(DomainError):
        customer_update(customer=customer, actor=people["admin"], name="张三", mobile=MOBILE)
    customer.refresh_from_db()
    assert customer.mobile == ""


def test_web_anonymise_form_erases_for_the_general_manager_and_refuses_the_manager(client, people, customer):
    url = reverse("web:customer_anonymise", args=[customer.pk])
    client.force_login(people["manager"])
    assert client.post(url, {"reason": "asked"}).status_code == 403
    client.force_login(people["general_manager"])
    response = client.post(url, {"reason": "asked"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.is_anonymised


def test_api_anonymise_action(people, customer):
    refused = api_for(people["manager"]).post(f"/api/v1/customers/{customer.pk}/anonymise/", {"reason": "x"})
    assert refused.status_code in (400, 403)
    response = api_for(people["admin"]).post(f"/api/v1/customers/{customer.pk}/anonymise/", {"reason": "x"})
    assert response.status_code == 200 and response.json()["is_anonymised"] is True


# --- access requests: one export of everything held about a customer -----------------------


def test_personal_data_export_holds_orders_payments_services_and_is_logged(client, people, customer):
    order = make_business(customer)
    client.force_login(people["owner"])

    response = client.post(reverse("web:customer_personal_data", args=[customer.pk]))

    data = json.loads(response.content)
    assert data["customer"]["mobile"] == MOBILE
    assert [o["id"] for o in data["orders"]] == [order.pk]
    assert len(data["payments"]) == 1
    assert "service_orders" in data and "complaints" in data and "follow_up_calls" in data
    assert "cost_total" not in data["orders"][0]
    log = ExportLog.objects.get()
    assert log.user == people["owner"] and log.file_format == "json" and log.rows >= 3


def test_personal_data_export_refused_to_a_salesperson_who_does_not_own_the_customer(
    client, people, customer
):
    client.force_login(people["other_salesperson"])
    response = client.post(reverse("web:customer_personal_data", args=[customer.pk]))
    assert response.status_code in (403, 404)
    assert not ExportLog.objects.exists()


def test_api_personal_data_export(people, customer):
    response = api_for(people["manager"]).get(f"/api/v1/customers/{customer.pk}/personal-data/")
    assert response.status_code == 200
    assert json.loads(response.content)["customer"]["id"] == customer.pk
    assert ExportLog.objects.filter(user=people["manager"]).count() == 1
