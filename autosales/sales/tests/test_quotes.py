import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from autosales.core.exceptions import DomainError
from autosales.core.models import Event
from autosales.core.tests.factories import UserFactory
from autosales.inventory.choices import FuelType
from autosales.inventory.tests.factories import TrimFactory
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales import selectors, services
from autosales.sales.choices import ApprovalDecision, LeadStage, LineKind, QuoteStatus
from autosales.sales.models import FleetAgreement, FleetAgreementLine, Quote, QuoteApproval

from .conftest import approved_quote

pytestmark = pytest.mark.django_db
D = Decimal


def test_quote_number_and_lead_moves_to_quoted(quote_with_vehicle, lead):
    assert quote_with_vehicle.number.startswith("Q-SH01-")
    lead.refresh_from_db()
    assert lead.stage == LeadStage.QUOTED


def test_quote_totals_include_purchase_tax_and_registration(quote_with_vehicle):
    q = quote_with_vehicle
    assert q.total == D("200000.00")
    # 200000 / 1.13 = 176991.15; 10% = 17699.12 (rounded half up at each step)
    assert q.purchase_tax == D("17699.12")
    assert q.registration_fees == D("500.00")
    assert q.gross_profit == D("20000.00")


def test_electric_vehicle_gets_the_new_energy_tax_rule(salesperson, customer):
    ev = TrimFactory(fuel_type=FuelType.ELECTRIC, msrp=D("226000.00"), standard_cost=D("200000"))
    quote = services.quote_create(actor=salesperson, customer=customer)
    services.quote_line_add(quote=quote, actor=salesperson, trim=ev)
    quote.refresh_from_db()
    year = timezone.localdate().year
    expected = {2024: D("0.00"), 2025: D("0.00"), 2026: D("10000.00"), 2027: D("10000.00")}.get(
        year, D("20000.00")
    )
    assert quote.purchase_tax == expected


def test_discount_within_salesperson_authority_is_approved_at_once(quote_with_vehicle, salesperson):
    quote = approved_quote(quote_with_vehicle, salesperson, discount=D("4000.00"))
    assert quote.status == QuoteStatus.APPROVED
    assert not QuoteApproval.objects.exists()


def test_discount_one_cent_over_authority_goes_to_the_sales_manager(quote_with_vehicle, salesperson, manager):
    quote = approved_quote(quote_with_vehicle, salesperson, discount=D("4000.01"))
    assert quote.status == QuoteStatus.PENDING_APPROVAL
    approval = QuoteApproval.objects.get()
    assert approval.required_role == "sales_manager"
    assert approval.discount_total == D("4000.01")
    services.quote_approve(quote=quote, actor=manager, reason="loyal family")
    quote.refresh_from_db()
    approval.refresh_from_db()
    assert quote.status == QuoteStatus.APPROVED and quote.approved_by == manager
    assert approval.decision == ApprovalDecision.APPROVED and approval.reason == "loyal family"


def test_sales_manager_cannot_approve_beyond_five_percent(quote_with_vehicle, salesperson, manager, gm):
    quote = approved_quote(quote_with_vehicle, salesperson, discount=D("10000.01"))
    assert QuoteApproval.objects.get().required_role == "general_manager"
    with pytest.raises(DomainError) as exc:
        services.quote_approve(quote=quote, actor=manager)
    assert "General manager" in str(exc.value)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.PENDING_APPROVAL
    services.quote_approve(quote=quote, actor=gm)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.APPROVED


def test_below_the_margin_floor_needs_a_written_reason(quote_with_vehicle, salesperson, gm):
    line = quote_with_vehicle.lines.get()
    services.quote_line_update(line=line, actor=salesperson, unit_discount=D("14432.99"))
    with pytest.raises(DomainError) as exc:
        services.quote_submit(quote=quote_with_vehicle, actor=salesperson)
    assert "approval_reason" in exc.value.message_dict
    quote_with_vehicle.refresh_from_db()
    assert quote_with_vehicle.status == QuoteStatus.DRAFT
    services.quote_submit(quote=quote_with_vehicle, actor=salesperson, reason="fleet pilot for a key account")
    approval = QuoteApproval.objects.get()
    assert approval.below_floor and approval.required_role == "general_manager"
    with pytest.raises(DomainError):
        services.quote_approve(quote=quote_with_vehicle, actor=gm)  # no written reason
    services.quote_approve(quote=quote_with_vehicle, actor=gm, reason="strategic account")


def test_discount_one_cent_above_the_floor_limit_stays_with_the_manager(quote_with_vehicle, salesperson):
    approved_quote(quote_with_vehicle, salesperson, discount=D("10000.00"))
    assert QuoteApproval.objects.get().required_role == "sales_manager"
    assert not QuoteApproval.objects.get().below_floor


def test_rejection_is_recorded_with_its_reason(quote_with_vehicle, salesperson, manager):
    quote = approved_quote(quote_with_vehicle, salesperson, discount=D("5000"))
    services.quote_reject(quote=quote, actor=manager, reason="margin too thin this month")
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.REJECTED
    assert QuoteApproval.objects.get().reason == "margin too thin this month"


def test_a_change_to_an_approved_quote_sends_it_back_for_approval(quote_with_vehicle, salesperson, manager):
    quote = approved_quote(quote_with_vehicle, salesperson, discount=D("5000"))
    services.quote_approve(quote=quote, actor=manager)
    services.quote_line_add(
        quote=quote,
        actor=salesperson,
        kind=LineKind.ACCESSORY,
        description="mats",
        unit_price=D("800"),
        unit_cost=D("300"),
        is_free=True,
    )
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.DRAFT and quote.approved_by is None
    with pytest.raises(DomainError):
        services.quote_accept(quote=quote, actor=salesperson)
    services.quote_submit(quote=quote, actor=salesperson)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.PENDING_APPROVAL
    assert quote.discount_total == D("5800.00")


def test_approver_sees_concessions_this_year(quote_with_vehicle, salesperson, customer, trim):
    earlier = services.quote_create(actor=salesperson, customer=customer)
    services.quote_line_add(quote=earlier, actor=salesperson, trim=trim, unit_discount=D("600"))
    services.quote_line_add(
        quote=earlier,
        actor=salesperson,
        kind=LineKind.ACCESSORY,
        unit_price=D("400"),
        unit_cost=D("200"),
        is_free=True,
    )
    services.quote_submit(quote=earlier, actor=salesperson)
    approved_quote(quote_with_vehicle, salesperson, discount=D("5000"))
    assert QuoteApproval.objects.get().concessions_this_year == D("1000.00")
    assert selectors.concessions_this_year(customer) == D("1000.00")


def test_accepting_an_expired_quote_is_refused(quote_with_vehicle, salesperson):
    quote = approved_quote(quote_with_vehicle, salesperson)
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        services.quote_accept(quote=quote, actor=salesperson)
    assert "expired" in str(exc.value)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.APPROVED


def test_illegal_quote_transition_is_refused(quote_with_vehicle, salesperson):
    with pytest.raises(DomainError):
        services.quote_accept(quote=quote_with_vehicle, actor=salesperson)
    quote_with_vehicle.refresh_from_db()
    assert quote_with_vehicle.status == QuoteStatus.DRAFT


def test_financing_line_uses_the_annuity_formula(quote_with_vehicle, salesperson):
    line = services.quote_line_add(
        quote=quote_with_vehicle,
        actor=salesperson,
        kind=LineKind.FINANCING,
        down_payment=D("50000"),
        term_months=36,
        annual_rate=D("0.05"),
        income=D("1500"),
    )
    assert line.finance_amount == D("150000.00")
    assert line.monthly_payment == D("4495.63")
    quote_with_vehicle.refresh_from_db()
    assert quote_with_vehicle.total == D("200000.00")
    assert quote_with_vehicle.gross_profit == D("21500.00")


def test_trade_in_credit_reduces_what_the_customer_pays(quote_with_vehicle, salesperson, customer):
    appraisal = services.trade_in_appraise(
        actor=salesperson,
        customer=customer,
        description="大众 朗逸 2018",
        mileage_km=80000,
        appraised_value=D("45000"),
    )
    services.quote_line_add(
        quote=quote_with_vehicle, actor=salesperson, kind=LineKind.TRADE_IN, trade_in=appraisal
    )
    quote_with_vehicle.refresh_from_db()
    assert quote_with_vehicle.trade_in_credit == D("45000.00")
    assert quote_with_vehicle.payable == D("155000.00")


def test_trade_in_of_another_customer_is_refused(quote_with_vehicle, salesperson, store):
    other = CustomerFactory(store=store)
    appraisal = services.trade_in_appraise(
        actor=salesperson, customer=other, description="x", mileage_km=1, appraised_value=D("1000")
    )
    with pytest.raises(DomainError):
        services.quote_line_add(
            quote=quote_with_vehicle, actor=salesperson, kind=LineKind.TRADE_IN, trade_in=appraisal
        )


def test_fleet_agreement_prices_start_the_quote(store, manager, salesperson, trim):
    company = CustomerFactory(company=True, store=store, owner=salesperson)
    today = timezone.localdate()
    agreement = FleetAgreement.objects.create(
        customer=company,
        store=store,
        number="FA-1",
        status="active",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=365),
    )
    FleetAgreementLine.objects.create(agreement=agreement, trim=trim, unit_price=D("191000.00"))
    quote = services.quote_create(actor=salesperson, customer=company)
    line = services.quote_line_add(quote=quote, actor=salesperson, trim=trim, quantity=10)
    assert quote.fleet_agreement == agreement
    assert line.unit_price == D("191000.00")
    quote.refresh_from_db()
    assert quote.total == D("1910000.00")


def test_every_quote_transition_writes_an_event(quote_with_vehicle, salesperson):
    quote = approved_quote(quote_with_vehicle, salesperson)
    services.quote_send(quote=quote, actor=salesperson)
    services.quote_accept(quote=quote, actor=salesperson)
    actions = set(
        Event.objects.filter(object_id=quote.pk, content_type__model="quote").values_list("action", flat=True)
    )
    assert {"created", "approved_within_authority", "sent", "accepted"} <= actions


def test_a_manager_of_another_store_cannot_approve(quote_with_vehicle, salesperson):
    other_manager = UserFactory(username="mgr_other", manager=True)
    quote = approved_quote(quote_with_vehicle, salesperson, discount=D("5000"))
    with pytest.raises(DomainError):
        services.quote_approve(quote=quote, actor=other_manager)


def test_daily_expiry_marks_old_approved_quotes_expired(quote_with_vehicle, salesperson):
    from django.core.management import call_command

    quote = approved_quote(quote_with_vehicle, salesperson)
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    call_command("sales_expire_quotes")
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.EXPIRED


def test_a_quote_from_draft_to_approved_costs_a_fixed_number_of_queries(
    salesperson, customer, trim, django_assert_max_num_queries
):
    def one_quote():
        quote = services.quote_create(actor=salesperson, customer=customer)
        services.quote_line_add(quote=quote, actor=salesperson, kind="vehicle", trim=trim)
        return services.quote_submit(quote=quote, actor=salesperson)

    one_quote()  # the key-account analysis behind the margin floor is computed once and kept
    # Numbering, three transactions with their locks, history rows and events, the policy tables:
    # no query per customer, line or approval rule.
    with django_assert_max_num_queries(38):
        assert one_quote().status == "approved"


def test_the_key_account_analysis_behind_the_floor_is_not_computed_under_the_quote_lock(
    monkeypatch, salesperson, customer, trim
):
    from django.db import connection

    import autosales.keyaccounts.selectors as keyaccounts

    depths = []
    original = keyaccounts.analysis_run

    def analysis_run(**kwargs):
        depths.append(len(connection.atomic_blocks))
        return original(**kwargs)

    monkeypatch.setattr(keyaccounts, "analysis_run", analysis_run)
    keyaccounts.analysis_cache_clear()
    quote = services.quote_create(actor=salesperson, customer=customer)
    services.quote_line_add(quote=quote, actor=salesperson, kind="vehicle", trim=trim)
    outside = len(connection.atomic_blocks)
    assert services.quote_submit(quote=quote, actor=salesperson).status == "approved"
    assert depths == [outside]
