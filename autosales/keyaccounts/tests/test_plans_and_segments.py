"""Account plans, type decisions, and the value summary that quote approval reads."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from autosales.core.exceptions import DomainError
from autosales.core.models import Event
from autosales.core.tests.factories import UserFactory
from autosales.keyaccounts.choices import AccountType, ActionStatus, RelationshipStage, Tier
from autosales.keyaccounts.selectors import (
    concession_check,
    customer_segment,
    customer_value_summary,
    plan_actions_overdue,
)
from autosales.keyaccounts.services import (
    account_plan_create,
    account_plan_update,
    account_type_decide,
    account_type_decision_clear,
    plan_action_add,
    plan_action_set_status,
    plan_objective_add,
    settings_update,
)
from autosales.parties.tests.factories import CustomerFactory

from .builders import configure, dealership, order

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def today_shop():
    """The dealership shifted so that its data ends today (the summary uses today's analysis)."""
    configure(vip="0.20", major="0.40", ordinary="0.20")
    return dealership()


def test_value_summary_gives_tier_and_concessions_this_year(today_shop):
    f = CustomerFactory(store=today_shop["store"], owner=today_shop["manager"], name="F")
    this_year = timezone.localdate().replace(month=1, day=1)
    order(f, this_year, [{"unit_price": "100000", "unit_discount": "5000", "unit_cost": "80000"}])
    order(
        f,
        this_year.replace(year=this_year.year - 1),
        [{"unit_price": "100000", "unit_discount": "9000", "unit_cost": "80000"}],
    )
    summary = customer_value_summary(f)
    assert summary["in_analysis"]
    assert summary["concessions_this_year"] == D("5000.00")
    assert summary["list_value_this_year"] == D("100000.00")
    assert summary["concessions_period"] == D("14000.00")
    # Six customers, VIP cut-off 20% → the top 2 (1.2 rounded up); F's net profit 26,000 ranks second.
    assert summary["tier"] == Tier.VIP
    assert summary["allowed_concession_ratio"] == D("0.0800")
    assert summary["concession_headroom"] == D("3000.00")


def test_a_customer_without_purchases_is_small_without_a_type():
    configure()
    newcomer = CustomerFactory()
    assert customer_segment(newcomer) == (Tier.SMALL, "")


def test_concession_check_warns_the_approver_when_a_quote_asks_too_much():
    configure()
    newcomer = CustomerFactory()
    # A small customer justifies 3% of list value.
    quiet = concession_check(newcomer, list_total=D("100000"), concessions=D("2000"))
    assert quiet["warning"] == "" and quiet["excess"] == D("0.00")
    loud = concession_check(newcomer, list_total=D("100000"), concessions=D("8000"))
    assert loud["excess"] == D("5000.00")
    assert "Too many concessions" in loud["warning"]


def test_type_decision_overrides_and_clears(today_shop):
    gm = UserFactory(username="ka_gm", role="general_manager", store=None)
    a = today_shop["A"]
    account_type_decide(
        actor=gm, customer=a, account_type=AccountType.STRATEGIC, note="framework deal in talks"
    )
    assert customer_segment(a)[1] == AccountType.STRATEGIC
    account_type_decision_clear(actor=gm, customer=a)
    # Back to the suggestion: financing and insurance on the order make A an extrinsic-value account.
    assert customer_segment(a) == (Tier.VIP, AccountType.EXTRINSIC)
    with pytest.raises(DomainError):
        account_type_decide(actor=gm, customer=a, account_type="friendly", note="x")


def test_type_decision_needs_a_note(today_shop):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        account_type_decide(
            actor=None, customer=today_shop["B"], account_type=AccountType.INTRINSIC, note=" "
        )


def test_account_plan_stages_objectives_and_overdue_actions(today_shop):
    manager = today_shop["manager"]
    plan = account_plan_create(actor=manager, customer=today_shop["A"])
    assert plan.stage == RelationshipStage.DEVELOP
    with pytest.raises(DomainError):
        account_plan_create(actor=manager, customer=today_shop["A"])
    account_plan_update(
        actor=manager, plan=plan, data={"stage": RelationshipStage.TRUST}, reason="met the CFO"
    )
    assert Event.objects.filter(action="stage_changed", to_state="trust", reason="met the CFO").exists()
    goal = plan_objective_add(
        actor=manager, plan=plan, title="Framework agreement", measure="vehicles", target=D("50")
    )
    today = timezone.localdate()
    late = plan_action_add(
        actor=manager,
        plan=plan,
        title="Visit the fleet manager",
        owner=manager,
        due_date=today - datetime.timedelta(days=3),
        objective=goal,
    )
    plan_action_add(
        actor=manager,
        plan=plan,
        title="Send price list",
        owner=manager,
        due_date=today + datetime.timedelta(days=3),
    )
    assert list(plan_actions_overdue(manager)) == [late]
    plan_action_set_status(actor=manager, action=late, status=ActionStatus.DONE, outcome="agreed to a trial")
    assert list(plan_actions_overdue(manager)) == []
    with pytest.raises(DomainError):
        plan_action_set_status(actor=manager, action=late, status=ActionStatus.CANCELLED)


def test_settings_refuse_tier_shares_above_one_and_change_nothing():
    from django.core.exceptions import ValidationError

    configure()
    with pytest.raises(ValidationError) as excinfo:
        settings_update(
            actor=None, data={"vip_share": D("0.5"), "major_share": D("0.4"), "ordinary_share": D("0.3")}
        )
    assert "ordinary_share" in excinfo.value.message_dict
    from autosales.keyaccounts.models import AnalysisSettings

    assert AnalysisSettings.current().vip_share == D("0.0100")
