from dataclasses import dataclass
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from autosales.sales import pricing

CENT = Decimal("0.01")
prices = st.decimals(min_value=0, max_value=Decimal("5000000"), places=2)
rates = st.decimals(min_value=0, max_value=Decimal("0.5"), places=4)
quantities = st.integers(min_value=1, max_value=500)
kinds = st.sampled_from(["vehicle", "accessory", "service", "insurance", "financing", "trade_in"])


@dataclass
class Line:
    kind: str
    quantity: int
    unit_price: Decimal
    unit_discount: Decimal
    unit_cost: Decimal
    income: Decimal


@st.composite
def lines(draw):
    price = draw(prices)
    return Line(
        kind=draw(kinds),
        quantity=draw(quantities),
        unit_price=price,
        unit_discount=draw(st.decimals(min_value=0, max_value=price, places=2)),
        unit_cost=draw(prices),
        income=draw(st.decimals(min_value=0, max_value=Decimal("100000"), places=2)),
    )


@given(st.lists(lines(), max_size=12))
def test_totals_equal_the_sum_of_the_lines_to_the_cent(items):
    totals = pricing.document_totals(items)
    figures = [pricing.line_figures(line) for line in items]
    assert totals.total == sum((f.amount for f in figures), Decimal("0.00"))
    assert totals.discount_total == sum((f.discount for f in figures), Decimal("0.00"))
    assert totals.total == totals.list_total - totals.discount_total
    assert totals.gross_profit == totals.total - totals.cost_total + totals.income_total
    assert totals.payable == totals.total - totals.trade_in_credit
    for value in (totals.total, totals.gross_profit, totals.cost_total, totals.trade_in_credit):
        assert value == value.quantize(CENT)


@given(lines(), st.decimals(min_value=0, max_value=Decimal("1000"), places=2))
def test_a_larger_discount_never_raises_the_profit_or_the_margin(line, extra):
    assume(line.kind != "trade_in" and line.unit_discount + extra <= line.unit_price)
    before = pricing.document_totals([line])
    line.unit_discount += extra
    after = pricing.document_totals([line])
    assert after.gross_profit <= before.gross_profit
    assert after.gross_profit == before.gross_profit - extra * line.quantity
    # Lender income can push the profit above the revenue; without it a discount can only
    # lower the margin, since margin = 1 - cost / revenue.
    if line.income == 0 and after.total > 0:
        assert after.margin <= before.margin


@given(lines())
def test_margin_is_the_profit_over_the_revenue_after_discount(line):
    assume(line.kind != "trade_in")
    totals = pricing.document_totals([line])
    if totals.total == 0:
        assert totals.margin == 0
    else:
        assert abs(totals.margin - totals.gross_profit / totals.total) <= Decimal("0.00005")


@given(
    st.decimals(min_value=0, max_value=Decimal("5000000"), places=2),
    st.decimals(min_value=0, max_value=Decimal("0.36"), places=4),
    st.integers(min_value=1, max_value=120),
)
def test_annuity_payments_repay_at_least_the_principal(principal, rate, months):
    payment = pricing.annuity_payment(principal, rate, months)
    # Each payment is rounded to the cent, so the sum may fall short by at most half a cent a month.
    assert payment * months >= principal - Decimal("0.005") * months
    if rate == 0:
        assert abs(payment * months - principal) <= Decimal("0.005") * months


@given(
    st.decimals(min_value=1, max_value=Decimal("5000000"), places=2),
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("0.36"), places=4),
    st.integers(min_value=1, max_value=120),
)
def test_a_higher_rate_never_lowers_the_payment(principal, rate, months):
    assert pricing.annuity_payment(principal, rate, months) >= pricing.annuity_payment(principal, 0, months)


vat = st.sampled_from([Decimal("0.13"), Decimal("0.09"), Decimal("0.06"), Decimal("0")])


@given(prices, prices, vat, st.sampled_from([Decimal("0.10"), Decimal("0.05")]))
def test_purchase_tax_grows_with_the_price(low, high, vat_rate, rate):
    low, high = min(low, high), max(low, high)
    assert pricing.purchase_tax(low, vat_rate=vat_rate, rate=rate) <= pricing.purchase_tax(
        high, vat_rate=vat_rate, rate=rate
    )


@given(
    prices,
    vat,
    st.decimals(min_value=0, max_value=1, places=2),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=Decimal("30000"), places=2)),
)
def test_purchase_tax_reduction_is_capped_and_never_negative(price, vat_rate, reduction, cap):
    full = pricing.purchase_tax(price, vat_rate=vat_rate, rate=Decimal("0.10"))
    reduced = pricing.purchase_tax(
        price, vat_rate=vat_rate, rate=Decimal("0.10"), reduction=reduction, reduction_cap=cap
    )
    assert Decimal("0.00") <= reduced <= full
    if cap is not None:
        assert full - reduced <= cap
    # Two roundings to the cent (net price, then tax) move it by at most a cent.
    assert full <= price * Decimal("0.10") + CENT
    assert full == full.quantize(CENT)


@given(prices, vat)
def test_price_splits_into_net_and_vat_to_the_cent(price, vat_rate):
    assert pricing.price_excluding_vat(price, vat_rate) + pricing.vat_included(price, vat_rate) == price


@given(prices, st.decimals(min_value=0, max_value=1, places=4), st.one_of(st.none(), prices))
def test_discount_limit_respects_rate_and_cap(list_total, max_rate, cap):
    limit = pricing.discount_limit(list_total, max_rate, cap)
    assert Decimal("0") <= limit <= list_total * max_rate + Decimal("0.005")
    if cap is not None:
        assert limit <= cap
