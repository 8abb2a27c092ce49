"""Policy tables kept in process memory: read once, dropped by every kind of change, never stale
inside the transaction that changed them, and seen from other processes within the set seconds."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from autosales.core import config_cache
from autosales.keyaccounts import selectors as ka_selectors
from autosales.keyaccounts.models import AnalysisSettings
from autosales.sales import selectors
from autosales.sales.models import ApprovalRule, MarginFloor, TaxRule

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 6, 1)


def _rate(role: str) -> D:
    return next(a.max_rate for a in selectors.authorities() if a.role == role)


@pytest.fixture
def clock(monkeypatch):
    """A monotonic clock the test moves by hand."""
    now = [1000.0]
    monkeypatch.setattr(config_cache.time, "monotonic", lambda: now[0])
    return now


def test_second_read_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        first = selectors.authorities()
    with django_assert_num_queries(0):
        assert selectors.authorities() == first
        assert selectors.authorities() == first
    with django_assert_num_queries(1):
        selectors.tax_rule_for(on=ON, fuel_type="gasoline")
    with django_assert_num_queries(0):
        selectors.tax_rule_for(on=ON, fuel_type="bev")
    # Another argument is another answer.
    with django_assert_num_queries(1):
        selectors.tax_rule_for(on=ON + datetime.timedelta(days=1), fuel_type="gasoline")


def test_save_delete_and_bulk_changes_are_seen_at_once(django_assert_num_queries):
    rule = ApprovalRule.objects.get(role="salesperson")
    assert _rate("salesperson") == rule.max_discount_rate
    rule.max_discount_rate = D("0.0123")
    rule.save()
    assert _rate("salesperson") == D("0.0123")
    ApprovalRule.objects.filter(pk=rule.pk).update(max_discount_rate=D("0.0456"))
    assert _rate("salesperson") == D("0.0456")
    rule.delete()
    assert "salesperson" not in [a.role for a in selectors.authorities()]
    ApprovalRule.objects.bulk_create([ApprovalRule(role="salesperson", max_discount_rate=D("0.0200"))])
    assert _rate("salesperson") == D("0.0200")

    floor = MarginFloor.objects.get(customer_tier="", account_type="", car_model=None)
    assert selectors.margin_floor_for(customer=None, car_model_ids=[], segment=("", "")) == floor.min_margin
    MarginFloor.objects.filter(pk=floor.pk).update(min_margin=D("0.0777"))
    assert selectors.margin_floor_for(customer=None, car_model_ids=[], segment=("", "")) == D("0.0777")

    assert ka_selectors.default_months() == AnalysisSettings.current().default_months
    AnalysisSettings.objects.update(default_months=18)
    assert ka_selectors.default_months() == 18


def test_a_change_made_elsewhere_is_seen_when_the_answer_expires(settings, clock):
    settings.AUTOSALES_CONFIG_CACHE_SECONDS = 2
    before = _rate("salesperson")
    # Another process changes the table: no signal reaches this one.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sales_approvalrule SET max_discount_rate = %s WHERE role = %s", ["0.0321", "salesperson"]
        )
    clock[0] += 1.9
    assert _rate("salesperson") == before
    clock[0] += 0.2
    assert _rate("salesperson") == D("0.0321")


def test_zero_seconds_reads_every_time(settings, django_assert_num_queries):
    settings.AUTOSALES_CONFIG_CACHE_SECONDS = 0
    with django_assert_num_queries(3):
        for _ in range(3):
            selectors.authorities()


def test_an_answer_read_while_the_table_changed_is_not_kept(django_assert_num_queries):
    def read_and_change():
        rows = selectors.authorities.__wrapped__()
        ApprovalRule.objects.filter(role="salesperson").update(max_discount_rate=D("0.0111"))
        return rows

    cached = config_cache.config_cached(ApprovalRule)(read_and_change)
    stale = cached()
    assert next(a.max_rate for a in stale if a.role == "salesperson") != D("0.0111")
    with django_assert_num_queries(2):
        cached()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_uncommitted_change_is_seen_only_by_its_transaction_and_dropped_on_commit():
    rule, _created = ApprovalRule.objects.update_or_create(
        role="salesperson", defaults={"max_discount_rate": D("0.0300")}
    )
    committed = _rate("salesperson")
    assert committed == D("0.0300")

    with pytest.raises(RuntimeError), transaction.atomic():
        rule.max_discount_rate = D("0.0999")
        rule.save()
        # Inside the transaction its own change is read, and not kept for anyone else.
        assert _rate("salesperson") == D("0.0999")
        assert _rate("salesperson") == D("0.0999")
        raise RuntimeError("rolled back")
    assert _rate("salesperson") == committed

    with transaction.atomic():
        ApprovalRule.objects.filter(pk=rule.pk).update(max_discount_rate=D("0.0888"))
        assert _rate("salesperson") == D("0.0888")
    assert _rate("salesperson") == D("0.0888")

    # After the commit the answer is kept again.
    with CaptureQueriesContext(connection) as queries:
        _rate("salesperson")
    assert len(queries) == 0


def test_tax_rules_follow_their_table():
    rule = selectors.tax_rule_for(on=ON, fuel_type="gasoline")
    assert rule is not None
    TaxRule.objects.filter(valid_from__lte=ON).update(registration_fee=D("777.00"))
    assert selectors.tax_rule_for(on=ON, fuel_type="gasoline").registration_fee == D("777.00")
