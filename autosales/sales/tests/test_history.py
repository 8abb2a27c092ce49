"""The sales services leave a historical version for every change of quotes, approvals and orders."""

from decimal import Decimal as D

import pytest

from autosales.sales import services
from autosales.sales.choices import ApprovalDecision
from autosales.sales.models import OrderLine, QuoteApproval, QuoteLine

from .conftest import approved_quote

pytestmark = pytest.mark.django_db


def test_order_made_from_a_quote_records_history_of_its_lines(confirmed_order, salesperson):
    lines = list(OrderLine.objects.filter(order=confirmed_order))
    versions = OrderLine.history.filter(order_id=confirmed_order.pk, history_type="+")
    assert lines and versions.count() == len(lines)
    assert {v.history_user for v in versions} == {salesperson}
    assert confirmed_order.history.filter(history_type="~").exists()


def test_discount_change_is_recorded_with_old_and_new_value(quote_with_vehicle, salesperson):
    line = quote_with_vehicle.lines.get(kind="vehicle")
    services.quote_line_update(line=line, actor=salesperson, unit_discount=D("1500.00"))
    latest = QuoteLine.history.filter(id=line.pk).latest("history_date")
    assert latest.unit_discount == D("1500.00")
    assert latest.prev_record.unit_discount == D("0")


def test_cancelling_a_quote_records_the_rejected_approval_in_history(quote_with_vehicle, salesperson):
    quote = approved_quote(quote_with_vehicle, salesperson, discount=D("4000.01"))
    approval = QuoteApproval.objects.get()

    services.quote_cancel(quote=quote, actor=salesperson, reason="customer bought elsewhere")

    latest = approval.history.latest("history_date")
    assert latest.decision == ApprovalDecision.REJECTED
    assert latest.prev_record.decision == ApprovalDecision.PENDING
    assert latest.history_user == salesperson
