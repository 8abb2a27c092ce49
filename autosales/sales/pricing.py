"""Pure pricing arithmetic: no database, no settings, Decimal in and Decimal out.

Prices are VAT-inclusive unit prices; every amount is rounded to the cent, half up, at the
points named in each function so that the same inputs always give the same cents.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
RATE_PLACES = Decimal("0.0001")

# Line kinds that are not sold goods: financing carries only terms and lender income;
# a trade-in is a credit against what the customer pays, not revenue.
FINANCING = "financing"
TRADE_IN = "trade_in"
VEHICLE = "vehicle"


def money(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return Decimal(value if value is not None else 0).quantize(CENT, rounding=ROUND_HALF_UP)


def rate_of(numerator, denominator) -> Decimal:
    """numerator / denominator to four places (0 when the denominator is 0)."""
    numerator, denominator = Decimal(numerator or 0), Decimal(denominator or 0)
    if denominator == 0:
        return Decimal("0.0000")
    return (numerator / denominator).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def annuity_payment(principal, annual_rate, months: int) -> Decimal:
    """Monthly payment of a loan repaid in equal instalments (the standard annuity formula).

    payment = P · r / (1 − (1 + r)^−n) with r = annual_rate / 12; a 0% offer is P / n.
    """
    principal = Decimal(principal)
    annual_rate = Decimal(annual_rate)
    if months <= 0:
        raise ValueError("the term must be at least one month")
    if principal < 0 or annual_rate < 0:
        raise ValueError("principal and rate cannot be negative")
    if principal == 0:
        return ZERO
    with localcontext() as ctx:
        ctx.prec = 40
        if annual_rate == 0:
            return money(principal / months)
        r = annual_rate / 12
        payment = principal * r / (1 - (1 + r) ** -months)
    return money(payment)


def price_excluding_vat(price_incl_vat, vat_rate) -> Decimal:
    return money(Decimal(price_incl_vat) / (1 + Decimal(vat_rate)))


def vat_included(price_incl_vat, vat_rate) -> Decimal:
    """The VAT contained in a VAT-inclusive price."""
    return money(Decimal(price_incl_vat) - price_excluding_vat(price_incl_vat, vat_rate))


def purchase_tax(price_incl_vat, *, vat_rate, rate, reduction=0, reduction_cap=None) -> Decimal:
    """Purchase tax of one vehicle: rate × the VAT-exclusive price, less a reduction.

    ``reduction`` is the share of the tax waived (1 = exempt, 0.5 = halved); the waived
    amount is limited to ``reduction_cap`` per vehicle when one is given.
    """
    base = price_excluding_vat(price_incl_vat, vat_rate)
    tax = money(base * Decimal(rate))
    waived = money(tax * Decimal(reduction or 0))
    if reduction_cap is not None:
        waived = min(waived, money(reduction_cap))
    return max(tax - waived, ZERO)


def line_amount(unit_price, unit_discount, quantity) -> Decimal:
    return money((Decimal(unit_price) - Decimal(unit_discount)) * int(quantity))


def line_gross_profit(unit_price, unit_discount, unit_cost, quantity, income=0) -> Decimal:
    return money(
        (Decimal(unit_price) - Decimal(unit_discount) - Decimal(unit_cost)) * int(quantity) + Decimal(income)
    )


def margin(gross_profit, revenue) -> Decimal:
    return rate_of(gross_profit, revenue)


@dataclass(frozen=True)
class LineFigures:
    list_amount: Decimal
    discount: Decimal
    amount: Decimal
    cost: Decimal
    income: Decimal
    gross_profit: Decimal
    margin: Decimal
    trade_in_credit: Decimal


def line_figures(line) -> LineFigures:
    """Figures of one line; ``line`` has kind, quantity, unit_price, unit_discount, unit_cost, income."""
    qty = int(line.quantity or 0)
    income = money(line.income or 0)
    if line.kind == TRADE_IN:
        credit = money(Decimal(line.unit_price or 0) * qty)
        return LineFigures(ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, Decimal("0.0000"), credit)
    list_amount = money(Decimal(line.unit_price or 0) * qty)
    discount = money(Decimal(line.unit_discount or 0) * qty)
    amount = list_amount - discount
    cost = money(Decimal(line.unit_cost or 0) * qty)
    gross_profit = amount - cost + income
    return LineFigures(
        list_amount, discount, amount, cost, income, gross_profit, margin(gross_profit, amount), ZERO
    )


@dataclass(frozen=True)
class Totals:
    list_total: Decimal
    discount_total: Decimal
    total: Decimal
    cost_total: Decimal
    income_total: Decimal
    trade_in_credit: Decimal
    gross_profit: Decimal
    margin: Decimal
    discount_rate: Decimal

    @property
    def payable(self) -> Decimal:
        return self.total - self.trade_in_credit


def document_totals(lines: Iterable) -> Totals:
    """Sum the lines of a quote or order.

    The discount includes free extras (discounted by their full price); the margin is the
    gross profit (revenue − cost + lender/insurer income) over revenue, after every discount.
    """
    figures = [line_figures(line) for line in lines]
    list_total = sum((f.list_amount for f in figures), ZERO)
    discount_total = sum((f.discount for f in figures), ZERO)
    total = sum((f.amount for f in figures), ZERO)
    cost_total = sum((f.cost for f in figures), ZERO)
    income_total = sum((f.income for f in figures), ZERO)
    credit = sum((f.trade_in_credit for f in figures), ZERO)
    gross_profit = total - cost_total + income_total
    return Totals(
        list_total=list_total,
        discount_total=discount_total,
        total=total,
        cost_total=cost_total,
        income_total=income_total,
        trade_in_credit=credit,
        gross_profit=gross_profit,
        margin=margin(gross_profit, total),
        discount_rate=rate_of(discount_total, list_total),
    )


def discount_limit(list_total, max_rate, max_amount=None) -> Decimal:
    """The largest discount, in cents, that a rate (and optional cap) allows on ``list_total``."""
    limit = money(Decimal(list_total) * Decimal(max_rate))
    if max_amount is not None:
        limit = min(limit, money(max_amount))
    return limit


@dataclass(frozen=True)
class Authority:
    role: str
    max_rate: Decimal
    max_amount: Decimal | None
    may_go_below_floor: bool


@dataclass(frozen=True)
class ApprovalNeed:
    role: str | None  # None: no role may approve it
    below_floor: bool
    limit: Decimal  # the discount limit of that role (0 when none)


def is_below_floor(gross_profit, revenue, margin_floor) -> bool:
    """Exact test, without rounding the margin: gross profit < floor × revenue."""
    return Decimal(gross_profit) < Decimal(revenue) * Decimal(margin_floor)


def approver_for(
    *, authorities: Sequence[Authority], discount, list_total, below_floor: bool
) -> ApprovalNeed:
    """The lowest role of the matrix whose authority covers ``discount``.

    ``authorities`` is ordered from the lowest role to the highest. A role covers a discount up
    to its rate of the list total, to the cent (and to its amount cap, if any). Below the margin
    floor only a role that may go below the floor can approve (with a written reason).
    """
    discount = money(discount)
    for authority in authorities:
        if below_floor and not authority.may_go_below_floor:
            continue
        limit = discount_limit(list_total, authority.max_rate, authority.max_amount)
        if discount <= limit:
            return ApprovalNeed(authority.role, below_floor, limit)
    return ApprovalNeed(None, below_floor, ZERO)


def role_covers(authorities: Sequence[Authority], actor_role: str, needed_role: str | None) -> bool:
    """Does ``actor_role`` rank at or above ``needed_role`` in the matrix?"""
    order = [a.role for a in authorities]
    if needed_role is None or actor_role not in order or needed_role not in order:
        return False
    return order.index(actor_role) >= order.index(needed_role)
