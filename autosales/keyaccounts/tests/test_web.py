"""Key-account web pages: charts and figures for managers, plans for salespeople, configuration errors shown."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from autosales.core.tests.factories import UserFactory
from autosales.keyaccounts.models import AccountPlan, PlanAction, ScorecardIndicator

from .builders import configure, dealership, order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    configure(vip="0.20", major="0.40", ordinary="0.20")
    data = dealership()
    order(
        data["D"],
        timezone.localdate() - datetime.timedelta(days=3),
        [{"unit_price": "1000", "unit_cost": "900"}],
    )
    return data


def login(user):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


@pytest.fixture
def gm():
    return UserFactory(username="web_gm", role="general_manager", store=None)


def test_overview_pages_render_for_a_general_manager(shop, gm):
    c = login(gm)
    home = c.get(reverse("web:keyaccounts_home"))
    assert home.status_code == 200
    body = home.content.decode()
    assert 'id="ka-whale"' in body and 'id="ka-chart-data"' in body
    assert "¥44,360.00" in c.get(reverse("web:ka_customers")).content.decode()
    for name in ("ka_comparison", "ka_pitfalls", "ka_types", "ka_forecasts", "ka_settings", "ka_plans"):
        assert c.get(reverse(f"web:{name}")).status_code == 200, name
    detail = c.get(reverse("web:ka_customer", args=[shop["A"].pk])).content.decode()
    assert "¥44,360.00" in detail and "¥385,000.00" in detail


def test_pitfall_figures_show_labels_and_percentages_not_raw_keys(shop, gm):
    body = login(gm).get(reverse("web:ka_pitfalls")).content.decode()
    assert "Share neglected" in body and "Customers named" in body
    for raw in ("neglected_share", "key_by_some_not_all", "small_customers", "big_order_from"):
        assert f">{raw}<" not in body, raw


def test_salesperson_lands_on_account_plans_and_may_not_open_the_analysis(shop):
    seller = UserFactory(username="web_seller", role="salesperson", store=shop["store"])
    c = login(seller)
    assert c.get(reverse("web:keyaccounts_home")).url == reverse("web:ka_plans")
    assert c.get(reverse("web:ka_customers")).status_code == 403


def test_scorecard_form_refuses_weights_not_summing_to_one(shop, gm):
    c = login(gm)
    data = {"section": "scorecard"}
    for code in ScorecardIndicator.objects.values_list("indicator", flat=True):
        data[f"group_{code}"] = "current"
        data[f"weight_{code}"] = "0"
    data["weight_net_profit"] = "0.6"
    data["weight_growth"] = "0.3"
    response = c.post(reverse("web:ka_settings"), data)
    assert response.status_code == 200
    assert "they must add up to 1" in response.content.decode()
    assert ScorecardIndicator.objects.get(indicator="net_profit").weight != 0.6


def test_manager_builds_an_account_plan_and_overdue_actions_show_on_the_widget(shop):
    manager = shop["manager"]
    c = login(manager)
    response = c.post(reverse("web:ka_plan_create", args=[shop["A"].pk]))
    plan = AccountPlan.objects.get(customer=shop["A"])
    assert response.url == reverse("web:ka_plan", args=[plan.pk])
    late = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    c.post(
        reverse("web:ka_plan", args=[plan.pk]),
        {"section": "action", "title": "Visit HQ", "owner": manager.pk, "due_date": late},
    )
    assert PlanAction.objects.filter(plan=plan, title="Visit HQ").exists()
    widget = c.get(reverse("web:ka_widget_actions")).content.decode()
    assert "Visit HQ" in widget
    c.post(
        reverse("web:ka_plan", args=[plan.pk]),
        {"section": "plan", "stage": "demand", "summary": "", "reason": "tender"},
    )
    plan.refresh_from_db()
    assert plan.stage == "demand"


def test_type_override_from_the_customer_page(shop, gm):
    c = login(gm)
    c.post(
        reverse("web:ka_customer_type", args=[shop["A"].pk]),
        {"account_type": "strategic", "note": "joint plan"},
    )
    detail = c.get(reverse("web:ka_customer", args=[shop["A"].pk])).content.decode()
    assert "set by a manager" in detail


def test_export_downloads_a_workbook(shop, gm):
    response = login(gm).get(reverse("web:ka_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_customer_value_page_links_an_account_plan_only_for_those_who_may_open_it(shop, gm):
    customer = shop["A"]
    plan = AccountPlan.objects.create(customer=customer, owner=gm)
    finance = UserFactory(username="ka_finance", role="finance", store=customer.store)
    plan_url = reverse("web:ka_plan", args=[plan.pk])
    page = reverse("web:ka_customer", args=[customer.pk])
    assert plan_url in login(gm).get(page).content.decode()
    response = login(finance).get(page)
    assert response.status_code == 200 and plan_url not in response.content.decode()
