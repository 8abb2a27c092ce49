"""The five pitfalls of key-account selection, detected per customer, and their messages."""

import math

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..choices import TIER_ORDER, Pitfall
from .base import EPS, Analysis, Config, key_count, money, share


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
