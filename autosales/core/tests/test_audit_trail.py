"""Audit trail: every change of an audited record keeps who, when, old and new values; nobody edits it."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from autosales.aftersales.models import ServiceOrder
from autosales.core.choices import Role
from autosales.core.events import event_record
from autosales.core.selectors import history_for
from autosales.core.services import model_update
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.inventory.models import Trim, Vehicle
from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties.models import Contact, Customer
from autosales.parties.services import customer_create, customer_update
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales.models import (
    ApprovalRule,
    FleetAgreement,
    FleetAgreementLine,
    MarginFloor,
    Order,
    OrderLine,
    Payment,
    Quote,
    QuoteApproval,
    QuoteLine,
    TaxRule,
)
from autosales.sales.tests.factories import OrderFactory, QuoteFactory

pytestmark = pytest.mark.django_db

AUDITED = [
    Customer,
    Contact,
    Trim,
    Vehicle,
    Quote,
    QuoteLine,
    QuoteApproval,
    Order,
    OrderLine,
    Payment,
    ApprovalRule,
    MarginFloor,
    TaxRule,
    FleetAgreement,
    FleetAgreementLine,
    ServiceOrder,
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def api_for(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m.__name__)
def test_every_audited_model_keeps_history(model):
    assert hasattr(model, "history"), f"{model.__name__} has no HistoricalRecords"


def test_service_update_records_who_when_old_and_new_value():
    store = StoreFactory()
    manager = UserFactory(role=Role.SALES_MANAGER, store=store)
    customer = customer_create(actor=manager, kind="person", name="张三", mobile="13812345678", store=store)
    customer_update(customer=customer, actor=manager, region="浦东")

    versions = list(customer.history.order_by("history_date", "history_id"))
    assert [v.history_type for v in versions] == ["+", "~"]
    assert versions[-1].history_user == manager
    assert versions[-2].region == "" and versions[-1].region == "浦东"


def test_delete_is_recorded_in_history():
    customer = CustomerFactory()
    pk = customer.pk
    customer.delete()
    assert Customer.history.filter(id=pk, history_type="-").exists()


def test_history_for_names_the_field_and_merges_transitions_with_reasons():
    store = StoreFactory()
    manager = UserFactory(role=Role.SALES_MANAGER, store=store)
    customer = CustomerFactory(store=store, region="")
    model_update(customer, actor=manager, data={"region": "静安"})
    event_record(target=customer, action="merged", actor=manager, reason="duplicate card")

    with translation.override("en"):
        entries = history_for(customer, user=manager)

    change = next(e for e in entries if e.kind == "changed")
    assert change.user == manager
    assert [(c.label, c.old, c.new) for c in change.changes] == [("Region", "", "静安")]
    event = next(e for e in entries if e.kind == "event")
    assert (event.action, event.reason) == ("merged", "duplicate card")
    assert entries[-1].kind == "created"


def test_history_for_runs_a_fixed_number_of_queries_however_long_the_history():
    store = StoreFactory()
    manager = UserFactory(role=Role.SALES_MANAGER, store=store)
    customer = CustomerFactory(store=store)

    def count():
        with CaptureQueriesContext(connection) as queries:
            history_for(customer, user=manager)
        return len(queries)

    model_update(customer, actor=manager, data={"region": "r0"})
    few = count()
    for n in range(1, 8):
        model_update(customer, actor=manager, data={"region": f"r{n}", "owner": manager if n % 2 else None})
    assert count() == few  # versions, events, and one look-up per related model (users, store)


def test_vehicle_cost_changes_are_hidden_from_roles_that_may_not_see_cost():
    vehicle = VehicleFactory(cost=Decimal("150000.00"))
    store = vehicle.store
    manager = UserFactory(role=Role.SALES_MANAGER, store=store)
    salesperson = UserFactory(role=Role.SALESPERSON, store=store)
    model_update(vehicle, actor=manager, data={"cost": Decimal("149000.00")})

    def labels(user):
        return {c.field for e in history_for(vehicle, user=user) for c in e.changes}

    assert "cost" in labels(UserFactory(role=Role.GENERAL_MANAGER, store=None))
    assert "cost" not in labels(salesperson)


def test_quote_and_order_saves_record_history():
    quote = QuoteFactory()
    order = OrderFactory()
    quote.notes = "first call"
    quote.save()
    assert quote.history.count() == 2
    assert order.history.count() == 1


def test_customer_page_shows_history_tab_with_old_and_new_value(client):
    store = StoreFactory()
    manager = UserFactory(role=Role.SALES_MANAGER, store=store)
    customer = CustomerFactory(store=store, region="")
    model_update(customer, actor=manager, data={"region": "徐汇"})
    client.force_login(manager)

    response = client.get(reverse("web:customer_detail", args=[customer.pk]), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="history"' in html and "徐汇" in html and "Region" in html


@pytest.mark.parametrize("page", ["web:vehicle_detail", "web:trim_detail"])
def test_vehicle_and_trim_pages_show_history(client, page):
    vehicle = VehicleFactory()
    manager = UserFactory(role=Role.GENERAL_MANAGER, store=None)
    obj = vehicle if page == "web:vehicle_detail" else vehicle.trim
    field = "list_price" if page == "web:vehicle_detail" else "msrp"
    model_update(obj, actor=manager, data={field: Decimal("123456.00")})
    client.force_login(manager)
    html = client.get(reverse(page, args=[obj.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="history"' in html and "123,456.00" in html


@pytest.mark.parametrize(
    ("resource", "make"),
    [
        ("customers", lambda store: CustomerFactory(store=store)),
        ("vehicles", lambda store: VehicleFactory(store=store)),
        ("quotes", lambda store: QuoteFactory(store=store)),
        ("orders", lambda store: OrderFactory(store=store)),
    ],
)
def test_history_endpoint_lists_changes_and_is_scoped_like_the_record(resource, make):
    store, other = StoreFactory(), StoreFactory()
    obj = make(store)
    manager = UserFactory(role=Role.SALES_MANAGER, store=store)
    outsider = UserFactory(role=Role.SALES_MANAGER, store=other)
    url = f"/api/v1/{resource}/{obj.pk}/history/"

    response = api_for(manager).get(url)
    assert response.status_code == 200
    assert response.json()[-1]["kind"] == "created"
    assert api_for(outsider).get(url).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_history_endpoint_refuses_every_write_for_every_role(method):
    customer = CustomerFactory()
    admin_user = UserFactory(role=Role.ADMIN, store=None, is_superuser=True, is_staff=True)
    before = customer.history.count()
    response = getattr(api_for(admin_user), method)(f"/api/v1/customers/{customer.pk}/history/", {})
    assert response.status_code == 405
    assert customer.history.count() == before


def test_historical_records_have_no_admin_pages_and_cannot_be_reverted(rf):
    registered = {model._meta.label for model in admin.site._registry}
    assert not any(label.split(".")[1].startswith("Historical") for label in registered)
    customer_admin = admin.site._registry[Customer]
    request = rf.post("/")
    assert customer_admin.revert_disabled(request) is True
    assert customer_admin.has_change_history_permission(request) is False


def test_admin_history_page_reads_and_refuses_a_revert(client):
    customer = CustomerFactory(region="old")
    customer.region = "new"
    customer.save()
    admin_user = UserFactory(role=Role.ADMIN, store=None, is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    assert client.get(f"/admin/parties/customer/{customer.pk}/history/").status_code == 200
    first = customer.history.earliest("history_date")
    url = f"/admin/parties/customer/{customer.pk}/history/{first.history_id}/"
    client.post(url, {"name": customer.name})
    customer.refresh_from_db()
    assert customer.region == "new"


def test_export_log_and_events_are_read_only_in_the_admin(rf):
    from autosales.core.models import Event, ExportLog

    request = rf.get("/")
    request.user = UserFactory(role=Role.ADMIN, store=None, is_superuser=True, is_staff=True)
    for model in (ExportLog, Event):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_history_managers_share_one_class_and_stay_bound_to_their_row():
    from autosales.parties.models import Customer
    from autosales.parties.tests.factories import CustomerFactory

    first, second = CustomerFactory(), CustomerFactory()
    assert type(first.history) is type(second.history) is type(Customer.history)
    model_update(first, actor=None, data={"region": "east"})
    assert first.history.count() == 2
    assert second.history.count() == 1
    assert Customer.history.count() >= 3
