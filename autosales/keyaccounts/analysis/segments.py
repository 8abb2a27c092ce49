"""Account types (intrinsic, extrinsic, strategic) from observable signals, and RFM segments."""

import numpy as np
from django.utils.translation import gettext as _

from ..choices import AccountType, Normalisation
from .base import LONG_AGREEMENT_DAYS, TYPES, Analysis, normalise, safe_divide


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
