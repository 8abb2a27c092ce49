"""Reads of the key-account domain: the analysis, per-customer value, drill-downs, account plans.

``customer_value_summary`` and ``customer_segment`` are the entry points other domains use (quote
approval shows concessions against what the account's value justifies; margin floors by tier/type).
"""

import datetime
import time
from decimal import Decimal

import numpy as np
from django.core.cache import cache
from django.db.models import Count, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from autosales.core.config_cache import config_cached
from autosales.core.money import ratio, to_money
from autosales.sales.choices import SOLD_ORDER_STATUSES, LineKind
from autosales.sales.models import Activity, OrderLine, Payment

from . import clv
from .analysis import (
    GRADES,
    METHODS,
    Analysis,
    Config,
    analyse,
    comparison_reason,
    customer_row,
    method_flags,
    money,
    pitfall_message,
    share,
    type_reasons,
)
from .choices import TIER_ORDER, Tier
from .facts import MONEY, DaysLate, Period, customer_facts, service_orders, sold_orders
from .models import (
    AccountPlan,
    AccountTypeOverride,
    AnalysisSettings,
    CostToServeRate,
    PlanAction,
    ScorecardIndicator,
)

CACHE_SECONDS = 600
_VERSION_KEY = "keyaccounts:version"


def config_load() -> Config:
    """The editable configuration as one snapshot (four queries)."""
    s = AnalysisSettings.current()
    return Config(
        vip_share=float(s.vip_share),
        major_share=float(s.major_share),
        ordinary_share=float(s.ordinary_share),
        tier_naming=s.tier_naming,
        normalisation=s.normalisation,
        grade_a=float(s.grade_a),
        grade_b=float(s.grade_b),
        grade_c=float(s.grade_c),
        key_share=float(s.key_share),
        low_margin=float(s.low_margin),
        big_ticket_share=float(s.big_ticket_share),
        decline_share=float(s.decline_share),
        neglect_warning_share=float(s.neglect_warning_share),
        concession_allowed={
            Tier.VIP: float(s.concession_vip),
            Tier.MAJOR: float(s.concession_major),
            Tier.ORDINARY: float(s.concession_ordinary),
            Tier.SMALL: float(s.concession_small),
        },
        price_sensitive_discount=float(s.price_sensitive_discount),
        high_attach_rate=float(s.high_attach_rate),
        rates=dict(CostToServeRate.objects.values_list("activity_kind", "rate")),
        indicators=[
            (code, group, float(weight))
            for code, group, weight in ScorecardIndicator.objects.filter(is_active=True, weight__gt=0)
            .order_by("group", "indicator")
            .values_list("indicator", "group", "weight")
        ],
        overrides={
            cid: (t, note)
            for cid, t, note in AccountTypeOverride.objects.values_list("customer_id", "account_type", "note")
        },
    )


@config_cached(AnalysisSettings)
def default_months() -> int:
    return AnalysisSettings.current().default_months


def analysis_run(*, months: int | None = None, store=None, end: datetime.date | None = None) -> Analysis:
    """The whole analysis for a period and a store (None: the group), straight from the database."""
    config = config_load()
    period = Period.build(months=months or default_months(), store=store, end=end)
    return analyse(customer_facts(period), config)


def analysis_cache_clear():
    """Configuration or account types changed: cached analyses are stale."""
    _LOCAL.clear()
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


_LOCAL: dict = {}
_LOCAL_MAX = 4


def analysis_cached(*, months: int | None = None, store=None, end: datetime.date | None = None) -> Analysis:
    """The analysis, reused for a few minutes: pages, API calls and quote checks ask for it often.

    Kept in process memory (it holds numpy arrays of every customer, too big for a shared cache);
    the version number in the shared cache makes every process drop it when configuration changes.
    """
    store_id = getattr(store, "pk", store)
    months = months or default_months()
    end = end or timezone.localdate()
    version = cache.get(_VERSION_KEY, 0)
    key = (version, store_id, months, end)
    now = time.monotonic()
    hit = _LOCAL.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    result = analysis_run(months=months, store=store_id, end=end)
    for stale in [k for k, (expires, _a) in _LOCAL.items() if expires <= now or k[0] != version]:
        _LOCAL.pop(stale, None)
    while len(_LOCAL) >= _LOCAL_MAX:
        _LOCAL.pop(next(iter(_LOCAL)))
    _LOCAL[key] = (now + CACHE_SECONDS, result)
    return result


SORTABLE = (
    "net_profit",
    "revenue",
    "gross_profit",
    "vehicles",
    "score",
    "margin",
    "cost_to_serve",
    "concession_ratio",
    "growth",
    "pipeline",
)


def customer_positions(
    a: Analysis,
    *,
    order_by: str = "net_profit",
    descending: bool = True,
    tier: str | None = None,
    grade: str | None = None,
    account_type: str | None = None,
    key_only: bool = False,
    disputed_only: bool = False,
    pitfall: str | None = None,
    search: str | None = None,
) -> np.ndarray:
    """Positions of the customers that pass the filters, in the requested order (ties by customer id)."""
    v, n = a.v, a.n
    mask = np.ones(n, dtype=bool)
    if tier:
        mask &= v["tier"] == TIER_ORDER.index(tier) if tier in TIER_ORDER else False
    if grade:
        mask &= v["grade"] == GRADES.index(grade) if grade in GRADES else False
    if account_type:
        mask &= v["account_type"] == account_type
    if key_only:
        mask &= v["key_account"]
    if disputed_only:
        mask &= v["disputed"]
    if pitfall:
        mask &= v.get(f"pitfall_{pitfall}", np.zeros(n, dtype=bool))
    if search:
        needle = search.strip().lower()
        mask &= np.array([needle in (name or "").lower() for name in a.facts.names], dtype=bool)
    positions = np.nonzero(mask)[0]
    if order_by not in SORTABLE:
        order_by = "net_profit"
    key = v[order_by][positions]
    order = np.lexsort((a.facts.ids[positions], -key if descending else key))
    return positions[order]


def customer_rows(a: Analysis, positions, *, offset: int = 0, limit: int | None = 50) -> list[dict]:
    chosen = positions[offset : None if limit is None else offset + limit]
    return [customer_row(a, int(i)) for i in chosen]


def comparison_rows(a: Analysis, *, limit: int = 100) -> list[dict]:
    """Customers key by one method and not by another, with the reason, best net profit first."""
    positions = customer_positions(a, disputed_only=True)[:limit]
    flags = method_flags(a)
    return [
        {
            "customer_id": int(a.facts.ids[i]),
            "name": a.facts.names[i],
            "net_profit": money(a.v["net_profit"][i]),
            "key_by": {m: bool(flags[m][i]) for m in METHODS},
            "reason": comparison_reason(a, int(i)),
        }
        for i in positions
    ]


# The figures of each pitfall as the user reads them: label and how the value is shown.
PITFALL_FIGURES = {
    "count": (gettext_lazy("Customers named"), "number"),
    "key_by_some_not_all": (gettext_lazy("Key by some methods, not all"), "number"),
    "small_customers": (gettext_lazy("Small and ordinary customers"), "number"),
    "neglected": (gettext_lazy("Neglected"), "number"),
    "neglected_share": (gettext_lazy("Share neglected"), "share"),
    "overdue_follow_up": (gettext_lazy("With overdue follow-ups"), "number"),
    "falling_purchases": (gettext_lazy("Buying less"), "number"),
    "falling_contacts": (gettext_lazy("Fewer visits and contacts"), "number"),
    "lapsed": (gettext_lazy("No purchase lately"), "number"),
    "profit_share_small": (gettext_lazy("Their share of net profit"), "share"),
    "gross_profit_share_recent": (gettext_lazy("Their share of gross profit, recent"), "share"),
    "gross_profit_share_previous": (gettext_lazy("Their share of gross profit, before"), "share"),
    "big_order_from": (gettext_lazy("Big order from"), "money"),
    "low_margin": (gettext_lazy("Low margin below"), "share"),
    "net_profit": (gettext_lazy("Net profit"), "money"),
    "revenue": (gettext_lazy("Revenue"), "money"),
    "excess": (gettext_lazy("Concessions beyond the allowance"), "money"),
}


def pitfall_figure_rows(figures: dict) -> list[dict]:
    """A pitfall's figures in order, each with its label and kind (number, share or money)."""
    return [
        {
            "code": k,
            "label": PITFALL_FIGURES.get(k, (k, ""))[0],
            "kind": PITFALL_FIGURES.get(k, (k, ""))[1],
            "value": v,
        }
        for k, v in figures.items()
    ]


def pitfall_report(a: Analysis, *, limit: int = 50) -> list[dict]:
    """Each pitfall: does it bite, the message, its figures and the customers it names."""
    report = []
    for p in a.pitfalls:
        positions = p["customers"]
        ordered = positions[np.lexsort((a.facts.ids[positions], -a.v["revenue"][positions]))][:limit]
        report.append(
            {
                "code": p["code"],
                "fires": p["fires"],
                "message": pitfall_message(p["code"], p["figures"], a.config),
                "figures": p["figures"],
                "count": len(positions),
                "customers": [customer_row(a, int(i)) for i in ordered],
            }
        )
    return report


def type_rows(a: Analysis, *, limit: int = 200) -> list[dict]:
    """Key accounts with their suggested and decided type, the signals and the confidence."""
    positions = customer_positions(a, key_only=True)[:limit]
    rows = []
    for i in positions:
        i = int(i)
        rows.append(
            {
                "customer_id": int(a.facts.ids[i]),
                "name": a.facts.names[i],
                "account_type": a.v["account_type"][i],
                "suggested": a.v["type_suggested"][i],
                "confidence": share(a.v["type_confidence"][i]),
                "overridden": bool(a.v["type_overridden"][i]),
                "note": a.config.overrides.get(int(a.facts.ids[i]), (None, ""))[1],
                "reasons": type_reasons(a, i),
            }
        )
    return rows


def clv_estimates(a: Analysis, *, horizon_weeks: float = clv.WEEKS_PER_YEAR) -> dict:
    """BG/NBD + Gamma-Gamma over the analysed customers; estimates for those who came back."""
    if "clv_expected" in a.v:
        return a.v["clv_summary"]
    v, n = a.v, a.n
    first = v["first_purchase"]
    last = v["last_purchase"]
    end = float(a.facts.period.end.toordinal())
    x = np.maximum(v["transactions"] - 1, 0)
    # Whole weeks: customers with the same history then fit as one weighted row, which keeps the
    # maximum-likelihood fit fast at 100,000 customers.
    t_x = np.round(np.nan_to_num((last - first) / 7.0))
    big_t = np.round(np.nan_to_num((end - first) / 7.0))
    mean_value = np.where(v["transactions"] > 0, v["revenue"] / np.maximum(v["transactions"], 1), 0)
    summary = {"fitted": False, "customers": int((x > 0).sum()), "params": None, "spend_params": None}
    expected = np.zeros(n)
    alive = np.ones(n)
    value = np.zeros(n)
    repeaters = x > 0
    if repeaters.sum() >= 10 and n >= 20:
        params = clv.bgnbd_fit(x, t_x, big_t)
        alive = clv.bgnbd_probability_alive(params, x, t_x, big_t)
        expected = clv.bgnbd_expected_purchases(params, horizon_weeks, x, t_x, big_t)
        summary.update(
            fitted=True, params={"r": params.r, "alpha": params.alpha, "a": params.a, "b": params.b}
        )
        positive = repeaters & (mean_value > 0)
        if positive.sum() >= 10:
            spend = clv.gamma_gamma_fit(x[positive], mean_value[positive])
            avg = clv.gamma_gamma_expected_spend(spend, x, mean_value)
            value = np.nan_to_num(expected * avg)
            summary["spend_params"] = {"p": spend.p, "q": spend.q, "gamma": spend.gamma}
        summary["expected_purchases"] = share(float(np.sum(expected[repeaters])))
        summary["expected_value"] = money(float(np.sum(value[repeaters])))
    v["clv_expected"], v["clv_alive"], v["clv_value"] = expected, alive, value
    v["clv_summary"] = summary
    return summary


def clv_rows(a: Analysis, *, limit: int = 100) -> list[dict]:
    clv_estimates(a)
    v = a.v
    repeaters = np.nonzero(v["transactions"] > 1)[0]
    ordered = repeaters[np.lexsort((a.facts.ids[repeaters], -v["clv_value"][repeaters]))][:limit]
    return [
        {
            "customer_id": int(a.facts.ids[i]),
            "name": a.facts.names[i],
            "transactions": int(v["transactions"][i]),
            "probability_alive": share(v["clv_alive"][i]),
            "expected_purchases": share(v["clv_expected"][i]),
            "expected_value": money(v["clv_value"][i]),
            "rfm_segment": v["rfm_segment"][i],
        }
        for i in ordered
    ]


def customer_analysis_row(customer, *, months: int | None = None, store=None) -> dict | None:
    a = analysis_cached(months=months, store=store)
    i = a.facts.position(customer.pk)
    if i is None:
        return None
    row = customer_row(a, i)
    row["type_reasons"] = type_reasons(a, i)
    row["comparison"] = comparison_reason(a, i)
    row["customers"] = a.n
    return row


def concessions_this_year(customer, *, today: datetime.date | None = None) -> dict:
    """Discounts and free extras granted to ``customer`` on orders of this calendar year, with the list value."""
    today = today or timezone.localdate()
    figures = (
        OrderLine.objects.filter(
            order__customer=customer,
            order__status__in=SOLD_ORDER_STATUSES,
            order__order_date__year=today.year,
        )
        .exclude(kind=LineKind.TRADE_IN)
        .aggregate(
            discounts=Coalesce(
                Sum(F("unit_discount") * F("quantity"), filter=Q(is_free=False), output_field=MONEY),
                Value(Decimal("0")),
                output_field=MONEY,
            ),
            free_extras=Coalesce(
                Sum(F("unit_price") * F("quantity"), filter=Q(is_free=True), output_field=MONEY),
                Value(Decimal("0")),
                output_field=MONEY,
            ),
            list_value=Coalesce(
                Sum(F("unit_price") * F("quantity"), output_field=MONEY),
                Value(Decimal("0")),
                output_field=MONEY,
            ),
        )
    )
    return {k: to_money(v) for k, v in figures.items()}


def customer_value_summary(customer, *, today: datetime.date | None = None) -> dict:
    """What the account is worth and what concessions its value justifies, for quote approval.

    Tier, grade and type come from the group-wide analysis over the default period (cached a few
    minutes). A customer without purchases in the period is ``small`` with no grade.
    ``allowed_concession_ratio`` is the share of list value the tier justifies in discounts and
    free extras; ``concession_headroom`` what is left of it this year (negative when exceeded).
    """
    settings_row = AnalysisSettings.current()
    row = customer_analysis_row(customer)
    tier, account_type = customer_segment(customer)
    allowed = {
        Tier.VIP: settings_row.concession_vip,
        Tier.MAJOR: settings_row.concession_major,
        Tier.ORDINARY: settings_row.concession_ordinary,
        Tier.SMALL: settings_row.concession_small,
    }[tier]
    year = concessions_this_year(customer, today=today)
    granted = year["discounts"] + year["free_extras"]
    headroom = to_money(year["list_value"] * allowed) - granted
    return {
        "customer_id": customer.pk,
        "in_analysis": row is not None,
        "tier": tier,
        "grade": row["grade"] if row else "",
        "account_type": account_type,
        "key_account": bool(row and row["key_account"]),
        "net_profit": row["net_profit"] if row else Decimal("0.00"),
        "margin": row["margin"] if row else Decimal("0"),
        "revenue": row["revenue"] if row else Decimal("0.00"),
        "concessions_period": row["concessions"] if row else Decimal("0.00"),
        "concession_ratio_period": row["concession_ratio"] if row else Decimal("0"),
        "concessions_this_year": granted,
        "list_value_this_year": year["list_value"],
        "concession_ratio_this_year": ratio(granted, year["list_value"]),
        "allowed_concession_ratio": allowed,
        "concession_headroom": headroom,
    }


def concession_check(customer, *, list_total: Decimal, concessions: Decimal, today=None) -> dict:
    """Pitfall 5 at quoting time: would this quote's discounts and free extras take the customer's
    concessions this year beyond what its value justifies? ``warning`` is a message for the approver."""
    summary = customer_value_summary(customer, today=today)
    total_list = summary["list_value_this_year"] + to_money(list_total)
    total_granted = summary["concessions_this_year"] + to_money(concessions)
    allowed = summary["allowed_concession_ratio"]
    over = to_money(total_granted - total_list * allowed)
    warning = ""
    if over > 0:
        warning = _(
            "Too many concessions: with this quote, %(name)s gets %(granted)s in discounts and free extras this "
            "year (%(rate)s of list value); a %(tier)s customer justifies %(allowed)s, %(over)s less."
        ) % {
            "name": customer,
            "granted": total_granted,
            "rate": f"{ratio(total_granted, total_list):.1%}",
            "tier": Tier(summary["tier"]).label,
            "allowed": f"{allowed:.1%}",
            "over": over,
        }
    return {**summary, "excess": max(over, Decimal("0.00")), "warning": warning}


def customer_segment(customer) -> tuple[str, str]:
    """(tier, account type) for margin floors; the type is empty unless the customer is a key account
    or a manager decided it."""
    a = analysis_cached()
    override = a.config.overrides.get(customer.pk)
    i = a.facts.position(customer.pk)
    if i is None:
        return Tier.SMALL, override[0] if override else ""
    v = a.v
    key_account = bool(v["key_account"][i])
    account_type = override[0] if override else (str(v["account_type"][i]) if key_account else "")
    return TIER_ORDER[int(v["tier"][i])], account_type


def customer_drilldown(customer, *, months: int | None = None, store=None, end=None) -> dict:
    """The orders, services, activities and payments behind a customer's figures, with per-document
    amounts (one query per source)."""
    period = Period.build(months=months or default_months(), store=store, end=end)
    # The figures of each order's lines are kept on the order (``autosales.sales.figures``),
    # the same numbers the analysis adds up.
    orders = (
        sold_orders(period)
        .filter(customer=customer)
        .annotate(
            revenue=F("total"),
            vehicle_gp=F("vehicle_profit"),
            addon_income=ExpressionWrapper(F("addon_profit") + F("income_total"), output_field=MONEY),
            discounts=F("price_discount"),
            vehicles=F("vehicle_units"),
        )
        .order_by("-order_date", "-id")
    )
    services = (
        service_orders(period)
        .filter(customer=customer)
        .annotate(
            revenue_amount=ExpressionWrapper(
                F("labour_revenue") + F("parts_revenue") - F("discount"), output_field=MONEY
            ),
            gross_profit_amount=ExpressionWrapper(
                F("labour_revenue")
                + F("parts_revenue")
                - F("discount")
                + F("warranty_claim")
                - F("labour_cost")
                - F("parts_cost"),
                output_field=MONEY,
            ),
        )
        .order_by("-opened_at")
    )
    rates = dict(CostToServeRate.objects.values_list("activity_kind", "rate"))
    activity_counts = list(
        Activity.objects.filter(
            Q(store_id=period.store_id) if period.store_id else Q(),
            customer=customer,
            occurred_at__gte=period.start_dt,
            occurred_at__lt=period.end_dt,
        )
        .order_by()
        .values("kind")
        .annotate(count=Count("id"))
        .order_by("kind")
    )
    for item in activity_counts:
        item["rate"] = rates.get(item["kind"], Decimal("0.00"))
        item["cost"] = to_money(item["rate"] * item["count"])
    payments = (
        Payment.objects.filter(
            order__in=sold_orders(period).filter(customer=customer), due_date__isnull=False
        )
        .exclude(kind="refund")
        .annotate(days_late=Greatest(DaysLate(F("paid_at"), F("due_date")), Value(0)))
        .select_related("order")
        .order_by("-paid_at")
    )
    orders = list(orders)
    services = list(services)
    # SQLite hands back sums of REAL columns unrounded; amounts are shown to the cent.
    for o in orders:
        for name in ("revenue", "vehicle_gp", "addon_income", "discounts", "free_extras"):
            setattr(o, name, to_money(getattr(o, name)))
    for so in services:
        so.revenue_amount = to_money(so.revenue_amount)
        so.gross_profit_amount = to_money(so.gross_profit_amount)
    totals = {
        "revenue": sum((o.revenue for o in orders), Decimal("0.00")),
        "vehicle_gp": sum((o.vehicle_gp for o in orders), Decimal("0.00")),
        "addon_income": sum((o.addon_income for o in orders), Decimal("0.00")),
        "service_revenue": sum((s.revenue_amount for s in services), Decimal("0.00")),
        "service_gp": sum((s.gross_profit_amount for s in services), Decimal("0.00")),
        "cost_to_serve": sum((a["cost"] for a in activity_counts), Decimal("0.00")),
    }
    totals = {k: to_money(v) for k, v in totals.items()}
    totals["net_profit"] = (
        totals["vehicle_gp"] + totals["addon_income"] + totals["service_gp"] - totals["cost_to_serve"]
    )
    return {
        "period": period,
        "orders": orders,
        "services": services,
        "activities": activity_counts,
        "payments": list(payments),
        "totals": totals,
    }


def plan_actions_overdue(user, *, today: datetime.date | None = None):
    """Open account-plan actions of ``user`` past their due date, oldest first."""
    today = today or timezone.localdate()
    return (
        PlanAction.objects.filter(owner=user, status="open", due_date__lt=today)
        .select_related("plan__customer")
        .order_by("due_date", "id")
    )


def plan_detail(plan: AccountPlan) -> dict:
    """The plan with its objectives, actions and the customer's buying-centre contacts."""
    return {
        "plan": plan,
        "objectives": list(plan.objectives.all()),
        "actions": list(plan.actions.select_related("owner", "objective")),
        "contacts": list(plan.customer.contacts.all().order_by("buying_role", "name")),
    }
