"""Value figures per customer, the rankings and tier pyramid, and the weighted scorecard."""

import math
from decimal import Decimal

import numpy as np

from ..choices import TIER_ORDER, Indicator, RankMeasure, ValueGroup
from ..facts import ACTIVITY_KINDS
from .base import (
    EPS,
    GRADES,
    LONG_AGREEMENT_DAYS,
    Analysis,
    competition_rank,
    key_count,
    money,
    normalise,
    safe_divide,
    share,
)


def _value_figures(a: Analysis):
    c, v, n = a.facts.cols, a.v, a.n
    end = float(a.facts.period.end.toordinal())
    cost_to_serve = np.zeros(n)
    for kind in ACTIVITY_KINDS:
        rate = float(a.config.rates.get(kind, 0) or 0)
        cost_to_serve += c[f"act_{kind}"] * rate
    v["cost_to_serve"] = np.round(cost_to_serve, 2)
    v["vehicle_gp"] = np.round(c["vehicle_gp"], 2)
    v["addon_income"] = np.round(c["addon_margin"] + c["third_party_income"], 2)
    v["sales_gp"] = np.round(v["vehicle_gp"] + v["addon_income"], 2)
    v["service_revenue"] = np.round(c["service_revenue"], 2)
    v["service_gp"] = np.round(c["service_gp"], 2)
    v["gross_profit"] = np.round(v["sales_gp"] + v["service_gp"], 2)
    v["net_profit"] = np.round(v["gross_profit"] - v["cost_to_serve"], 2)
    v["sales_revenue"] = np.round(c["revenue"], 2)
    v["revenue"] = np.round(c["revenue"] + c["service_revenue"], 2)
    v["margin"] = np.where(
        v["revenue"] > EPS,
        safe_divide(v["net_profit"], v["revenue"]),
        np.where(v["net_profit"] < 0, -1.0, 0.0),
    )
    v["vehicles"] = c["vehicles"]
    v["orders"] = c["orders"]
    v["transactions"] = c["orders"] + c["service_visits"]
    v["first_purchase"] = np.fmin(c["first_order"], c["first_service"])
    v["last_purchase"] = np.fmax(c["last_order"], c["last_service"])
    v["recency_days"] = end - v["last_purchase"]
    v["tenure_days"] = end - v["first_purchase"]
    recent = c["revenue_recent"] + c["service_revenue_recent"]
    previous = c["revenue_previous"] + c["service_revenue_previous"]
    v["revenue_recent"], v["revenue_previous"] = recent, previous
    v["growth"] = np.where(
        previous > EPS, safe_divide(recent - previous, previous), np.where(recent > EPS, 1.0, 0.0)
    )
    v["gp_recent"] = c["sales_gp_recent"] + c["service_gp_recent"]
    v["gp_previous"] = c["sales_gp_previous"] + c["service_gp_previous"]
    v["tx_recent"] = c["orders_recent"] + c["service_recent"]
    v["tx_previous"] = c["orders_previous"] + c["service_previous"]
    v["days_late"] = safe_divide(c["days_late_total"], c["payments_due"])
    v["complaints"] = c["complaints"]
    v["discounts"] = np.round(c["discounts"], 2)
    v["free_extras"] = np.round(c["free_extras"], 2)
    v["concessions"] = np.round(c["discounts"] + c["free_extras"], 2)
    v["discount_ratio"] = safe_divide(c["discounts"], c["list_value"])
    v["concession_ratio"] = safe_divide(v["concessions"], c["list_value"])
    orders = c["orders"]
    for kind in ("financing", "insurance", "package", "upfitting"):
        v[f"attach_{kind}"] = np.minimum(1.0, safe_divide(c[f"lines_{kind}"], orders))
    v["attach_rate"] = (
        v["attach_financing"] + v["attach_insurance"] + v["attach_package"] + v["attach_upfitting"]
    ) / 4
    v["pipeline"] = np.round(c["pipeline"], 2)
    v["fleet_size"] = a.facts.fleet_size
    v["strategic_fit"] = (
        (c["agreements_active"] > 0).astype(float)
        + (c["agreement_days"] >= LONG_AGREEMENT_DAYS)
        + (c["executives"] > 0)
        + (c["product_lines"] >= 2)
    ) / 4


RANK_SOURCE = {
    RankMeasure.REVENUE: "revenue",
    RankMeasure.GROSS_PROFIT: "gross_profit",
    RankMeasure.NET_PROFIT: "net_profit",
    RankMeasure.VEHICLES: "vehicles",
}


def _rankings_and_pyramid(a: Analysis):
    v, n, cfg = a.v, a.n, a.config
    for measure, source in RANK_SOURCE.items():
        v[f"rank_{measure}"] = competition_rank(v[source])
    key_n = key_count(n, cfg.key_share)
    for measure in RANK_SOURCE:
        v[f"key_{measure}"] = v[f"rank_{measure}"] <= key_n
    vip_n = key_count(n, cfg.vip_share)
    major_n = key_count(n, cfg.vip_share + cfg.major_share)
    ordinary_n = key_count(n, cfg.vip_share + cfg.major_share + cfg.ordinary_share)
    rank = v["rank_net_profit"]
    tier = np.full(n, 3, dtype=np.int8)
    tier[rank <= ordinary_n] = 2
    tier[rank <= major_n] = 1
    tier[rank <= vip_n] = 0
    v["tier"] = tier
    v["key_pyramid"] = tier <= 1
    total_profit = float(np.sum(v["net_profit"]))
    total_revenue = float(np.sum(v["revenue"]))
    a.pyramid = []
    for index, code in enumerate(TIER_ORDER):
        mask = tier == index
        count = int(mask.sum())
        profit = math.fsum(v["net_profit"][mask])
        revenue = math.fsum(v["revenue"][mask])
        a.pyramid.append(
            {
                "tier": code,
                "customers": count,
                "customer_share": share(count / n) if n else Decimal("0"),
                "net_profit": money(profit),
                "profit_share": share(profit / total_profit) if abs(total_profit) > EPS else None,
                "revenue": money(revenue),
                "revenue_share": share(revenue / total_revenue) if abs(total_revenue) > EPS else None,
                "min_net_profit": money(float(np.min(v["net_profit"][mask]))) if count else None,
            }
        )


INDICATOR_SOURCE = {
    Indicator.REVENUE: "revenue",
    Indicator.GROSS_PROFIT: "gross_profit",
    Indicator.NET_PROFIT: "net_profit",
    Indicator.MARGIN: "margin",
    Indicator.AFTERSALES: "service_revenue",
    Indicator.TENURE: "tenure_days",
    Indicator.FREQUENCY: "transactions",
    Indicator.GROWTH: "growth",
    Indicator.FLEET: "fleet_size",
    Indicator.PIPELINE: "pipeline",
    Indicator.STRATEGIC_FIT: "strategic_fit",
    Indicator.ATTACH: "attach_rate",
}


def indicator_values(a: Analysis, code: str) -> np.ndarray:
    if code == Indicator.PAYMENT:
        return -a.v["days_late"]  # fewer days late is better
    values = a.v[INDICATOR_SOURCE[code]]
    return np.nan_to_num(values, nan=0.0)


def _scorecard(a: Analysis):
    v, n, cfg = a.v, a.n, a.config
    current = np.zeros(n)
    potential = np.zeros(n)
    combined = np.zeros(n)
    weight_current = sum(w for _c, g, w in cfg.indicators if g == ValueGroup.CURRENT)
    weight_potential = sum(w for _c, g, w in cfg.indicators if g == ValueGroup.POTENTIAL)
    scores = {}
    for code, group, weight in cfg.indicators:
        s = normalise(indicator_values(a, code), cfg.normalisation)
        scores[code] = s
        combined += weight * s
        if group == ValueGroup.CURRENT:
            current += weight * s
        else:
            potential += weight * s
    v["score_current"] = current / weight_current if weight_current > EPS else current
    v["score_potential"] = potential / weight_potential if weight_potential > EPS else potential
    v["score"] = combined
    v["indicator_scores"] = scores
    grade = np.full(n, 3, dtype=np.int8)
    rounded = np.round(combined, 6)
    grade[rounded >= cfg.grade_c - EPS] = 2
    grade[rounded >= cfg.grade_b - EPS] = 1
    grade[rounded >= cfg.grade_a - EPS] = 0
    v["grade"] = grade
    v["key_scorecard"] = grade == 0
    histogram, edges = (
        np.histogram(combined, bins=10, range=(0.0, 1.0)) if n else (np.zeros(10), np.linspace(0, 1, 11))
    )
    high_current = v["score_current"] >= 0.5
    high_potential = v["score_potential"] >= 0.5
    a.scorecard = {
        "indicators": [
            {"indicator": code, "group": group, "weight": share(weight)}
            for code, group, weight in cfg.indicators
        ],
        "normalisation": cfg.normalisation,
        "grades": [{"grade": g, "customers": int((grade == i).sum())} for i, g in enumerate(GRADES)],
        "distribution": [
            {"from": share(edges[i]), "to": share(edges[i + 1]), "customers": int(histogram[i])}
            for i in range(10)
        ],
        "quadrants": {
            "high_current_high_potential": int((high_current & high_potential).sum()),
            "high_current_low_potential": int((high_current & ~high_potential).sum()),
            "low_current_high_potential": int((~high_current & high_potential).sum()),
            "low_current_low_potential": int((~high_current & ~high_potential).sum()),
        },
    }
