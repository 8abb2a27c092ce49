"""Profit concentration (Pareto and whale curve) and how the methods of naming key accounts compare."""

import math

import numpy as np
from django.utils.translation import gettext as _

from ..choices import TIER_ORDER, Indicator, Tier
from .base import EPS, GRADES, Analysis, key_count, money, share


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
