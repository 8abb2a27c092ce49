"""Reads of the sales domain: set-based aggregates, no per-row queries."""

import datetime
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from autosales.core.choices import Role
from autosales.core.config_cache import config_cached
from autosales.core.money import ZERO
from autosales.core.prepared import prepared

from . import pricing
from .choices import (
    DEFAULT_STAGE_PROBABILITY,
    OPEN_LEAD_STAGES,
    SOLD_ORDER_STATUSES,
    ActivityKind,
    ApprovalDecision,
    LeadStage,
    LineKind,
    QuoteStatus,
)
from .models import (
    Activity,
    ApprovalRule,
    FleetAgreement,
    Lead,
    LeadStageSetting,
    MarginFloor,
    Order,
    OrderLine,
    Quote,
    QuoteApproval,
    SalesTarget,
    TaxRule,
)

MONEY = DecimalField(max_digits=16, decimal_places=2)


def _money_sum(expression):
    return Coalesce(Sum(expression, output_field=MONEY), Value(ZERO), output_field=MONEY)


# --- configuration -----------------------------------------------------------------------


def stage_probability(stage: str) -> int:
    """The manager-set default win probability of a stage (built-in default when not set)."""
    value = LeadStageSetting.objects.filter(stage=stage).values_list("probability", flat=True).first()
    return DEFAULT_STAGE_PROBABILITY.get(stage, 0) if value is None else value


# Read on every quote submitted, so compiled once per connection (autosales.core.prepared).
_approval_rules = prepared(
    lambda: ApprovalRule.objects.order_by("may_go_below_floor", "max_discount_rate", "id")
)
_margin_floors = prepared(
    lambda tier, account_type: MarginFloor.objects.filter(
        Q(customer_tier="") | Q(customer_tier=tier), Q(account_type="") | Q(account_type=account_type)
    ),
    str,
    str,
)
_tax_rules = prepared(
    lambda on: TaxRule.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on
    ).order_by("-valid_from", "-id"),
    datetime.date,
)


@config_cached(ApprovalRule)
def authorities() -> tuple[pricing.Authority, ...]:
    """The approval matrix from the lowest role to the highest."""
    rules = _approval_rules.list()
    return tuple(
        pricing.Authority(r.role, r.max_discount_rate, r.max_discount_amount, r.may_go_below_floor)
        for r in rules
    )


def customer_segment(customer) -> tuple[str, str]:
    """(customer tier, account type) of a customer, used to choose margin floors.

    The single place where the key-account analysis plugs in (imported here because that
    analysis itself reads sales data).
    """
    from autosales.keyaccounts.selectors import customer_segment as keyaccount_segment

    tier, account_type = keyaccount_segment(customer)
    return (tier or "", account_type or "")


def concession_check(customer, *, list_total, concessions) -> dict:
    """The key-account view of a quote for its approver: tier, grade, value and whether this quote's
    concessions go beyond what the customer's value justifies (``warning``)."""
    from autosales.keyaccounts.selectors import concession_check as keyaccount_check

    return keyaccount_check(customer, list_total=list_total, concessions=concessions)


def margin_floor_for(*, customer, car_model_ids, segment: tuple[str, str] | None = None) -> Decimal:
    """The strictest margin floor among the quote's models, for this customer's tier and type.

    For each model the most specific matching row wins (model, then tier, then account type);
    rows with empty fields apply to everything.
    """
    tier, account_type = segment if segment is not None else customer_segment(customer)
    models = set(car_model_ids)
    # The floors are a short table: the rows of this tier and type are read whole and those of
    # other models left out here, so that the statement has one shape whatever the models.
    rows = [
        row
        for row in _margin_floor_rows(tier, account_type)
        if row["car_model_id"] is None or row["car_model_id"] in models
    ]
    if not rows:
        return Decimal("0")
    models = models or {None}
    floors = []
    for model_id in models:
        candidates = [r for r in rows if r["car_model_id"] in (None, model_id)]
        if not candidates:
            continue
        best = max(
            candidates,
            key=lambda r: (r["car_model_id"] is not None, bool(r["customer_tier"]), bool(r["account_type"])),
        )
        floors.append(best["min_margin"])
    return max(floors) if floors else Decimal("0")


@config_cached(MarginFloor)
def _margin_floor_rows(tier: str, account_type: str) -> tuple[dict, ...]:
    return tuple(
        {
            "customer_tier": floor.customer_tier,
            "account_type": floor.account_type,
            "car_model_id": floor.car_model_id,
            "min_margin": floor.min_margin,
        }
        for floor in _margin_floors.list(tier, account_type)
    )


@config_cached(TaxRule)
def _tax_rules_on(on: datetime.date) -> tuple:
    return tuple(_tax_rules.list(on))


def tax_rule_for(*, on: datetime.date, fuel_type: str):
    """The tax rule valid on a date for a fuel type: a rule naming the fuel type beats a general one."""
    rules = _tax_rules_on(on)
    general = None
    for rule in rules:
        if fuel_type in (rule.fuel_types or []):
            return rule
        if not rule.fuel_types and general is None:
            general = rule
    return general


def active_fleet_agreement(customer, on: datetime.date | None = None):
    """The company's agreement in force on ``on``; persons have none (agreements are with companies)."""
    if not customer.is_company:
        return None
    on = on or timezone.localdate()
    return (
        FleetAgreement.objects.filter(customer=customer, status="active", starts_on__lte=on, ends_on__gte=on)
        .order_by("-starts_on")
        .first()
    )


# --- customers ---------------------------------------------------------------------------


def customer_value(customer) -> dict:
    """Lifetime figures of a customer from sold orders: orders, revenue, gross profit."""
    figures = Order.objects.filter(customer=customer, status__in=SOLD_ORDER_STATUSES).aggregate(
        orders=Count("id"),
        revenue=_money_sum("total"),
        cost=_money_sum("cost_total"),
        income=_money_sum("income_total"),
    )
    figures["gross_profit"] = figures["revenue"] - figures["cost"] + figures["income"]
    figures["margin"] = pricing.margin(figures["gross_profit"], figures["revenue"])
    figures["tier"], figures["account_type"] = customer_segment(customer)
    return figures


def concessions_this_year(customer, *, year: int | None = None, exclude_quote=None) -> Decimal:
    """Discounts and free extras this customer received this calendar year.

    Counts orders (not cancelled) and approved/sent/accepted quotes that have no order yet, so
    a deal is not counted twice.
    """
    year = year or timezone.localdate().year
    orders = Order.objects.filter(customer=customer, order_date__year=year, status__in=SOLD_ORDER_STATUSES)
    quotes = Quote.objects.filter(
        customer=customer,
        created_at__year=year,
        status__in=(QuoteStatus.APPROVED, QuoteStatus.SENT, QuoteStatus.ACCEPTED),
        order__isnull=True,
    )
    if exclude_quote is not None:
        quotes = quotes.exclude(pk=exclude_quote.pk)
    total = orders.aggregate(v=_money_sum("discount_total"))["v"]
    total += quotes.aggregate(v=_money_sum("discount_total"))["v"]
    return total


# --- leads and follow-ups ----------------------------------------------------------------


def _weighted():
    return ExpressionWrapper(F("expected_value") * F("probability") / Value(100), output_field=MONEY)


def pipeline(leads) -> list[dict]:
    """Open leads per store and salesperson: count, value and probability-weighted value."""
    rows = (
        leads.filter(stage__in=OPEN_LEAD_STAGES)
        .values("store_id", "store__code", "store__name", "owner_id", "owner__last_name", "owner__first_name")
        .annotate(leads=Count("id"), value=_money_sum("expected_value"), weighted=_money_sum(_weighted()))
        .order_by("store__code", "-weighted")
    )
    result = []
    for row in rows:
        row["weighted"] = pricing.money(row["weighted"])
        row["owner_name"] = f"{row['owner__last_name'] or ''}{row['owner__first_name'] or ''}"
        result.append(row)
    return result


def pipeline_by_store(leads) -> list[dict]:
    rows = (
        leads.filter(stage__in=OPEN_LEAD_STAGES)
        .values("store_id", "store__code", "store__name")
        .annotate(leads=Count("id"), value=_money_sum("expected_value"), weighted=_money_sum(_weighted()))
        .order_by("store__code")
    )
    return [{**row, "weighted": pricing.money(row["weighted"])} for row in rows]


def pipeline_by_stage(leads) -> list[dict]:
    rows = (
        leads.filter(stage__in=OPEN_LEAD_STAGES)
        .values("stage")
        .annotate(leads=Count("id"), value=_money_sum("expected_value"), weighted=_money_sum(_weighted()))
    )
    by_stage = {row["stage"]: row for row in rows}
    labels = dict(LeadStage.choices)
    return [
        {
            "stage": stage,
            "label": labels[stage],
            "leads": by_stage.get(stage, {}).get("leads", 0),
            "value": by_stage.get(stage, {}).get("value", ZERO),
            "weighted": pricing.money(by_stage.get(stage, {}).get("weighted", ZERO)),
        }
        for stage in OPEN_LEAD_STAGES
    ]


def follow_ups(*, leads, activities, today: datetime.date | None = None) -> dict:
    """Open leads and follow-up tasks due today and overdue, from querysets already scoped."""
    today = today or timezone.localdate()
    open_leads = leads.filter(stage__in=OPEN_LEAD_STAGES, next_follow_up__isnull=False).select_related(
        "customer", "owner"
    )
    tasks = activities.filter(
        kind=ActivityKind.FOLLOW_UP, completed_at__isnull=True, due_date__isnull=False
    ).select_related("customer", "user", "lead")
    return {
        "today": list(open_leads.filter(next_follow_up=today).order_by("id")),
        "overdue": list(open_leads.filter(next_follow_up__lt=today).order_by("next_follow_up", "id")),
        "tasks_today": list(tasks.filter(due_date=today).order_by("id")),
        "tasks_overdue": list(tasks.filter(due_date__lt=today).order_by("due_date", "id")),
    }


def lost_reasons(leads, *, start: datetime.date | None = None, end: datetime.date | None = None) -> list:
    """Lost leads per reason in a period (by close date), largest first, with shares."""
    qs = leads.filter(stage=LeadStage.LOST)
    if start:
        qs = qs.filter(closed_at__date__gte=start)
    if end:
        qs = qs.filter(closed_at__date__lte=end)
    rows = list(
        qs.values("lost_reason")
        .annotate(leads=Count("id"), value=_money_sum("expected_value"))
        .order_by("-leads")
    )
    total = sum(r["leads"] for r in rows)
    from .choices import LostReason

    labels = dict(LostReason.choices)
    for row in rows:
        row["label"] = labels.get(row["lost_reason"], row["lost_reason"])
        row["share"] = pricing.rate_of(row["leads"], total)
    return rows


def pending_lost_requests(leads):
    return leads.filter(lost_request="pending").select_related("customer", "owner", "store").order_by("id")


def duplicate_open_lead(customer):
    return (
        Lead.objects.filter(customer=customer, stage__in=OPEN_LEAD_STAGES)
        .select_related("owner", "store")
        .order_by("id")
        .first()
    )


# --- quotes ------------------------------------------------------------------------------


def quote_line_rows(quote) -> list[dict]:
    """Each line with its amount, gross profit and margin."""
    rows = []
    lines = quote.lines.select_related(
        "trim__car_model__brand", "vehicle__trim__car_model__brand", "trade_in"
    )
    for line in lines:
        figures = pricing.line_figures(line)
        rows.append({"line": line, "figures": figures})
    return rows


def approvals_pending_for(user, quotes):
    """Pending approvals the user's role may decide, among the quotes the user may see."""
    role = "admin" if user.is_superuser else user.role
    order = [a.role for a in authorities()]
    if role == Role.ADMIN:
        roles = order
    elif role in order:
        roles = order[: order.index(role) + 1]
    else:
        roles = []
    return (
        QuoteApproval.objects.filter(
            decision=ApprovalDecision.PENDING, quote__in=quotes, required_role__in=roles
        )
        .select_related("quote", "quote__customer", "quote__salesperson", "quote__store")
        .order_by("id")
    )


# --- orders ------------------------------------------------------------------------------


def vehicle_units(order) -> dict:
    """Vehicle units wanted, allocated and delivered on an order."""
    wanted = order.lines.filter(kind=LineKind.VEHICLE).aggregate(n=Coalesce(Sum("quantity"), 0))["n"]
    counts = order.allocations.exclude(status="released").aggregate(
        allocated=Count("id"), delivered=Count("id", filter=Q(status="delivered"))
    )
    return {"wanted": wanted, **counts}


# --- performance -------------------------------------------------------------------------


def _month(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def performance(*, orders, leads, start: datetime.date, end: datetime.date, by: str = "salesperson") -> list:
    """Per month and per salesperson (or store): units, revenue, gross profit, average discount,
    conversion (won ÷ closed leads) and achievement against targets."""
    key = "salesperson_id" if by == "salesperson" else "store_id"
    lead_key = "owner_id" if by == "salesperson" else "store_id"
    sold = orders.filter(status__in=SOLD_ORDER_STATUSES, order_date__gte=start, order_date__lte=end)
    order_rows = (
        sold.annotate(month=TruncMonth("order_date"))
        .values("month", key)
        .annotate(
            orders=Count("id"),
            revenue=_money_sum("total"),
            cost=_money_sum("cost_total"),
            income=_money_sum("income_total"),
            discount=_money_sum("discount_total"),
            list_total=_money_sum("list_total"),
        )
    )
    unit_rows = (
        OrderLine.objects.filter(order__in=sold, kind=LineKind.VEHICLE)
        .annotate(month=TruncMonth("order__order_date"))
        .values("month", f"order__{key}")
        .annotate(units=Coalesce(Sum("quantity"), 0))
    )
    lead_rows = (
        leads.filter(stage__in=(LeadStage.WON, LeadStage.LOST), closed_at__isnull=False)
        .filter(closed_at__date__gte=start, closed_at__date__lte=end)
        .annotate(month=TruncMonth("closed_at", tzinfo=timezone.get_current_timezone()))
        .values("month", lead_key)
        .annotate(won=Count("id", filter=Q(stage=LeadStage.WON)), closed=Count("id"))
    )
    target_filter = Q(salesperson__isnull=False) if by == "salesperson" else Q(salesperson__isnull=True)
    target_rows = SalesTarget.objects.filter(target_filter, month__gte=start.replace(day=1), month__lte=end)
    if by == "salesperson":
        target_rows = target_rows.filter(salesperson_id__in=sold.values("salesperson_id"))
    else:
        target_rows = target_rows.filter(store_id__in=orders.values("store_id"))
    target_key = "salesperson_id" if by == "salesperson" else "store_id"

    table: dict = {}

    def row(month, ident):
        return table.setdefault(
            (_month(month), ident),
            {
                "month": _month(month),
                "id": ident,
                "orders": 0,
                "units": 0,
                "revenue": ZERO,
                "gross_profit": ZERO,
                "discount": ZERO,
                "list_total": ZERO,
                "won": 0,
                "closed": 0,
                "target_units": None,
                "target_revenue": None,
                "target_gross_profit": None,
            },
        )

    for r in order_rows:
        entry = row(r["month"], r[key])
        entry.update(
            orders=r["orders"],
            revenue=r["revenue"],
            gross_profit=r["revenue"] - r["cost"] + r["income"],
            discount=r["discount"],
            list_total=r["list_total"],
        )
    for r in unit_rows:
        row(r["month"], r[f"order__{key}"])["units"] = r["units"]
    for r in lead_rows:
        entry = row(r["month"], r[lead_key])
        entry.update(won=r["won"], closed=r["closed"])
    for t in target_rows.values("month", target_key, "units", "revenue", "gross_profit"):
        entry = table.get((t["month"], t[target_key]))
        if entry is None:
            entry = row(t["month"], t[target_key])
        entry.update(
            target_units=t["units"], target_revenue=t["revenue"], target_gross_profit=t["gross_profit"]
        )

    names = _names(by, {ident for _m, ident in table})
    result = []
    for (_month_key, ident), entry in sorted(
        table.items(), key=lambda kv: (kv[0][0], str(names.get(kv[0][1])))
    ):
        entry["name"] = names.get(ident, "—")
        entry["average_discount"] = pricing.rate_of(entry["discount"], entry["list_total"])
        entry["conversion"] = pricing.rate_of(entry["won"], entry["closed"])
        entry["margin"] = pricing.margin(entry["gross_profit"], entry["revenue"])
        entry["units_achieved"] = (
            pricing.rate_of(entry["units"], entry["target_units"]) if entry["target_units"] else None
        )
        entry["revenue_achieved"] = (
            pricing.rate_of(entry["revenue"], entry["target_revenue"]) if entry["target_revenue"] else None
        )
        entry["gross_profit_achieved"] = (
            pricing.rate_of(entry["gross_profit"], entry["target_gross_profit"])
            if entry["target_gross_profit"]
            else None
        )
        result.append(entry)
    return result


def _names(by: str, ids) -> dict:
    ids = {i for i in ids if i is not None}
    if by == "salesperson":
        from autosales.core.models import User

        return {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    from autosales.core.models import Store

    return {s.pk: str(s) for s in Store.objects.filter(pk__in=ids)}


def order_status_counts(orders) -> dict:
    return dict(orders.values_list("status").annotate(n=Count("id")).order_by())


def activity_counts(activities, *, start, end) -> dict:
    return dict(
        activities.filter(occurred_at__date__gte=start, occurred_at__date__lte=end)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )


def leads_with_weight(leads):
    return leads.annotate(
        weighted=Case(
            When(stage__in=OPEN_LEAD_STAGES, then=_weighted()), default=Value(ZERO), output_field=MONEY
        )
    )


def activities_for(*, customer=None, lead=None, limit: int = 50):
    qs = Activity.objects.select_related("user", "vehicle")
    if lead is not None:
        qs = qs.filter(Q(lead=lead) | Q(customer=lead.customer, lead__isnull=True))
    elif customer is not None:
        qs = qs.filter(customer=customer)
    return qs.order_by("-occurred_at", "-id")[:limit]
