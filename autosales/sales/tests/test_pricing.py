from decimal import Decimal

import pytest

from autosales.sales import pricing
from autosales.sales.pricing import Authority

D = Decimal


@pytest.mark.parametrize(
    ("principal", "rate", "months", "expected"),
    [
        ("100000", "0.06", 360, "599.55"),  # the textbook 30-year mortgage example
        ("100000", "0.05", 36, "2997.09"),
        ("150000", "0.0399", 60, "2761.80"),
        ("200000", "0", 24, "8333.33"),  # 0% offer: equal shares of the principal
        ("120000", "0", 12, "10000.00"),
    ],
)
def test_annuity_payment_matches_known_values(principal, rate, months, expected):
    assert pricing.annuity_payment(D(principal), D(rate), months) == D(expected)


def test_annuity_payment_refuses_a_zero_term():
    with pytest.raises(ValueError):
        pricing.annuity_payment(D("1000"), D("0.05"), 0)


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        pricing.money(1.5)


def test_purchase_tax_is_ten_percent_of_the_vat_exclusive_price():
    assert pricing.purchase_tax(D("226000"), vat_rate=D("0.13"), rate=D("0.10")) == D("20000.00")


def test_new_energy_tax_halved_with_a_cap_of_15000():
    kwargs = {"vat_rate": D("0.13"), "rate": D("0.10"), "reduction": D("0.5"), "reduction_cap": D("15000")}
    assert pricing.purchase_tax(D("226000"), **kwargs) == D("10000.00")
    # 40000 of tax, half would be 20000 but the waiver stops at 15000.
    assert pricing.purchase_tax(D("452000"), **kwargs) == D("25000.00")


def test_new_energy_exemption_is_capped_at_30000():
    kwargs = {"vat_rate": D("0.13"), "rate": D("0.10"), "reduction": D("1"), "reduction_cap": D("30000")}
    assert pricing.purchase_tax(D("226000"), **kwargs) == D("0.00")
    assert pricing.purchase_tax(D("452000"), **kwargs) == D("10000.00")


class L:
    def __init__(
        self, kind="vehicle", quantity=1, unit_price="0", unit_discount="0", unit_cost="0", income="0"
    ):
        self.kind, self.quantity = kind, quantity
        self.unit_price, self.unit_discount = D(unit_price), D(unit_discount)
        self.unit_cost, self.income = D(unit_cost), D(income)


def test_document_totals_count_free_extras_as_discount_and_trade_in_as_credit():
    lines = [
        L(quantity=2, unit_price="200000", unit_discount="1000.50", unit_cost="180000"),
        L("accessory", unit_price="3000", unit_discount="3000", unit_cost="1200"),  # free extra
        L("financing", income="2500"),
        L("trade_in", unit_price="50000"),
    ]
    totals = pricing.document_totals(lines)
    assert totals.list_total == D("403000.00")
    assert totals.discount_total == D("5001.00")
    assert totals.total == D("397999.00")
    assert totals.cost_total == D("361200.00")
    assert totals.income_total == D("2500.00")
    assert totals.trade_in_credit == D("50000.00")
    assert totals.payable == D("347999.00")
    assert totals.gross_profit == D("39299.00")
    assert totals.margin == D("0.0987")
    assert totals.discount_rate == D("0.0124")


def test_line_figures_give_the_margin_of_each_line():
    figures = pricing.line_figures(L(unit_price="3000", unit_discount="0", unit_cost="1200"))
    assert figures.gross_profit == D("1800.00")
    assert figures.margin == D("0.6000")


MATRIX = [
    Authority("salesperson", D("0.02"), None, False),
    Authority("sales_manager", D("0.05"), None, False),
    Authority("general_manager", D("1"), None, True),
]


@pytest.mark.parametrize(
    ("discount", "role"),
    [
        ("0.00", "salesperson"),
        ("4000.00", "salesperson"),  # exactly 2% of 200000
        ("4000.01", "sales_manager"),
        ("10000.00", "sales_manager"),  # exactly 5%
        ("10000.01", "general_manager"),
    ],
)
def test_approval_matrix_boundaries_to_the_cent(discount, role):
    need = pricing.approver_for(
        authorities=MATRIX, discount=D(discount), list_total=D("200000"), below_floor=False
    )
    assert need.role == role


def test_below_the_floor_only_a_role_allowed_below_it_may_approve():
    need = pricing.approver_for(
        authorities=MATRIX, discount=D("100"), list_total=D("200000"), below_floor=True
    )
    assert need.role == "general_manager"
    assert need.below_floor


def test_an_amount_cap_limits_a_role_below_its_rate():
    matrix = [Authority("salesperson", D("0.02"), D("3000"), False), *MATRIX[1:]]
    assert (
        pricing.approver_for(
            authorities=matrix, discount=D("3000.00"), list_total=D("200000"), below_floor=False
        ).role
        == "salesperson"
    )
    assert (
        pricing.approver_for(
            authorities=matrix, discount=D("3000.01"), list_total=D("200000"), below_floor=False
        ).role
        == "sales_manager"
    )


def test_nobody_may_approve_when_no_rule_covers_the_discount():
    need = pricing.approver_for(
        authorities=MATRIX[:2], discount=D("10000.01"), list_total=D("200000"), below_floor=False
    )
    assert need.role is None


def test_floor_test_is_exact_to_the_cent():
    # Cost 180000, list 200000, 3% floor: a discount of 14432.98 keeps the margin, 14432.99 breaks it.
    def below(discount):
        revenue = D("200000") - D(discount)
        return pricing.is_below_floor(revenue - D("180000"), revenue, D("0.03"))

    assert not below("14432.98")
    assert below("14432.99")


def test_role_ranking_follows_the_matrix():
    assert pricing.role_covers(MATRIX, "general_manager", "sales_manager")
    assert not pricing.role_covers(MATRIX, "salesperson", "sales_manager")
    assert not pricing.role_covers(MATRIX, "finance", "salesperson")
