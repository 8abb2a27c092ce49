import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from autosales.core.exceptions import DomainError
from autosales.core.models import Event
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales import services
from autosales.sales.models import ApprovalRule, FleetAgreement, MarginFloor, QuoteApproval

from .conftest import approved_quote

pytestmark = pytest.mark.django_db
D = Decimal


def test_general_manager_changes_the_matrix_and_quotes_follow_it(gm, salesperson, quote_with_vehicle):
    rule = ApprovalRule.objects.get(role="salesperson")
    services.policy_rule_save(
        kind="approval_rule",
        actor=gm,
        instance=rule,
        role="salesperson",
        max_discount_rate=D("0.0300"),
        max_discount_amount=None,
        may_go_below_floor=False,
    )
    assert Event.objects.filter(action="policy_changed", object_id=rule.pk).exists()
    quote = approved_quote(quote_with_vehicle, salesperson, discount=D("6000.00"))  # 3% of 200000
    assert quote.status == "approved" and not QuoteApproval.objects.exists()


def test_a_sales_manager_cannot_change_the_policy(manager):
    rule = ApprovalRule.objects.get(role="salesperson")
    with pytest.raises(DomainError):
        services.policy_rule_save(
            kind="approval_rule",
            actor=manager,
            instance=rule,
            role="salesperson",
            max_discount_rate=D("0.5"),
            max_discount_amount=None,
            may_go_below_floor=True,
        )
    rule.refresh_from_db()
    assert rule.max_discount_rate == D("0.0200")


def test_a_model_floor_is_stricter_than_the_general_one(gm, salesperson, quote_with_vehicle, trim):
    services.policy_rule_save(
        kind="margin_floor",
        actor=gm,
        customer_tier="",
        account_type="",
        car_model=trim.car_model,
        min_margin=D("0.0800"),
    )
    line = quote_with_vehicle.lines.get()
    services.quote_line_update(line=line, actor=salesperson, unit_discount=D("3000"))  # margin 8.76%
    services.quote_submit(quote=quote_with_vehicle, actor=salesperson)
    quote_with_vehicle.refresh_from_db()
    assert quote_with_vehicle.status == "approved"
    services.quote_line_update(line=line, actor=salesperson, unit_discount=D("3500"))  # margin 8.4% ≥ 8%
    MarginFloor.objects.filter(car_model=trim.car_model).update(min_margin=D("0.0900"))
    with pytest.raises(DomainError):
        services.quote_submit(quote=quote_with_vehicle, actor=salesperson)


def test_fleet_agreement_lifecycle(manager, store, salesperson, trim):
    company = CustomerFactory(company=True, store=store, owner=salesperson)
    today = timezone.localdate()
    agreement = services.fleet_agreement_create(
        actor=manager,
        customer=company,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=365),
        volume_target=50,
    )
    assert agreement.number.startswith("FA-SH01-")
    with pytest.raises(DomainError):
        services.fleet_agreement_set_status(agreement=agreement, actor=manager, status="active")
    services.fleet_agreement_price_set(agreement=agreement, actor=manager, trim=trim, unit_price=D("188000"))
    services.fleet_agreement_set_status(agreement=agreement, actor=manager, status="active")
    quote = services.quote_create(actor=salesperson, customer=company)
    line = services.quote_line_add(quote=quote, actor=salesperson, trim=trim, quantity=5)
    assert line.unit_price == D("188000.00")
    with pytest.raises(DomainError):
        services.fleet_agreement_set_status(agreement=agreement, actor=manager, status="draft")
    assert FleetAgreement.objects.get().status == "active"


def test_policy_and_agreement_pages(gm, manager, store, salesperson, trim):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(gm)
    assert client.get(reverse("web:policy")).status_code == 200
    rule = ApprovalRule.objects.get(role="sales_manager")
    r = client.post(
        reverse("web:policy_edit", args=["approval_rule", rule.pk]),
        {"role": "sales_manager", "max_discount_rate": "0.0600", "max_discount_amount": ""},
    )
    assert r.status_code == 302
    rule.refresh_from_db()
    assert rule.max_discount_rate == D("0.0600")
    r = client.post(
        reverse("web:policy_create", args=["tax_rule"]),
        {
            "name": "Test",
            "valid_from": "2030-01-01",
            "fuel_types": ["electric"],
            "vat_rate": "0.13",
            "purchase_tax_rate": "0.10",
            "purchase_tax_reduction": "0",
            "registration_fee": "500",
        },
    )
    assert r.status_code == 302
    client.force_login(manager)
    assert client.get(reverse("web:policy_edit", args=["approval_rule", rule.pk])).status_code == 403
    company = CustomerFactory(company=True, store=store, owner=salesperson)
    r = client.post(
        reverse("web:agreement_list"),
        {
            "customer": company.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "volume_target": 10,
            "payment_terms_days": 30,
        },
    )
    assert r.status_code == 302
    agreement = FleetAgreement.objects.get()
    assert client.get(reverse("web:agreement_detail", args=[agreement.pk])).status_code == 200


def test_a_tier_floor_from_the_key_account_analysis_applies(monkeypatch, gm, salesperson, quote_with_vehicle):
    import autosales.keyaccounts.selectors as keyaccounts

    monkeypatch.setattr(keyaccounts, "customer_segment", lambda customer: ("vip", "strategic"))
    services.policy_rule_save(
        kind="margin_floor",
        actor=gm,
        customer_tier="vip",
        account_type="",
        car_model=None,
        min_margin=D("0.0100"),
    )
    line = quote_with_vehicle.lines.get()
    services.quote_line_update(line=line, actor=salesperson, unit_discount=D("16000"))  # margin 2.17%
    services.quote_submit(quote=quote_with_vehicle, actor=salesperson)
    approval = QuoteApproval.objects.get()
    assert not approval.below_floor and approval.margin_floor == D("0.0100")
    assert approval.required_role == "general_manager"  # 8% discount is beyond the sales manager


def test_a_margin_floor_names_a_tier_and_type_the_analysis_knows(gm):
    with pytest.raises(ValidationError) as refused:
        services.policy_rule_save(
            kind="margin_floor",
            actor=gm,
            customer_tier="gold",
            account_type="",
            car_model=None,
            min_margin=D("0.02"),
        )
    assert "customer_tier" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.policy_rule_save(
            kind="margin_floor",
            actor=gm,
            customer_tier="",
            account_type="loyal",
            car_model=None,
            min_margin=D("0.02"),
        )
    assert "account_type" in refused.value.message_dict
    services.policy_rule_save(
        kind="margin_floor",
        actor=gm,
        customer_tier="major",
        account_type="strategic",
        car_model=None,
        min_margin=D("0.02"),
    )
    client = Client()
    client.force_login(gm)
    page = client.get(reverse("web:policy")).content.decode()
    assert "Major" in page and "Strategic value" in page
