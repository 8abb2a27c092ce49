import shutil
import subprocess
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.inventory.tests.factories import TrimFactory, VehicleFactory
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales.models import Order, Quote

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def world():
    store = StoreFactory(code="GZ01", name="广州天河店")
    sp = UserFactory(username="api_sp", store=store)
    mgr = UserFactory(username="api_mgr", store=store, manager=True)
    fin = UserFactory(username="api_fin", store=store, finance=True)
    trim = TrimFactory(msrp=Decimal("200000.00"), standard_cost=Decimal("180000.00"))
    vehicle = VehicleFactory(trim=trim, store=store)
    customer = CustomerFactory(store=store, owner=sp, name="陈美丽")
    return {
        "store": store,
        "sp": sp,
        "mgr": mgr,
        "fin": fin,
        "trim": trim,
        "vehicle": vehicle,
        "customer": customer,
    }


def test_lead_to_delivery_through_the_api(world):
    sp, mgr, fin = client_for(world["sp"]), client_for(world["mgr"]), client_for(world["fin"])
    r = sp.post(
        "/api/v1/leads/", {"customer": world["customer"].pk, "expected_value": "200000"}, format="json"
    )
    assert r.status_code == 201, r.content
    lead_id = r.json()["id"]
    r = sp.post(
        f"/api/v1/leads/{lead_id}/activity/", {"kind": "call", "next_follow_up": "2030-01-01"}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["stage"] == "contacted"
    r = sp.post("/api/v1/quotes/", {"customer": world["customer"].pk, "lead": lead_id}, format="json")
    assert r.status_code == 201, r.content
    quote_id = r.json()["id"]
    assert "gross_profit" not in r.json()  # a salesperson does not see cost
    r = sp.post(
        f"/api/v1/quotes/{quote_id}/lines/",
        {"vin": world["vehicle"].vin, "unit_discount": "6000"},
        format="json",
    )
    assert r.status_code == 200, r.content
    r = sp.post(f"/api/v1/quotes/{quote_id}/submit/", {}, format="json")
    assert r.json()["status"] == "pending_approval"
    pending = mgr.get("/api/v1/quotes/approvals-pending/").json()
    assert [p["quote"] for p in pending] == [quote_id]
    r = mgr.post(f"/api/v1/quotes/{quote_id}/approve/", {"reason": "ok"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert r.json()["gross_profit"] == "14000.00"
    assert sp.post(f"/api/v1/quotes/{quote_id}/accept/").json()["status"] == "accepted"
    r = sp.post("/api/v1/orders/from-quote/", {"quote": quote_id}, format="json")
    assert r.status_code == 201, r.content
    order_id = r.json()["id"]
    assert sp.post(f"/api/v1/orders/{order_id}/confirm/").json()["status"] == "confirmed"
    r = fin.post(f"/api/v1/orders/{order_id}/pay/", {"kind": "deposit", "amount": "200000.00"}, format="json")
    assert r.status_code == 400
    assert "194,000.00" in r.json()["amount"][0]
    r = fin.post(f"/api/v1/orders/{order_id}/pay/", {"kind": "deposit", "amount": "194000.00"}, format="json")
    assert r.json()["status"] == "paid" and r.json()["balance_due"] == "0.00"
    r = sp.post(f"/api/v1/orders/{order_id}/allocate/", {"vin": world["vehicle"].vin}, format="json")
    assert r.status_code == 200, r.content
    r = sp.post(f"/api/v1/orders/{order_id}/schedule-delivery/", {}, format="json")
    delivery_id = r.json()["id"]
    r = sp.post(f"/api/v1/deliveries/{delivery_id}/complete/", {}, format="json")
    assert r.status_code == 400 and "pdi" in r.json()
    items = dict.fromkeys(r.json().get("pdi_items", []), True) or dict.fromkeys(
        ["exterior", "interior", "fluids", "electrics", "battery", "documents", "accessories", "keys"], True
    )
    assert (
        sp.post(f"/api/v1/deliveries/{delivery_id}/pdi/", {"items": items}, format="json").status_code == 200
    )
    assert sp.post(f"/api/v1/deliveries/{delivery_id}/complete/", {}, format="json").status_code == 200
    assert Order.objects.get(pk=order_id).status == "delivered"

    # Lists answer the document's own figures; its lines, payments and allocations come with the detail.
    row = sp.get("/api/v1/orders/").json()["results"][0]
    assert row["id"] == order_id and row["total"] == "194000.00"
    assert not {"lines", "payments", "allocations"} & set(row)
    detail = sp.get(f"/api/v1/orders/{order_id}/").json()
    assert len(detail["lines"]) == 1 and len(detail["payments"]) == 1 and len(detail["allocations"]) == 1
    quote_row = sp.get("/api/v1/quotes/").json()["results"][0]
    assert quote_row["id"] == quote_id and "lines" not in quote_row
    assert len(sp.get(f"/api/v1/quotes/{quote_id}/").json()["lines"]) == 1


def test_salesperson_cannot_approve_and_gets_a_clear_error(world):
    sp = client_for(world["sp"])
    quote = sp.post("/api/v1/quotes/", {"customer": world["customer"].pk}, format="json").json()
    sp.post(
        f"/api/v1/quotes/{quote['id']}/lines/",
        {"trim": world["trim"].pk, "unit_discount": "9000"},
        format="json",
    )
    sp.post(f"/api/v1/quotes/{quote['id']}/submit/", {}, format="json")
    r = sp.post(f"/api/v1/quotes/{quote['id']}/approve/", {}, format="json")
    assert r.status_code == 400
    assert "Sales manager" in str(r.json())
    assert Quote.objects.get(pk=quote["id"]).status == "pending_approval"


def test_quote_pdf_embeds_the_chinese_font_and_name(world):
    sp = client_for(world["sp"])
    quote = sp.post("/api/v1/quotes/", {"customer": world["customer"].pk}, format="json").json()
    sp.post(f"/api/v1/quotes/{quote['id']}/lines/", {"trim": world["trim"].pk}, format="json")
    r = sp.get(f"/api/v1/quotes/{quote['id']}/pdf/?lang=zh-hans")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    body = r.content
    assert body.startswith(b"%PDF")
    assert b"FontFile2" in body and b"WenQuanYiZenHei" in body
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=body, capture_output=True, check=True
        ).stdout.decode()
        assert "陈美丽" in text
    english = sp.get(f"/api/v1/quotes/{quote['id']}/pdf/?lang=en")
    assert english.status_code == 200


def test_reports_answer_for_a_manager(world):
    mgr = client_for(world["mgr"])
    assert mgr.get("/api/v1/sales-reports/pipeline/").status_code == 200
    assert mgr.get("/api/v1/sales-reports/performance/?by=store").status_code == 200
    assert mgr.get("/api/v1/sales-reports/follow-ups/").status_code == 200
    assert mgr.get("/api/v1/sales-reports/lost-reasons/").status_code == 200


def test_fleet_agreement_through_the_api(world):
    company = CustomerFactory(company=True, store=world["store"], owner=world["sp"])
    mgr = client_for(world["mgr"])
    r = mgr.post(
        "/api/v1/fleet-agreements/",
        {"customer": company.pk, "starts_on": "2026-01-01", "ends_on": "2027-12-31", "volume_target": 20},
        format="json",
    )
    assert r.status_code == 201, r.content
    agreement_id = r.json()["id"]
    r = mgr.post(
        f"/api/v1/fleet-agreements/{agreement_id}/prices/",
        {"trim": world["trim"].pk, "unit_price": "187000.00"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["lines"][0]["unit_price"] == "187000.00"
    r = mgr.post(f"/api/v1/fleet-agreements/{agreement_id}/status/", {"status": "active"}, format="json")
    assert r.json()["status"] == "active"
    sp = client_for(world["sp"])
    assert (
        sp.post(
            f"/api/v1/fleet-agreements/{agreement_id}/status/", {"status": "terminated"}, format="json"
        ).status_code
        == 403
    )
