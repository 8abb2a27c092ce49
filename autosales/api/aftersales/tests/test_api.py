import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from autosales.aftersales.choices import FollowUpKind
from autosales.aftersales.models import Complaint, FollowUpCall, ServiceOrder
from autosales.aftersales.tests.factories import (
    ComplaintFactory,
    DeliveredVehicleFactory,
    FollowUpCallFactory,
    ReminderFactory,
    ServiceOrderFactory,
)
from autosales.core.choices import Role
from autosales.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/service-orders/"


@pytest.fixture
def advisor(make_user):
    return make_user(Role.AFTERSALES)


def test_advisor_runs_a_service_order_from_opening_to_close(api, advisor):
    client = api(advisor)
    customer = CustomerFactory(store=advisor.store)
    vehicle = DeliveredVehicleFactory(store=advisor.store)
    response = client.post(
        URL,
        {"customer": customer.pk, "vehicle": vehicle.pk, "mileage_km": 15000, "kind": "maintenance"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open" and body["advisor"] == advisor.pk
    assert "labour_cost" not in body and "gross_profit" not in body  # advisors do not see cost
    detail = f"{URL}{body['id']}/"
    steps = [
        (
            "add-job",
            {"description": "Oil change", "labour_hours": "1.00", "labour_rate": "200.00", "cost_rate": "80"},
        ),
        (
            "add-part",
            {"part_number": "OF-1", "name": "Filter", "quantity": "1", "unit_cost": "40", "unit_price": "90"},
        ),
        ("start", {}),
        ("ready", {}),
        ("pay", {"amount": "290.00"}),
        ("close", {}),
    ]
    for step, data in steps:
        response = client.post(f"{detail}{step}/", data, format="json")
        assert response.status_code == 200, (step, response.json())
    body = response.json()
    assert body["status"] == "closed" and body["balance_due"] == "0.00"
    assert [p["is_paid"] for p in body["parts"]] == [True]
    assert "unit_cost" not in body["parts"][0]
    calls = client.get("/api/v1/follow-up-calls/", {"service_order": body["id"]}).json()["results"]
    assert [c["kind"] for c in calls] == [FollowUpKind.SERVICE_DAY3]


def test_outside_vehicle_by_unknown_vin_and_lower_mileage_refused(api, advisor):
    from random import Random

    from autosales.core.identity import make_vin

    client = api(advisor)
    customer = CustomerFactory(store=advisor.store)
    vin = make_vin(Random(3))
    response = client.post(
        URL,
        {"customer": customer.pk, "vin": vin, "mileage_km": 80000, "vehicle_description": "VW Passat"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["vehicle_vin"] == vin
    response = client.post(URL, {"customer": customer.pk, "vin": vin, "mileage_km": 70000}, format="json")
    assert response.status_code == 400
    assert "mileage_km" in response.json()
    assert ServiceOrder.objects.count() == 1


def test_closing_with_unpaid_parts_answers_400_and_keeps_the_order_ready(api, advisor):
    order = ServiceOrderFactory(
        store=advisor.store, advisor=advisor, status="ready", parts_revenue=Decimal("90")
    )
    order.parts.create(part_number="X-1", name="Pads", quantity=1, unit_cost=40, unit_price=90)
    response = api(advisor).post(f"{URL}{order.pk}/close/")
    assert response.status_code == 400
    assert "X-1" in response.json()["non_field_errors"][0]
    order.refresh_from_db()
    assert order.status == "ready"


def test_manager_sees_cost_and_gross_profit(api, manager):
    order = ServiceOrderFactory(store=manager.store, labour_revenue=Decimal("100"), labour_cost=Decimal("30"))
    body = api(manager).get(f"{URL}{order.pk}/").json()
    assert body["gross_profit"] == "70.00" and body["labour_cost"] == "30.00"


def test_sales_manager_reads_but_cannot_open_service_orders(api, manager):
    customer = CustomerFactory(store=manager.store)
    vehicle = DeliveredVehicleFactory(store=manager.store)
    response = api(manager).post(
        URL, {"customer": customer.pk, "vehicle": vehicle.pk, "mileage_km": 1}, format="json"
    )
    assert response.status_code == 403


def test_other_store_service_order_is_not_found(api, advisor, store_b):
    order = ServiceOrderFactory(store=store_b)
    assert api(advisor).get(f"{URL}{order.pk}/").status_code == 404
    assert api(advisor).post(f"{URL}{order.pk}/start/").status_code == 404


def test_survey_score_outside_1_to_5_is_refused(api, advisor):
    call = FollowUpCallFactory(service_order__store=advisor.store)
    response = api(advisor).post(f"/api/v1/follow-up-calls/{call.pk}/record/", {"score": 6}, format="json")
    assert response.status_code == 400
    assert "score" in response.json()
    call.refresh_from_db()
    assert call.status == "due"


def test_low_score_call_answers_with_its_new_complaint(api, advisor):
    call = FollowUpCallFactory(service_order__store=advisor.store)
    response = api(advisor).post(
        f"/api/v1/follow-up-calls/{call.pk}/record/", {"score": 1, "outcome": "Scratched door"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["complaint"] == Complaint.objects.get(follow_up_call=call).pk


def test_reminder_due_list_and_refusal(api, advisor):
    reminder = ReminderFactory(store=advisor.store, advisor=advisor)
    client = api(advisor)
    assert [r["id"] for r in client.get("/api/v1/service-reminders/due/").json()["results"]] == [reminder.pk]
    response = client.post(f"/api/v1/service-reminders/{reminder.pk}/refuse/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(
        f"/api/v1/service-reminders/{reminder.pk}/refuse/", {"reason": "Moved away"}, format="json"
    )
    assert response.json()["status"] == "refused"
    assert client.get("/api/v1/service-reminders/due/").json()["results"] == []


def test_complaint_is_opened_with_due_date_by_severity_and_closed_on_acceptance(api, advisor):
    customer = CustomerFactory(store=advisor.store)
    client = api(advisor)
    response = client.post(
        "/api/v1/complaints/",
        {"customer": customer.pk, "category": "staff", "severity": "high", "description": "Rude"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["due_date"] == (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    url = f"/api/v1/complaints/{body['id']}/"
    assert client.post(f"{url}resolve/", {"resolution": "Apologised"}, format="json").status_code == 200
    response = client.post(f"{url}acceptance/", {"accepted": True}, format="json")
    assert response.json()["status"] == "closed"


def test_overdue_filter_lists_escalated_complaints(api, manager):
    overdue = ComplaintFactory(
        store=manager.store, due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    ComplaintFactory(store=manager.store)
    rows = api(manager).get("/api/v1/complaints/", {"overdue": "true"}).json()["results"]
    assert [r["id"] for r in rows] == [overdue.pk]
    assert rows[0]["is_overdue"] is True


def test_kpis_and_histories(api, manager):
    customer = CustomerFactory(store=manager.store)
    vehicle = DeliveredVehicleFactory(store=manager.store)
    ServiceOrderFactory(
        store=manager.store,
        customer=customer,
        vehicle=vehicle,
        status="closed",
        closed_at=timezone.now(),
        labour_revenue=Decimal("100"),
        paid_total=Decimal("100"),
    )
    client = api(manager)
    kpis = client.get("/api/v1/service-kpis/").json()
    assert kpis["revenue"] == "100.00" and kpis["retention"] == "1.0000"
    assert client.get("/api/v1/service-kpis/", {"start": "2026-13-01"}).status_code == 400
    history = client.get(f"/api/v1/service-history/customers/{customer.pk}/").json()
    assert len(history["service_orders"]) == 1
    history = client.get(f"/api/v1/service-history/vehicles/{vehicle.pk}/").json()
    assert history["service_orders"][0]["vehicle_vin"] == vehicle.vin
    other = CustomerFactory()
    assert client.get(f"/api/v1/service-history/customers/{other.pk}/").status_code == 404


def test_follow_up_list_does_not_query_per_row(api, advisor, django_assert_max_num_queries):
    for _ in range(5):
        FollowUpCallFactory(service_order__store=advisor.store)
    client = api(advisor)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/follow-up-calls/").json()["results"]) == 5
    assert FollowUpCall.objects.count() == 5
