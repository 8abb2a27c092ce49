"""Figures of an order's lines by kind, stored on the order.

Order lines do not change once the order is made, so these sums are written once with the lines
(by the order service, the importer and the demo data) and read by the key-account analysis,
which then groups orders instead of every order line. ``order_figures`` computes them from lines
in memory (the order service); ``order_figures_refresh`` recomputes them in the database for any
set of orders in one UPDATE, on SQLite and PostgreSQL alike (imports, demo data, migrations).
"""

from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Round

from .choices import LineKind

MONEY = DecimalField(max_digits=16, decimal_places=2)
MONEY_FIGURES = (
    "price_discount",
    "free_extras",
    "free_extras_cost",
    "vehicle_profit",
    "addon_profit",
    "fi_income",
)
COUNTED_KINDS = {
    LineKind.FINANCING: "financing_lines",
    LineKind.INSURANCE: "insurance_lines",
    LineKind.SERVICE_PACKAGE: "package_lines",
    LineKind.UPFITTING: "upfitting_lines",
}
VEHICLE_OR_FREE = Q(kind=LineKind.VEHICLE) | Q(is_free=True)


def _money(expression):
    return ExpressionWrapper(expression, output_field=MONEY)


def _figures() -> dict:
    """Per figure: the value of one line and the lines it sums over."""
    price, discount, cost, quantity = F("unit_price"), F("unit_discount"), F("unit_cost"), F("quantity")
    margin = _money((price - discount - cost) * quantity)
    figures = {
        "price_discount": (_money(discount * quantity), Q(is_free=False)),
        "free_extras": (_money(price * quantity), Q(is_free=True)),
        "free_extras_cost": (_money(cost * quantity), Q(is_free=True)),
        "vehicle_profit": (margin, VEHICLE_OR_FREE),
        "addon_profit": (margin, ~VEHICLE_OR_FREE),
        "fi_income": (
            _money((price - discount - cost) * quantity + F("income")),
            Q(kind__in=[LineKind.FINANCING, LineKind.INSURANCE]),
        ),
        "vehicle_units": (quantity, Q(kind=LineKind.VEHICLE, is_free=False)),
    }
    figures.update({name: (Value(1), Q(kind=kind)) for kind, name in COUNTED_KINDS.items()})
    return figures


def order_figures(lines) -> dict:
    """The figures of ``lines`` (order or quote lines), as ``order_figures_refresh`` stores them."""
    zero = Decimal("0.00")
    out = dict.fromkeys(MONEY_FIGURES, zero)
    out.update(dict.fromkeys(("vehicle_units", *COUNTED_KINDS.values()), 0))
    for line in lines:
        if line.kind == LineKind.TRADE_IN:
            continue
        quantity = line.quantity or 0
        price, discount, cost = line.unit_price or zero, line.unit_discount or zero, line.unit_cost or zero
        margin = (price - discount - cost) * quantity
        if line.is_free:
            out["free_extras"] += price * quantity
            out["free_extras_cost"] += cost * quantity
        else:
            out["price_discount"] += discount * quantity
        if line.kind == LineKind.VEHICLE or line.is_free:
            out["vehicle_profit"] += margin
        else:
            out["addon_profit"] += margin
        if line.kind in (LineKind.FINANCING, LineKind.INSURANCE):
            out["fi_income"] += margin + (line.income or zero)
        if line.kind == LineKind.VEHICLE and not line.is_free:
            out["vehicle_units"] += quantity
        if line.kind in COUNTED_KINDS:
            out[COUNTED_KINDS[line.kind]] += 1
    return {name: out[name].quantize(zero) if name in MONEY_FIGURES else out[name] for name in out}


def order_figures_refresh(orders, line_model=None) -> int:
    """Recompute the line figures of ``orders`` (a queryset of orders) in one statement.

    ``line_model`` is the order line model (the historical one inside a migration).
    """
    if line_model is None:
        from .models import OrderLine as line_model
    values = {}
    for name, (value, condition) in _figures().items():
        output = MONEY if name in MONEY_FIGURES else IntegerField()
        rows = (
            line_model.objects.filter(condition, order_id=OuterRef("pk"))
            .exclude(kind=LineKind.TRADE_IN)
            .order_by()
            .values("order_id")
            .annotate(value=Sum(value, output_field=output))
            .values("value")
        )
        total = Coalesce(Subquery(rows, output_field=output), Value(0), output_field=output)
        values[name] = Round(total, 2, output_field=MONEY) if name in MONEY_FIGURES else total
    return orders.update(**values)
