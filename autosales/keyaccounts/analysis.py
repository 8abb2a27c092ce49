"""The key-account analysis over the per-customer fact arrays: value figures, rankings, pyramid,
scorecard, Pareto and whale curve, method comparison, pitfalls, account types and RFM.

Everything here is vectorised over customers (numpy); nothing loops over orders.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy.stats import rankdata

from .choices import (
    TIER_ORDER,
    AccountType,
    Grade,
    Indicator,
    Normalisation,
    Pitfall,
    RankMeasure,
    Tier,
    ValueGroup,
)
from .facts import ACTIVITY_KINDS, CustomerFacts

GRADES = (Grade.A, Grade.B, Grade.C, Grade.D)
TYPES = (AccountType.INTRINSIC, AccountType.EXTRINSIC, AccountType.STRATEGIC)
LONG_AGREEMENT_DAYS = 730
EPS = 1e-9


@dataclass
class Config:
    """A snapshot of the editable configuration the analysis uses."""

    vip_share: float = 0.01
    major_share: float = 0.04
    ordinary_share: float = 0.15
    tier_naming: str = "plain"
    normalisation: str = Normalisation.PERCENTILE
    grade_a: float = 0.75
    grade_b: float = 0.50
    grade_c: float = 0.25
    key_share: float = 0.05
    low_margin: float = 0.02
    big_ticket_share: float = 0.05
    decline_share: float = 0.30
    neglect_warning_share: float = 0.10
    concession_allowed: dict = field(
        default_factory=lambda: {Tier.VIP: 0.08, Tier.MAJOR: 0.06, Tier.ORDINARY: 0.04, Tier.SMALL: 0.03}
    )
    price_sensitive_discount: float = 0.05
    high_attach_rate: float = 0.50
    rates: dict = field(default_factory=dict)  # activity kind -> cost per activity (Decimal)
    # (indicator, group, weight) of the active scorecard indicators.
    indicators: list = field(default_factory=list)
    overrides: dict = field(default_factory=dict)  # customer id -> (account type, note)


def key_count(n: int, share: float) -> int:
    """How many of ``n`` customers a top ``share`` holds (at least one when the share is above zero)."""
    if n <= 0 or share <= 0:
        return 0
    return min(n, math.ceil(round(n * share, 9)))


def competition_rank(values: np.ndarray) -> np.ndarray:
    """1 for the largest value; equal values share the better rank ("1224")."""
    ordered = np.sort(-values)
    return np.searchsorted(ordered, -values, side="left") + 1


def normalise(values: np.ndarray, method: str) -> np.ndarray:
    """Scale to 0..1: percentile rank (ties averaged) or min–max. All-equal values score 0.5."""
    n = len(values)
    if n == 0:
        return values.astype(float)
    low, high = float(np.min(values)), float(np.max(values))
    if high - low < EPS:
        return np.full(n, 0.5)
    if method == Normalisation.MINMAX:
        return (values - low) / (high - low)
    return (rankdata(values, method="average") - 1) / (n - 1)


def safe_divide(numerator, denominator, default=0.0):
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, float(default))
    np.divide(numerator, denominator, out=out, where=np.abs(denominator) > EPS)
    return out


def money(value) -> Decimal:
    """A float that holds a cent amount, back to an exact Decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Decimal("0.00")
    return Decimal(repr(round(float(value), 2))).quantize(Decimal("0.01")) + Decimal("0.00")


def share(value) -> Decimal:
    return Decimal(repr(round(float(value), 4))).quantize(Decimal("0.0001"))


@dataclass
class Analysis:
    facts: CustomerFacts
    config: Config
    v: dict = field(default_factory=dict)  # derived per-customer arrays
    summary: dict = field(default_factory=dict)
    pyramid: list = field(default_factory=list)
    pareto: dict = field(default_factory=dict)
    scorecard: dict = field(default_factory=dict)
    comparison: dict = field(default_factory=dict)
    pitfalls: list = field(default_factory=list)
    types: dict = field(default_factory=dict)
    rfm: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.facts)


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


def _pareto(a: Analysis):
    v, n = a.v, a.n
    net = v["net_profit"]
    order = np.lexsort((a.facts.ids, -net))
    cumulative = np.cumsum(net[order])
    total = float(cumulative[-1]) if n else 0.0
    positive = net[net > 0]
    losers = net < 0
    result = {
        "customers": n,
        "total_net_profit": money(total),
        "loss_making_customers": int(losers.sum()),
        "loss_amount": money(-math.fsum(net[losers])),
        "top20_customers": key_count(n, 0.2),
        "top20_share": None,
        "customers_for_80": None,
        "customers_for_80_share": None,
        "peak_share": None,
        "peak_customers": None,
        "largest_share": None,
        "herfindahl": None,
        "curve": [],
    }
    if n and total > EPS:
        shares = cumulative / total
        k20 = result["top20_customers"]
        result["top20_share"] = share(shares[k20 - 1])
        reach = np.nonzero(shares >= 0.8 - EPS)[0]
        if len(reach):
            result["customers_for_80"] = int(reach[0]) + 1
            result["customers_for_80_share"] = share((reach[0] + 1) / n)
        peak = int(np.argmax(shares))
        result["peak_share"] = share(shares[peak])
        result["peak_customers"] = peak + 1
        result["largest_share"] = share(net[order[0]] / total)
        points = np.unique(np.linspace(0, n, num=min(n, 200) + 1).round().astype(int))
        result["curve"] = [
            {
                "customers": int(k),
                "customer_share": share(k / n),
                "profit_share": share(shares[k - 1] if k else 0),
            }
            for k in points
        ]
    if len(positive):
        s = positive / positive.sum()
        result["herfindahl"] = share(float(np.sum(s * s)))
    a.pareto = result
    v["pareto_order"] = order


METHODS = ("revenue", "vehicles", "pyramid", "scorecard")


def method_flags(a: Analysis) -> dict:
    v = a.v
    return {
        "revenue": v["key_revenue"],
        "vehicles": v["key_vehicles"],
        "pyramid": v["key_pyramid"],
        "scorecard": v["key_scorecard"],
    }


def _comparison(a: Analysis):
    flags = method_flags(a)
    stacked = np.column_stack([flags[m] for m in METHODS]) if a.n else np.zeros((0, len(METHODS)), bool)
    any_key = stacked.any(axis=1)
    all_key = stacked.all(axis=1)
    disputed = any_key & ~all_key
    a.v["key_any"] = any_key
    a.v["disputed"] = disputed
    a.v["key_account"] = a.v["key_pyramid"] | a.v["key_scorecard"]
    a.comparison = {
        "methods": list(METHODS),
        "key_by_method": {m: int(flags[m].sum()) for m in METHODS},
        "key_by_all": int(all_key.sum()),
        "key_by_some_not_all": int(disputed.sum()),
        "overlap": [[int((flags[m1] & flags[m2]).sum()) for m2 in METHODS] for m1 in METHODS],
    }


def _account_types(a: Analysis):
    v, c, cfg = a.v, a.facts.cols, a.config
    signals = {
        AccountType.INTRINSIC: [
            ("price_discount", 2, v["discount_ratio"] >= cfg.price_sensitive_discount),
            ("lost_on_price", 1, c["lost_on_price"] > 0),
            ("low_attach", 1, (v["attach_rate"] < 0.25) & (v["orders"] > 0)),
            ("no_consultation", 1, c["act_consultation"] == 0),
        ],
        AccountType.EXTRINSIC: [
            ("high_attach", 2, v["attach_rate"] >= cfg.high_attach_rate),
            ("consultations", 1, c["act_consultation"] >= 2),
            ("maintenance", 1, c["maintenance_visits"] >= 2),
            ("upfitting", 1, c["lines_upfitting"] > 0),
        ],
        AccountType.STRATEGIC: [
            ("fleet_agreement", 2, c["agreements_active"] > 0),
            ("long_contract", 1, c["agreement_days"] >= LONG_AGREEMENT_DAYS),
            ("executive_contacts", 1, c["executives"] > 0),
            ("product_lines", 1, c["product_lines"] >= 2),
        ],
    }
    points = (
        np.column_stack(
            [sum(weight * flag.astype(float) for _name, weight, flag in signals[t]) for t in TYPES]
        )
        if a.n
        else np.zeros((0, 3))
    )
    # Ties go to the type that asks more of the relationship (strategic, then extrinsic).
    best = 2 - np.argmax(points[:, ::-1], axis=1) if a.n else np.zeros(0, dtype=int)
    best_points = points.max(axis=1) if a.n else np.zeros(0)
    total = points.sum(axis=1) if a.n else np.zeros(0)
    confidence = safe_divide(best_points, total) * np.minimum(1.0, best_points / 3)
    suggested = np.array([TYPES[i] for i in best], dtype=object)
    final = suggested.copy()
    overridden = np.zeros(a.n, dtype=bool)
    for customer_id, (account_type, _note) in cfg.overrides.items():
        pos = a.facts.position(customer_id)
        if pos is not None:
            final[pos] = account_type
            overridden[pos] = True
    v["type_points"] = points
    v["type_suggested"] = suggested
    v["type_confidence"] = confidence
    v["account_type"] = final
    v["type_overridden"] = overridden
    v["type_signals"] = signals
    key = v["key_account"]
    a.types = {
        "key_accounts": int(key.sum()),
        "mix": [{"account_type": t, "customers": int(((final == t) & key).sum())} for t in TYPES],
        "overridden": int((overridden & key).sum()),
    }


def type_reasons(a: Analysis, i: int) -> list[str]:
    """The observable signals behind the suggested type of customer ``i``."""
    v, c = a.v, a.facts.cols
    texts = {
        "price_discount": _("discounts at %(r)s of list price") % {"r": f"{v['discount_ratio'][i]:.1%}"},
        "lost_on_price": _("%(n)d deal(s) lost on price") % {"n": c["lost_on_price"][i]},
        "low_attach": _("takes few services with the vehicle (attach rate %(r)s)")
        % {"r": f"{v['attach_rate'][i]:.0%}"},
        "no_consultation": _("never asked for a consultation"),
        "high_attach": _("buys financing, insurance, maintenance or upfitting (attach rate %(r)s)")
        % {"r": f"{v['attach_rate'][i]:.0%}"},
        "consultations": _("%(n)d consultations") % {"n": c["act_consultation"][i]},
        "maintenance": _("%(n)d maintenance visits") % {"n": c["maintenance_visits"][i]},
        "upfitting": _("ordered upfitting"),
        "fleet_agreement": _("active fleet agreement"),
        "long_contract": _("agreement of %(m)d months") % {"m": c["agreement_days"][i] // 30},
        "executive_contacts": _("%(n)d executive-level contact(s)") % {"n": c["executives"][i]},
        "product_lines": _("buys %(n)d different trims") % {"n": c["product_lines"][i]},
    }
    reasons = []
    for t in TYPES:
        for name, _weight, flag in v["type_signals"][t]:
            if flag[i]:
                reasons.append({"account_type": t, "signal": name, "text": texts[name]})
    return reasons


def _rfm(a: Analysis):
    v, n = a.v, a.n

    def quintile(values):
        if n == 0:
            return np.zeros(0, dtype=np.int8)
        return np.minimum(5, 1 + np.floor(normalise(values, Normalisation.PERCENTILE) * 5)).astype(np.int8)

    recency = quintile(-np.nan_to_num(v["recency_days"], nan=1e9))
    frequency = quintile(v["transactions"])
    monetary = quintile(v["revenue"])
    segment = np.full(n, "potential", dtype=object)
    segment[(recency <= 2) & (frequency <= 2)] = "hibernating"
    segment[(recency <= 2) & (frequency >= 3)] = "at_risk"
    segment[(recency >= 4) & (v["transactions"] <= 1)] = "new"
    segment[(frequency >= 4) & (recency >= 3)] = "loyal"
    segment[(recency >= 4) & (frequency >= 4) & (monetary >= 4)] = "champions"
    v["rfm_r"], v["rfm_f"], v["rfm_m"], v["rfm_segment"] = recency, frequency, monetary, segment
    a.rfm = {"segments": [{"segment": s, "customers": int((segment == s).sum())} for s in RFM_SEGMENTS]}


RFM_SEGMENTS = ("champions", "loyal", "potential", "new", "at_risk", "hibernating")


def rfm_segment_label(code: str) -> str:
    return {
        "champions": _("Champions"),
        "loyal": _("Loyal"),
        "potential": _("Potential"),
        "new": _("New"),
        "at_risk": _("At risk"),
        "hibernating": _("Hibernating"),
    }.get(code, code)


def _pitfalls(a: Analysis):
    v, c, cfg, n = a.v, a.facts.cols, a.config, a.n
    total_profit = float(np.sum(v["net_profit"]))
    results = []

    # 1. Single-indicator risk: key by revenue or volume alone, not by profit or the scorecard.
    single = (v["key_revenue"] | v["key_vehicles"]) & ~(v["key_pyramid"] | v["key_scorecard"])
    results.append(
        {
            "code": Pitfall.SINGLE_INDICATOR,
            "fires": bool(single.any()),
            "customers": np.nonzero(single)[0],
            "figures": {
                "count": int(single.sum()),
                "key_by_some_not_all": a.comparison["key_by_some_not_all"],
            },
        }
    )

    # 2. Dropping the small: small and ordinary customers neglected or fading.
    small = v["tier"] >= 2
    d = cfg.decline_share
    falling_purchases = (v["tx_previous"] > 0) & (v["tx_recent"] <= v["tx_previous"] * (1 - d) + EPS)
    falling_contacts = (c["contacts_previous"] > 0) & (
        c["contacts_recent"] <= c["contacts_previous"] * (1 - d) + EPS
    )
    overdue = (c["overdue_follow_ups"] > 0) | (c["overdue_leads"] > 0)
    neglected = small & (overdue | falling_purchases | falling_contacts)
    lapsed = small & (v["tx_previous"] > 0) & (v["tx_recent"] == 0)
    small_count = int(small.sum())
    neglected_share = neglected.sum() / small_count if small_count else 0.0
    gp_recent_total = float(np.sum(v["gp_recent"]))
    gp_previous_total = float(np.sum(v["gp_previous"]))
    small_share_recent = (
        float(np.sum(v["gp_recent"][small])) / gp_recent_total if gp_recent_total > EPS else None
    )
    small_share_previous = (
        float(np.sum(v["gp_previous"][small])) / gp_previous_total if gp_previous_total > EPS else None
    )
    results.append(
        {
            "code": Pitfall.DROPPING_SMALL,
            "fires": bool(
                small_count and neglected.any() and neglected_share >= cfg.neglect_warning_share - EPS
            ),
            "customers": np.nonzero(neglected)[0],
            "figures": {
                "count": int(neglected.sum()),
                "small_customers": small_count,
                "neglected": int(neglected.sum()),
                "neglected_share": share(neglected_share),
                "overdue_follow_up": int((small & overdue).sum()),
                "falling_purchases": int((small & falling_purchases).sum()),
                "falling_contacts": int((small & falling_contacts).sum()),
                "lapsed": int(lapsed.sum()),
                "profit_share_small": share(math.fsum(v["net_profit"][small]) / total_profit)
                if abs(total_profit) > EPS
                else None,
                "gross_profit_share_recent": None
                if small_share_recent is None
                else share(small_share_recent),
                "gross_profit_share_previous": None
                if small_share_previous is None
                else share(small_share_previous),
            },
        }
    )
    v["neglected"] = neglected

    # 3. Big ticket is not a big customer.
    buyers = v["orders"] > 0
    big = np.zeros(n, dtype=bool)
    threshold = None
    if buyers.any():
        largest = np.sort(c["max_order"][buyers])[::-1]
        k = key_count(int(buyers.sum()), cfg.big_ticket_share)
        threshold = float(largest[k - 1])
        big = buyers & (c["max_order"] >= threshold - EPS) & (v["grade"] >= 2) & ~v["key_pyramid"]
    results.append(
        {
            "code": Pitfall.BIG_TICKET,
            "fires": bool(big.any()),
            "customers": np.nonzero(big)[0],
            "figures": {
                "count": int(big.sum()),
                "big_order_from": money(threshold) if threshold is not None else None,
            },
        }
    )
    v["big_ticket"] = big

    # 4. Volume without profit.
    volume = v["key_revenue"] & (v["margin"] < cfg.low_margin - EPS)
    results.append(
        {
            "code": Pitfall.VOLUME_WITHOUT_PROFIT,
            "fires": bool(volume.any()),
            "customers": np.nonzero(volume)[0],
            "figures": {
                "count": int(volume.sum()),
                "low_margin": share(cfg.low_margin),
                "net_profit": money(math.fsum(v["net_profit"][volume])),
                "revenue": money(math.fsum(v["revenue"][volume])),
            },
        }
    )
    v["volume_without_profit"] = volume

    # 5. Too many concessions for the value of the account.
    allowed = np.array([cfg.concession_allowed[t] for t in TIER_ORDER])[v["tier"]] if n else np.zeros(0)
    v["concession_allowed"] = allowed
    list_value = c["list_value"]
    excess = np.where(
        v["concession_ratio"] > allowed + EPS, (v["concession_ratio"] - allowed) * list_value, 0.0
    )
    v["concession_excess"] = np.round(excess, 2)
    over = excess > 0.005
    results.append(
        {
            "code": Pitfall.CONCESSIONS,
            "fires": bool(over.any()),
            "customers": np.nonzero(over)[0],
            "figures": {"count": int(over.sum()), "excess": money(math.fsum(excess[over]))},
        }
    )
    v["over_conceded"] = over
    for pitfall in results:
        mask = np.zeros(n, dtype=bool)
        mask[pitfall["customers"]] = True
        v[f"pitfall_{pitfall['code']}"] = mask
    a.pitfalls = results


def pitfall_message(code: str, figures: dict, config: Config) -> str:
    """The pitfall's finding in the user's language (built when shown, not when computed)."""
    count = figures.get("count", 0)
    if code == Pitfall.SINGLE_INDICATOR:
        return ngettext(
            "%(n)d customer looks key by revenue or vehicles but not by net profit or the scorecard.",
            "%(n)d customers look key by revenue or vehicles but not by net profit or the scorecard.",
            count,
        ) % {"n": count}
    if code == Pitfall.DROPPING_SMALL:
        return _(
            "%(n)d of %(m)d small and ordinary customers are neglected: overdue follow-ups or falling "
            "purchases or visits; %(l)d bought nothing in the last 12 months."
        ) % {"n": figures["neglected"], "m": figures["small_customers"], "l": figures["lapsed"]}
    if code == Pitfall.BIG_TICKET:
        return ngettext(
            "%(n)d customer placed one of the largest orders but has low overall value (grade C or D).",
            "%(n)d customers placed some of the largest orders but have low overall value (grade C or D).",
            count,
        ) % {"n": count}
    if code == Pitfall.VOLUME_WITHOUT_PROFIT:
        return ngettext(
            "%(n)d top customer by revenue earns a net margin below %(m)s.",
            "%(n)d top customers by revenue earn a net margin below %(m)s.",
            count,
        ) % {"n": count, "m": f"{figures['low_margin']:.1%}"}
    if code == Pitfall.CONCESSIONS:
        return ngettext(
            "%(n)d customer received discounts and free extras beyond what its tier justifies, %(x)s in excess.",
            "%(n)d customers received discounts and free extras beyond what their tier justifies, %(x)s in excess.",
            count,
        ) % {"n": count, "x": f"¥{figures['excess']:,.2f}"}
    return ""


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


def comparison_reason(a: Analysis, i: int) -> str:
    """Why methods disagree on customer ``i``, in one sentence per method that does not call it key."""
    v, n = a.v, a.n
    flags = method_flags(a)
    key_by = [m for m in METHODS if flags[m][i]]
    not_by = [m for m in METHODS if not flags[m][i]]
    parts = []
    labels = method_labels()
    if key_by:
        parts.append(_("Key by %(methods)s.") % {"methods": ", ".join(str(labels[m]) for m in key_by)})
    for m in not_by:
        if m == "revenue":
            parts.append(_("Revenue rank %(r)d of %(n)d.") % {"r": v["rank_revenue"][i], "n": n})
        elif m == "vehicles":
            parts.append(_("Vehicles rank %(r)d of %(n)d.") % {"r": v["rank_vehicles"][i], "n": n})
        elif m == "pyramid":
            parts.append(
                _("Net profit rank %(r)d of %(n)d (net margin %(m)s), tier %(t)s.")
                % {
                    "r": v["rank_net_profit"][i],
                    "n": n,
                    "m": f"{v['margin'][i]:.1%}",
                    "t": Tier(TIER_ORDER[int(v["tier"][i])]).label,
                }
            )
        elif m == "scorecard":
            weakest = weakest_indicators(a, i)
            parts.append(
                _("Scorecard grade %(g)s; weakest: %(w)s.")
                % {"g": GRADES[int(v["grade"][i])], "w": ", ".join(weakest) or "-"}
            )
    return " ".join(parts)


def weakest_indicators(a: Analysis, i: int, count: int = 2) -> list[str]:
    scores = a.v["indicator_scores"]
    ranked = sorted(
        (
            (s[i], code)
            for code, s in scores.items()
            if any(c == code and w > 0 for c, _g, w in a.config.indicators)
        ),
        key=lambda pair: pair[0],
    )
    return [str(Indicator(code).label) for _s, code in ranked[:count]]


def method_labels() -> dict:
    return {
        "revenue": _("revenue"),
        "vehicles": _("vehicles bought"),
        "pyramid": _("the pyramid"),
        "scorecard": _("the scorecard"),
    }
