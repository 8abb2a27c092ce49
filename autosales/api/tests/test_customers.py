import random

import pytest

from autosales.core.choices import Role
from autosales.core.identity import make_credit_code, make_mobile
from autosales.core.models import Event
from autosales.parties.models import Contact, Customer
from autosales.parties.tests.factories import ContactFactory, CustomerFactory
from autosales.sales.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

rng = random.Random(5)
URL = "/api/v1/customers/"


def person(**extra):
    return {"kind": "person", "name": "王小明", "mobile": make_mobile(rng), **extra}


def test_salesperson_creates_a_customer_in_own_store_and_owns_it(api, salesperson):
    response = api(salesperson).post(URL, person(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    customer = Customer.objects.get(pk=body["id"])
    assert customer.store == salesperson.store and customer.owner == salesperson
    assert body["store_code"] == salesperson.store.code
    assert Event.objects.filter(object_id=customer.pk, action="created").exists()


def test_customer_is_read_updated_and_deleted(api, manager):
    client = api(manager)
    customer = CustomerFactory(store=manager.store)
    detail = f"{URL}{customer.pk}/"
    assert client.get(detail).json()["name"] == customer.name
    response = client.patch(detail, {"name": "王大明", "region": "浦东"}, format="json")
    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.name, customer.region) == ("王大明", "浦东")
    assert Event.objects.filter(object_id=customer.pk, action="updated").exists()
    assert client.delete(detail).status_code == 204
    assert not Customer.objects.filter(pk=customer.pk).exists()


def test_duplicate_mobile_is_refused_under_the_mobile_field_naming_the_existing_customer(api, manager):
    existing = CustomerFactory(store=manager.store, name="李已有")
    response = api(manager).post(URL, person(mobile=existing.mobile), format="json")
    assert response.status_code == 400
    message = response.json()["mobile"][0]
    assert "李已有" in message and str(existing.pk) in message
    assert Customer.objects.count() == 1


def test_bad_credit_code_is_refused_under_its_field(api, manager):
    code = make_credit_code(rng)
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = api(manager).post(
        URL, {"kind": "company", "name": "上海某某物流有限公司", "credit_code": bad}, format="json"
    )
    assert response.status_code == 400
    assert "credit_code" in response.json()
    assert not Customer.objects.exists()


def test_field_errors_follow_accept_language(api, manager):
    response = api(manager, language="zh-hans").post(URL, {"kind": "person"}, format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["该字段是必填项。"]
    response = api(manager, language="en").post(URL, {"kind": "person"}, format="json")
    assert response.json()["name"] == ["This field is required."]


def test_field_errors_follow_the_users_saved_language_over_the_browser(api, make_user):
    user = make_user(Role.SALES_MANAGER, language="en")
    response = api(user, language="zh-hans").post(URL, {"kind": "person"}, format="json")
    assert response.json()["name"] == ["This field is required."]


def test_salesperson_cannot_read_or_change_a_customer_of_another_store(api, salesperson, store_b):
    other = CustomerFactory(store=store_b)
    client = api(salesperson)
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.patch(f"{URL}{other.pk}/", {"name": "改名"}, format="json").status_code == 404
    assert client.delete(f"{URL}{other.pk}/").status_code == 404
    assert other.pk not in [row["id"] for row in client.get(URL).json()["results"]]
    other.refresh_from_db()
    assert other.name != "改名"


def test_salesperson_sees_only_own_customers_in_the_list(api, salesperson):
    mine = CustomerFactory(store=salesperson.store, owner=salesperson)
    CustomerFactory(store=salesperson.store)
    rows = api(salesperson).get(URL).json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]


def test_salesperson_cannot_put_a_customer_in_another_store(api, salesperson, store_b):
    response = api(salesperson).post(URL, person(store=store_b.pk), format="json")
    assert response.status_code == 400
    assert "store" in response.json()


def test_finance_cannot_create_customers(api, make_user):
    response = api(make_user(Role.FINANCE)).post(URL, person(), format="json")
    assert response.status_code == 403
    assert not Customer.objects.exists()


def test_finance_reads_customers_of_its_store(api, make_user):
    finance = make_user(Role.FINANCE)
    customer = CustomerFactory(store=finance.store)
    assert api(finance).get(f"{URL}{customer.pk}/").status_code == 200


def test_list_filters_and_orders_like_the_web_list(api, manager):
    CustomerFactory(store=manager.store, name="甲公司", company=True)
    CustomerFactory(store=manager.store, name="乙个人")
    client = api(manager)
    rows = client.get(URL, {"kind": "company"}).json()["results"]
    assert [row["name"] for row in rows] == ["甲公司"]
    rows = client.get(URL, {"ordering": "name"}).json()["results"]
    assert [row["name"] for row in rows] == sorted(["甲公司", "乙个人"])
    assert client.get(URL, {"kind": "alien"}).status_code == 400


def test_nested_contacts_list_and_create_under_a_customer(api, manager):
    company = CustomerFactory(store=manager.store, company=True)
    ContactFactory(customer=company, name="赵经理")
    ContactFactory(customer__store=manager.store, name="别家联系人")
    client = api(manager)
    url = f"{URL}{company.pk}/contacts/"
    assert [row["name"] for row in client.get(url).json()["results"]] == ["赵经理"]
    response = client.post(url, {"name": "钱总", "buying_role": "decision_maker"}, format="json")
    assert response.status_code == 201, response.json()
    assert Contact.objects.get(pk=response.json()["id"]).customer == company


def test_nested_contacts_of_a_customer_out_of_scope_are_not_found(api, salesperson, store_b):
    company = CustomerFactory(store=store_b, company=True)
    client = api(salesperson)
    assert client.get(f"{URL}{company.pk}/contacts/").status_code == 404
    response = client.post(f"{URL}{company.pk}/contacts/", {"name": "钱总"}, format="json")
    assert response.status_code == 404
    assert not Contact.objects.exists()


def test_contacts_filter_by_customer_and_belong_to_companies_only(api, manager):
    company = CustomerFactory(store=manager.store, company=True)
    individual = CustomerFactory(store=manager.store)
    ContactFactory(customer=company)
    ContactFactory(customer__store=manager.store)
    client = api(manager)
    rows = client.get("/api/v1/contacts/", {"customer": company.pk}).json()["results"]
    assert {row["customer"] for row in rows} == {company.pk}
    response = client.post("/api/v1/contacts/", {"customer": individual.pk, "name": "某人"}, format="json")
    assert response.status_code == 400
    assert "customer" in response.json()


def test_contact_of_another_store_cannot_be_attached_by_id(api, salesperson, store_b):
    company = CustomerFactory(store=store_b, company=True)
    response = api(salesperson).post(
        "/api/v1/contacts/", {"customer": company.pk, "name": "某人"}, format="json"
    )
    assert response.status_code == 400
    assert "customer" in response.json()


def test_customer_with_a_lead_cannot_be_deleted_and_nothing_changes(api, manager):
    lead = LeadFactory(store=manager.store)
    response = api(manager).delete(f"{URL}{lead.customer_id}/")
    assert response.status_code == 409
    assert Customer.objects.filter(pk=lead.customer_id).exists()
    assert not Event.objects.filter(object_id=lead.customer_id, action="deleted").exists()
