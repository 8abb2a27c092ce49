"""Key-account API: results for managers, refusals for roles that may not see profit, configuration
validation with per-field errors, type decisions and account plans."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from autosales.core.tests.factories import UserFactory
from autosales.keyaccounts.models import ScorecardIndicator
from autosales.keyaccounts.tests.builders import configure, dealership, order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    configure(vip="0.20", major="0.40", ordinary="0.20")
    data = dealership()
    # Shift one order into the last weeks so the default period (ending today) has recent sales.
    order(
        data["D"],
        timezone.localdate() - datetime.timedelta(days=5),
        [{"unit_price": "1000", "unit_cost": "900"}],
    )
    return data


def client_for(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def gm():
    return UserFactory(username="api_gm", role="general_manager", store=None)


def test_summary_and_every_result_answer_for_a_general_manager(shop, gm):
    c = client_for(gm)
    summary = c.get("/api/v1/keyaccounts/summary/").json()
    assert summary["summary"]["customers"] == 5
    assert [t["tier"] for t in summary["pyramid"]] == ["vip", "major", "ordinary", "small"]
    for name in (
        "pyramid",
        "pareto",
        "scorecard",
        "comparison",
        "pitfalls",
        "types",
        "rfm",
        "clv",
        "customers",
    ):
        response = c.get(f"/api/v1/keyaccounts/{name}/")
        assert response.status_code == 200, name
    assert c.get("/api/v1/keyaccounts/pareto/").json()["curve"][-1]["profit_share"] == "1.0000"


def test_customer_list_is_ranked_filtered_and_paged(shop, gm):
    c = client_for(gm)
    body = c.get("/api/v1/keyaccounts/customers/?ordering=-net_profit&page_size=2").json()
    assert body["count"] == 5
    assert [r["name"] for r in body["results"]] == ["A 物流", "B"]
    assert body["results"][0]["net_profit"] == "44360.00"
    small = c.get("/api/v1/keyaccounts/customers/?tier=small").json()
    assert [r["name"] for r in small["results"]] == ["C"]


def test_customer_detail_opens_the_orders_behind_the_figures(shop, gm):
    body = client_for(gm).get(f"/api/v1/keyaccounts/customers/{shop['A'].pk}/").json()
    assert body["figures"]["net_profit"] == "44360.00"
    assert body["totals"]["net_profit"] == "44360.00"
    assert [o["revenue"] for o in body["orders"]] == ["385000.00"]
    assert body["services"][0]["gross_profit"] == "1200.00"


def test_salesperson_and_after_sales_may_not_see_the_analysis(shop):
    for role in ("salesperson", "aftersales"):
        user = UserFactory(username=f"api_{role}", role=role, store=shop["store"])
        assert client_for(user).get("/api/v1/keyaccounts/summary/").status_code == 403


def test_store_manager_sees_only_their_store(shop):
    from autosales.core.tests.factories import StoreFactory

    other = StoreFactory(code="KA77")
    manager = UserFactory(username="api_sm_other", role="sales_manager", store=other)
    body = client_for(manager).get(f"/api/v1/keyaccounts/summary/?store={shop['store'].pk}").json()
    assert body["summary"]["customers"] == 0


def test_scorecard_weights_not_summing_to_one_give_a_clear_400(shop, gm):
    c = client_for(gm)
    before = list(ScorecardIndicator.objects.values_list("indicator", "weight").order_by("indicator"))
    response = c.put(
        "/api/v1/keyaccounts/config/scorecard/",
        {"indicators": [{"indicator": "net_profit", "group": "current", "weight": "0.5", "is_active": True}]},
        format="json",
    )
    assert response.status_code == 400
    assert "0.5000" in response.json()["indicators"][0]
    assert list(ScorecardIndicator.objects.values_list("indicator", "weight").order_by("indicator")) == before


def test_settings_patch_validates_and_only_configurers_may_change(shop, gm):
    c = client_for(gm)
    bad = c.patch(
        "/api/v1/keyaccounts/config/settings/", {"vip_share": "0.9", "major_share": "0.5"}, format="json"
    )
    assert bad.status_code == 400
    assert "ordinary_share" in bad.json()
    ok = c.patch("/api/v1/keyaccounts/config/settings/", {"default_months": 24}, format="json")
    assert ok.status_code == 200 and ok.json()["default_months"] == 24
    finance = UserFactory(username="api_fi", role="finance", store=shop["store"])
    assert (
        client_for(finance)
        .patch("/api/v1/keyaccounts/config/settings/", {"default_months": 12}, format="json")
        .status_code
        == 403
    )


def test_manager_decides_the_account_type_with_a_note(shop, gm):
    c = client_for(gm)
    url = f"/api/v1/keyaccounts/customers/{shop['A'].pk}/account-type/"
    assert c.post(url, {"account_type": "strategic", "note": ""}, format="json").status_code == 400
    assert (
        c.post(url, {"account_type": "strategic", "note": "joint planning"}, format="json").status_code == 200
    )
    types = c.get("/api/v1/keyaccounts/types/").json()
    a = next(r for r in types["customers"] if r["name"] == "A 物流")
    assert a["account_type"] == "strategic" and a["overridden"] and a["note"] == "joint planning"
    assert c.delete(url).status_code == 204


def test_account_plan_with_objectives_actions_and_overdue_list(shop):
    manager = shop["manager"]
    c = client_for(manager)
    created = c.post("/api/v1/keyaccounts/plans/", {"customer": shop["A"].pk}, format="json")
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    c.post(f"/api/v1/keyaccounts/plans/{plan_id}/objectives/", {"title": "Framework deal"}, format="json")
    late = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    r = c.post(
        f"/api/v1/keyaccounts/plans/{plan_id}/actions/",
        {"title": "Call the CFO", "owner": manager.pk, "due_date": late},
        format="json",
    )
    assert r.status_code == 201
    stage = c.patch(
        f"/api/v1/keyaccounts/plans/{plan_id}/", {"stage": "trust", "reason": "first deal"}, format="json"
    )
    assert stage.json()["stage"] == "trust"
    overdue = c.get("/api/v1/keyaccounts/plan-actions/?mine=1&overdue=1").json()
    assert [a["title"] for a in overdue["results"]] == ["Call the CFO"]
    action_id = overdue["results"][0]["id"]
    done = c.post(f"/api/v1/keyaccounts/plan-actions/{action_id}/status/", {"status": "done"}, format="json")
    assert done.json()["status"] == "done"
    assert c.get("/api/v1/keyaccounts/plan-actions/?mine=1&overdue=1").json()["results"] == []


def test_export_is_an_xlsx_workbook(shop, gm):
    response = client_for(gm).get("/api/v1/keyaccounts/export.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert {"Summary", "Customers", "Pyramid", "Whale curve", "Pitfalls"} <= set(wb.sheetnames)
