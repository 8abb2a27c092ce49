"""The analysis run end to end, its headline summary, and the per-customer rows it exports."""

import math
from decimal import Decimal

import numpy as np

from ..choices import TIER_ORDER
from ..facts import CustomerFacts
from .base import GRADES, Analysis, Config, money, share
from .comparison import METHODS, _comparison, _pareto, method_flags
from .pitfalls import _pitfalls
from .segments import _account_types, _rfm
from .value import _rankings_and_pyramid, _scorecard, _value_figures


def analyse(facts: CustomerFacts, config: Config) -> Analysis:
    result = Analysis(facts=facts, config=config)
    _value_figures(result)
    _rankings_and_pyramid(result)
    _scorecard(result)
    _pareto(result)
    _comparison(result)
    _account_types(result)
    _rfm(result)
    _pitfalls(result)
    _summary(result)
    return result


def _summary(a: Analysis):
    v, totals = a.v, a.facts.totals
    n = a.n
    a.summary = {
        "period_start": a.facts.period.start,
        "period_end": a.facts.period.end,
        "months": a.facts.period.months,
        "store_id": a.facts.period.store_id,
        "customers": n,
        "revenue": totals.get("revenue", Decimal("0.00")) + totals.get("service_revenue", Decimal("0.00")),
        "vehicle_gross_profit": totals.get("vehicle_gp", Decimal("0.00")),
        "addon_income": money(math.fsum(v["addon_income"])),
        "aftersales_revenue": totals.get("service_revenue", Decimal("0.00")),
        "aftersales_gross_profit": totals.get("service_gp", Decimal("0.00")),
        "cost_to_serve": money(math.fsum(v["cost_to_serve"])),
        "gross_profit": money(math.fsum(v["gross_profit"])),
        "net_profit": money(math.fsum(v["net_profit"])),
        "vehicles": int(np.sum(v["vehicles"])),
        "orders": int(np.sum(v["orders"])),
        "key_accounts": int(v["key_account"].sum()) if n else 0,
        "pitfalls_firing": [p["code"] for p in a.pitfalls if p["fires"]],
    }


# Per-customer figures exported in rows, by name: (array key, kind).
ROW_FIELDS = (
    ("revenue", "money"),
    ("sales_revenue", "money"),
    ("vehicle_gp", "money"),
    ("addon_income", "money"),
    ("service_revenue", "money"),
    ("service_gp", "money"),
    ("gross_profit", "money"),
    ("cost_to_serve", "money"),
    ("net_profit", "money"),
    ("margin", "share"),
    ("vehicles", "int"),
    ("orders", "int"),
    ("transactions", "int"),
    ("first_purchase", "date"),
    ("last_purchase", "date"),
    ("recency_days", "int"),
    ("growth", "share"),
    ("days_late", "days"),
    ("complaints", "int"),
    ("attach_rate", "share"),
    ("discount_ratio", "share"),
    ("concessions", "money"),
    ("concession_ratio", "share"),
    ("concession_allowed", "share"),
    ("pipeline", "money"),
    ("score_current", "share"),
    ("score_potential", "share"),
    ("score", "share"),
    ("rank_revenue", "int"),
    ("rank_gross_profit", "int"),
    ("rank_net_profit", "int"),
    ("rank_vehicles", "int"),
)


def _convert(value, kind):
    import datetime

    if kind == "money":
        return money(value)
    if kind == "share":
        return share(value)
    if kind == "int":
        return None if isinstance(value, float) and math.isnan(value) else int(value)
    if kind == "days":
        return Decimal(repr(round(float(value), 1)))
    if kind == "date":
        return None if math.isnan(value) else datetime.date.fromordinal(int(value))
    return value


def customer_row(a: Analysis, i: int) -> dict:
    """All figures of customer ``i`` as plain values (Decimal money, dates)."""
    v, f = a.v, a.facts
    row = {
        "customer_id": int(f.ids[i]),
        "name": f.names[i],
        "kind": f.kinds[i],
        "store_id": f.store_ids[i],
        "owner_id": f.owner_ids[i],
    }
    for name, kind in ROW_FIELDS:
        row[name] = _convert(v[name][i], kind)
    row.update(
        {
            "tier": TIER_ORDER[int(v["tier"][i])],
            "grade": GRADES[int(v["grade"][i])],
            "key_account": bool(v["key_account"][i]),
            "key_by": [m for m in METHODS if method_flags(a)[m][i]],
            "account_type": v["account_type"][i],
            "account_type_suggested": v["type_suggested"][i],
            "account_type_confidence": share(v["type_confidence"][i]),
            "account_type_overridden": bool(v["type_overridden"][i]),
            "rfm": f"{v['rfm_r'][i]}{v['rfm_f'][i]}{v['rfm_m'][i]}",
            "rfm_segment": v["rfm_segment"][i],
            "pitfalls": [p["code"] for p in a.pitfalls if v[f"pitfall_{p['code']}"][i]],
        }
    )
    return row
