"""Per-customer value facts: one grouped SQL query per source, merged into column arrays.

Each query groups by customer in the database; Python only merges one row per customer and
source, never a row per order. The SQL is compiled from the ORM so it runs on SQLite and
PostgreSQL alike, and it is executed on a plain cursor: at 100,000 customers Django's per-value
converters would cost more than the aggregates themselves.
"""

import datetime
import math
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db import connections
from django.db.models import (
    Count,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    Sum,
    Value,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Coalesce, Greatest
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from autosales.aftersales.choices import ServiceKind, ServiceStatus
from autosales.aftersales.models import Complaint, ServiceOrder
from autosales.parties.choices import BuyingRole
from autosales.parties.models import Contact, Customer
from autosales.sales.choices import (
    OPEN_LEAD_STAGES,
    SOLD_ORDER_STATUSES,
    ActivityKind,
    AgreementStatus,
    LeadStage,
    LineKind,
    LostReason,
    PaymentKind,
)
from autosales.sales.models import Activity, FleetAgreement, Lead, Order, OrderLine, Payment

MONEY = DecimalField(max_digits=16, decimal_places=2)
# The facts queries are read raw from the cursor, so output types only steer the SQL Django writes:
# a float type keeps it from wrapping every step of the arithmetic in CAST(... AS NUMERIC) on SQLite.
# PostgreSQL still computes in exact numeric and hands back Decimals.
RAW = FloatField()


def _minus(a, b):
    return CombinedExpression(a, "-", b, output_field=RAW)


def _plus(a, b):
    return CombinedExpression(a, "+", b, output_field=RAW)


def _times(a, b):
    return CombinedExpression(a, "*", b, output_field=RAW)


class Real(Func):
    """A value as a double on PostgreSQL, whose sums of doubles cost a fraction of sums of numerics;
    SQLite keeps decimals as doubles already."""

    arity = 1
    output_field = RAW

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::float8", params

    def as_sqlite(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])


def _sum(expression, **kwargs):
    # Summed as doubles, with COALESCE: the cursor hands back plain floats (no per-value Decimal on
    # PostgreSQL, no NULLs), which numpy takes in one pass. A customer's sum of a few hundred
    # amounts in cents is exact to the cent far beyond any dealer's turnover.
    if isinstance(expression, str):
        expression = F(expression)
    return Cast(Coalesce(Sum(Real(expression), **kwargs), Value(0.0), output_field=RAW), RAW)


class DaysBetween(Func):
    """Whole days from the second date to the first (``end - start``) on SQLite and PostgreSQL."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


class DaysLate(Func):
    """Whole days from a due date (``DateField``) to the local date of a payment (``DateTimeField``).

    Written per database because Django's ``TruncDate`` on SQLite calls a Python function for every
    row, which dominates the query over hundreds of thousands of payments.
    """

    arity = 2
    output_field = IntegerField()

    def _parts(self, compiler):
        paid_sql, paid_params = compiler.compile(self.source_expressions[0])
        due_sql, due_params = compiler.compile(self.source_expressions[1])
        return paid_sql, list(paid_params), due_sql, list(due_params)

    def as_sql(self, compiler, connection, **extra):
        paid_sql, paid_params, due_sql, due_params = self._parts(compiler)
        zone = timezone.get_current_timezone_name()
        return f"((({paid_sql}) AT TIME ZONE %s)::date - ({due_sql}))", [*paid_params, zone, *due_params]

    def as_sqlite(self, compiler, connection, **extra):
        paid_sql, paid_params, due_sql, due_params = self._parts(compiler)
        offset = timezone.localtime().utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset else 0
        sql = f"CAST(julianday(date({paid_sql}, %s)) - julianday({due_sql}) AS INTEGER)"
        return sql, [*paid_params, f"{minutes:+d} minutes", *due_params]


class DayNumber(Func):
    """A date (or, with ``local``, the local date of a UTC timestamp) as its proleptic Gregorian
    ordinal, ``datetime.date.toordinal()``: every facts column is then a plain number."""

    arity = 1
    output_field = IntegerField()

    def __init__(self, expression, *, local=False):
        super().__init__(expression)
        self.local = local

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.local:
            zone = timezone.get_current_timezone_name()
            return f"(((({sql}) AT TIME ZONE %s)::date - DATE '0001-01-01') + 1)", [*params, zone]
        return f"((({sql})::date - DATE '0001-01-01') + 1)", list(params)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # julianday('0001-01-01') is 1721425.5 and that day's ordinal is 1.
        if self.local:
            offset = timezone.localtime().utcoffset()
            minutes = int(offset.total_seconds() // 60) if offset else 0
            return f"CAST(julianday({sql}, %s) - 1721424.5 AS INTEGER)", [*params, f"{minutes:+d} minutes"]
        return f"CAST(julianday({sql}) - 1721424.5 AS INTEGER)", list(params)


def months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for dd in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, dd)
        except ValueError:
            continue
    raise ValueError(day)


@dataclass(frozen=True)
class Period:
    """Sales from ``start`` (exclusive) to ``end`` (inclusive), local dates, for one store or the group."""

    end: datetime.date
    months: int = 36
    store_id: int | None = None

    @property
    def start(self) -> datetime.date:
        return months_before(self.end, self.months)

    @property
    def recent_start(self) -> datetime.date:
        return months_before(self.end, 12)

    @property
    def previous_start(self) -> datetime.date:
        return months_before(self.end, 24)

    def local_start(self, day: datetime.date) -> datetime.datetime:
        """The first instant after ``day`` in local time, for filtering datetime columns."""
        return timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
        )

    @property
    def start_dt(self) -> datetime.datetime:
        return self.local_start(self.start)

    @property
    def end_dt(self) -> datetime.datetime:
        return self.local_start(self.end)

    @classmethod
    def build(cls, *, months: int = 36, store=None, end: datetime.date | None = None) -> "Period":
        if months < 1:
            raise ValueError("months")
        store_id = getattr(store, "pk", store)
        return cls(end=end or timezone.localdate(), months=int(months), store_id=store_id)


# Columns of the facts arrays, per source query, in SELECT order after the customer id.
ORDER_COLUMNS = (
    "revenue",
    "list_value",
    "discounts",
    "free_extras",
    "free_cost",
    "vehicle_gp",
    "addon_margin",
    "third_party_income",
    "fi_income",
    "vehicles",
    "lines_financing",
    "lines_insurance",
    "lines_package",
    "lines_upfitting",
    "revenue_recent",
    "revenue_previous",
    "sales_gp_recent",
    "sales_gp_previous",
    "orders",
    "first_order",
    "last_order",
    "max_order",
    "orders_recent",
    "orders_previous",
    "fleet_orders",
)
LINE_COLUMNS = ("product_lines",)
SERVICE_COLUMNS = (
    "service_visits",
    "service_revenue",
    "service_gp",
    "first_service",
    "last_service",
    "service_recent",
    "service_previous",
    "service_revenue_recent",
    "service_revenue_previous",
    "service_gp_recent",
    "service_gp_previous",
    "maintenance_visits",
)
ACTIVITY_KINDS = tuple(ActivityKind.values)
ACTIVITY_COLUMNS = (
    *(f"act_{kind}" for kind in ACTIVITY_KINDS),
    "contacts_recent",
    "contacts_previous",
    "overdue_follow_ups",
)
PAYMENT_COLUMNS = ("payments_due", "days_late_total", "payments_late")
LEAD_COLUMNS = ("pipeline", "lost_on_price", "overdue_leads")
COMPLAINT_COLUMNS = ("complaints",)
CONTACT_COLUMNS = ("contacts", "executives", "decision_makers")
FLEET_COLUMNS = ("agreements_active", "agreement_days", "agreement_volume")
DATE_COLUMNS = frozenset({"first_order", "last_order", "first_service", "last_service"})


@dataclass
class CustomerFacts:
    """Column arrays, one position per customer in ``ids`` (sorted)."""

    period: Period
    ids: np.ndarray
    names: list
    kinds: list
    store_ids: list
    owner_ids: list
    fleet_size: np.ndarray
    cols: dict = field(default_factory=dict)
    # Exact money totals of the whole population, in Decimal, for the summary.
    totals: dict = field(default_factory=dict)

    def __len__(self):
        return len(self.ids)

    def position(self, customer_id: int) -> int | None:
        i = int(np.searchsorted(self.ids, customer_id))
        if i < len(self.ids) and self.ids[i] == customer_id:
            return i
        return None


def _grouped(queryset, group: str, aggregates: dict):
    # Aliased apart from the model's own fields (orders have a ``free_extras`` column, too).
    named = {f"fact_{name}": aggregate for name, aggregate in aggregates.items()}
    return queryset.order_by().values(group).annotate(**named).values_list(group, *named)


def _store_q(period: Period, lookup: str) -> Q:
    return Q(**{lookup: period.store_id}) if period.store_id else Q()


def sold_orders(period: Period):
    return Order.objects.filter(
        _store_q(period, "store_id"),
        status__in=SOLD_ORDER_STATUSES,
        order_date__gt=period.start,
        order_date__lte=period.end,
    )


def service_orders(period: Period):
    return ServiceOrder.objects.filter(
        _store_q(period, "store_id"),
        opened_at__gte=period.start_dt,
        opened_at__lt=period.end_dt,
    ).exclude(status=ServiceStatus.CANCELLED)


def facts_queries(period: Period) -> dict:
    """The grouped querysets, by source. ``bench`` times them bare; ``customer_facts`` merges them."""
    today = period.end
    # Orders carry the figures of their lines by kind (``autosales.sales.figures``): grouping
    # orders reads a fifth of the rows that grouping order lines would.
    orders = sold_orders(period)
    o_recent = Q(order_date__gt=period.recent_start)
    o_previous = Q(order_date__gt=period.previous_start, order_date__lte=period.recent_start)
    profit = _plus(_minus(F("total"), F("cost_total")), F("income_total"))
    order_aggs = {
        "revenue": _sum("total"),
        "list_value": _sum("list_total"),
        "discounts": _sum("price_discount"),
        "free_extras": _sum("free_extras"),
        "free_cost": _sum("free_extras_cost"),
        "vehicle_gp": _sum("vehicle_profit"),
        "addon_margin": _sum("addon_profit"),
        "third_party_income": _sum("income_total"),
        "fi_income": _sum("fi_income"),
        "vehicles": _sum("vehicle_units"),
        "lines_financing": _sum("financing_lines"),
        "lines_insurance": _sum("insurance_lines"),
        "lines_package": _sum("package_lines"),
        "lines_upfitting": _sum("upfitting_lines"),
        "revenue_recent": _sum("total", filter=o_recent),
        "revenue_previous": _sum("total", filter=o_previous),
        "sales_gp_recent": _sum(profit, filter=o_recent),
        "sales_gp_previous": _sum(profit, filter=o_previous),
        "orders": Count("id"),
        "first_order": DayNumber(Min("order_date")),
        "last_order": DayNumber(Max("order_date")),
        "max_order": Max("total"),
        "orders_recent": Count("id", filter=o_recent),
        "orders_previous": Count("id", filter=o_previous),
        "fleet_orders": Count("id", filter=Q(is_fleet=True)),
    }
    assert tuple(order_aggs) == ORDER_COLUMNS
    vehicle_lines = OrderLine.objects.filter(
        _store_q(period, "order__store_id"),
        kind=LineKind.VEHICLE,
        order__status__in=SOLD_ORDER_STATUSES,
        order__order_date__gt=period.start,
        order__order_date__lte=period.end,
    )
    line_aggs = {"product_lines": Count("trim_id", distinct=True)}

    services = service_orders(period)
    s_revenue = _minus(_plus(F("labour_revenue"), F("parts_revenue")), F("discount"))
    s_gp = _minus(_minus(_plus(s_revenue, F("warranty_claim")), F("labour_cost")), F("parts_cost"))
    recent_dt = period.local_start(period.recent_start)
    previous_dt = period.local_start(period.previous_start)
    s_recent = Q(opened_at__gte=recent_dt)
    s_previous = Q(opened_at__gte=previous_dt, opened_at__lt=recent_dt)
    service_aggs = {
        "service_visits": Count("id"),
        "service_revenue": _sum(s_revenue),
        "service_gp": _sum(s_gp),
        "first_service": DayNumber(Min("opened_at"), local=True),
        "last_service": DayNumber(Max("opened_at"), local=True),
        "service_recent": Count("id", filter=s_recent),
        "service_previous": Count("id", filter=s_previous),
        "service_revenue_recent": _sum(s_revenue, filter=s_recent),
        "service_revenue_previous": _sum(s_revenue, filter=s_previous),
        "service_gp_recent": _sum(s_gp, filter=s_recent),
        "service_gp_previous": _sum(s_gp, filter=s_previous),
        "maintenance_visits": Count("id", filter=Q(kind=ServiceKind.MAINTENANCE)),
    }

    activities = Activity.objects.filter(
        _store_q(period, "store_id"), occurred_at__gte=period.start_dt, occurred_at__lt=period.end_dt
    )
    a_recent = Q(occurred_at__gte=recent_dt)
    a_previous = Q(occurred_at__gte=previous_dt, occurred_at__lt=recent_dt)
    activity_aggs = {f"act_{kind}": Count("id", filter=Q(kind=kind)) for kind in ACTIVITY_KINDS}
    activity_aggs.update(
        {
            "contacts_recent": Count("id", filter=a_recent),
            "contacts_previous": Count("id", filter=a_previous),
            "overdue_follow_ups": Count(
                "id",
                filter=Q(kind=ActivityKind.FOLLOW_UP, completed_at__isnull=True, due_date__lt=today),
            ),
        }
    )

    payments = Payment.objects.filter(
        _store_q(period, "order__store_id"),
        order__status__in=SOLD_ORDER_STATUSES,
        order__order_date__gt=period.start,
        order__order_date__lte=period.end,
        due_date__isnull=False,
    ).exclude(kind=PaymentKind.REFUND)
    days_late = DaysLate(F("paid_at"), F("due_date"))
    payment_aggs = {
        "payments_due": Count("id"),
        "days_late_total": _sum(Greatest(days_late, Value(0))),
        "payments_late": Count("id", filter=GreaterThan(days_late, 0)),
    }

    leads = Lead.objects.filter(_store_q(period, "store_id"))
    lead_aggs = {
        "pipeline": _sum(
            CombinedExpression(
                _times(F("expected_value"), F("probability")), "/", Value(100.0), output_field=RAW
            ),
            filter=Q(stage__in=OPEN_LEAD_STAGES),
        ),
        "lost_on_price": Count(
            "id",
            filter=Q(stage=LeadStage.LOST, lost_reason=LostReason.PRICE, created_at__gte=period.start_dt),
        ),
        "overdue_leads": Count("id", filter=Q(stage__in=OPEN_LEAD_STAGES, next_follow_up__lt=today)),
    }

    complaints = Complaint.objects.filter(
        _store_q(period, "store_id"), created_at__gte=period.start_dt, created_at__lt=period.end_dt
    )
    contacts = Contact.objects.all()
    contact_aggs = {
        "contacts": Count("id"),
        "executives": Count("id", filter=Q(is_executive=True)),
        "decision_makers": Count("id", filter=Q(buying_role=BuyingRole.DECISION_MAKER)),
    }
    agreements = FleetAgreement.objects.filter(status__in=[AgreementStatus.ACTIVE, AgreementStatus.EXPIRED])
    fleet_aggs = {
        "agreements_active": Count(
            "id", filter=Q(status=AgreementStatus.ACTIVE, starts_on__lte=today, ends_on__gte=today)
        ),
        "agreement_days": Max(DaysBetween(F("ends_on"), F("starts_on"))),
        "agreement_volume": _sum("volume_target", filter=Q(status=AgreementStatus.ACTIVE)),
    }
    return {
        "lines": (_grouped(vehicle_lines, "order__customer_id", line_aggs), LINE_COLUMNS),
        "orders": (_grouped(orders, "customer_id", order_aggs), ORDER_COLUMNS),
        "services": (_grouped(services, "customer_id", service_aggs), SERVICE_COLUMNS),
        "activities": (_grouped(activities, "customer_id", activity_aggs), ACTIVITY_COLUMNS),
        "payments": (_grouped(payments, "order__customer_id", payment_aggs), PAYMENT_COLUMNS),
        "leads": (_grouped(leads, "customer_id", lead_aggs), LEAD_COLUMNS),
        "complaints": (_grouped(complaints, "customer_id", {"complaints": Count("id")}), COMPLAINT_COLUMNS),
        "contacts": (_grouped(contacts, "customer_id", contact_aggs), CONTACT_COLUMNS),
        "agreements": (_grouped(agreements, "customer_id", fleet_aggs), FLEET_COLUMNS),
    }


def customers_queryset():
    """The master data of every customer; those without a sale or service in the period are
    dropped after the aggregates, which name the customers who have one."""
    return Customer.objects.order_by("id").values_list(
        "id", "name", "kind", "store_id", "owner_id", "fleet_size"
    )


MONEY_TOTALS = ("revenue", "discounts", "free_extras", "vehicle_gp", "service_revenue", "service_gp")
# The order in which the queries are handed out: the costliest first, so two connections finish
# close together.
QUERY_ORDER = (
    "orders",
    "services",
    "activities",
    "payments",
    "lines",
    "customers",
    "leads",
    "complaints",
    "contacts",
    "agreements",
)


# On SQLite, the covering index each facts query should read (see the models' Meta.indexes). Read
# in customer order, the grouping streams without a temporary B-tree and no table row is touched;
# SQLite's planner prefers the narrower date indexes and a sort, which costs two to three times
# as much on a million rows, so the choice is spelled out. PostgreSQL's planner chooses well.
SQLITE_INDEXES = {
    "lines": {"sales_orderline": "orderline_facts", "sales_order": "order_customer_facts"},
    "orders": {"sales_order": "order_customer_facts"},
    "services": {"aftersales_serviceorder": "serviceorder_customer_facts"},
    "activities": {"sales_activity": "activity_customer_facts"},
    "payments": {"sales_payment": "payment_order_facts", "sales_order": "order_customer_facts"},
}


def _with_index_hints(sql: str, hints: dict) -> str:
    for table, index in hints.items():
        sql, found = re.subn(rf'((?:FROM|JOIN) "{table}")(?= )', rf'\1 INDEXED BY "{index}"', sql)
        if found != 1:
            raise ValueError(f"{table} appears {found} times in the facts query")
    return sql


def query_parallelism(using: str = "default") -> int:
    """How many connections run the facts queries at once: ``KEYACCOUNTS_QUERY_CONNECTIONS``,
    by default 2 on PostgreSQL (one per core of a small server) and 1 on SQLite, whose queries
    in one process gain nothing from a second thread. Inside a transaction only its own
    connection sees its uncommitted rows, so the queries then run on that connection alone."""
    connection = connections[using]
    if connection.in_atomic_block:
        return 1
    default = 1 if connection.vendor == "sqlite" else 2
    return max(1, int(getattr(settings, "KEYACCOUNTS_QUERY_CONNECTIONS", default)))


def facts_fetch(
    period: Period, using: str = "default", *, tables: bool = False, queries: dict | None = None
) -> dict:
    """Run the master query and every grouped query; answer their rows by name.

    The database does the work (grouping a million orders and their lines); with more than one
    connection allowed, helper threads each open their own connection and take the next query
    from the same list, so PostgreSQL aggregates on several cores at once. With ``tables``, each
    grouped result comes as a numpy array, converted by the thread that fetched it while the
    database still works on the next query. ``queries`` are ``facts_queries(period)`` when the
    caller has them already.
    """
    queries = {"customers": (customers_queryset(), ()), **(queries or facts_queries(period))}
    pending = [name for name in QUERY_ORDER if name in queries]
    pending += [name for name in queries if name not in pending]
    compiled = {}
    sqlite = connections[using].vendor == "sqlite"
    for name in pending:
        sql, params = queries[name][0].query.get_compiler(using=using).as_sql()
        if sqlite and name in SQLITE_INDEXES:
            sql = _with_index_hints(sql, SQLITE_INDEXES[name])
        compiled[name] = (sql, params)
    results, errors = {}, []
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not pending or errors:
                    return
                name = pending.pop(0)
            try:
                sql, params = compiled[name]
                with connections[using].cursor() as cursor:
                    cursor.execute(sql, params)
                    rows = cursor.fetchall()
                columns = queries[name][1]
                results[name] = _table(rows, len(columns) + 1) if tables and columns else rows
            except Exception as exc:  # handed to the caller below
                with lock:
                    errors.append(exc)
                return

    def helper():
        try:
            work()
        finally:
            connections[using].close()

    helpers = [threading.Thread(target=helper, daemon=True) for _ in range(query_parallelism(using) - 1)]
    for thread in helpers:
        thread.start()
    work()
    for thread in helpers:
        thread.join()
    if errors:
        raise errors[0]
    return results


def _table(rows, width: int) -> np.ndarray:
    # Every column is numeric (dates come as day numbers), so numpy converts a whole result in one
    # pass; NULL becomes NaN.
    if not rows:
        return np.empty((0, width))
    return np.array(rows, dtype=float)


def customer_facts(period: Period, using: str = "default") -> CustomerFacts:
    """Every fact of every customer in the population: ten queries whatever the number of customers."""
    queries = facts_queries(period)
    fetched = facts_fetch(period, using, tables=True, queries=queries)
    tables = {source: fetched[source] for source in queries}
    active = np.union1d(tables["orders"][:, 0], tables["services"][:, 0]).astype(np.int64)
    customers = fetched["customers"]
    all_ids = np.fromiter((row[0] for row in customers), dtype=np.int64, count=len(customers))
    chosen = np.nonzero(np.isin(all_ids, active))[0]
    master = [customers[i] for i in chosen.tolist()]
    n = len(master)
    facts = CustomerFacts(
        period=period,
        ids=all_ids[chosen],
        names=[row[1] for row in master],
        kinds=[row[2] for row in master],
        store_ids=[row[3] for row in master],
        owner_ids=[row[4] for row in master],
        fleet_size=np.array([row[5] or 0 for row in master], dtype=float),
    )
    for source, (_queryset, columns) in queries.items():
        table = tables[source]
        dates = [j for j, name in enumerate(columns) if name in DATE_COLUMNS]
        block = np.zeros((n, len(columns)), order="F")
        block[:, dates] = np.nan
        if len(table) and n:
            row_ids = table[:, 0].astype(np.int64)
            pos = np.minimum(np.searchsorted(facts.ids, row_ids), n - 1)
            keep = facts.ids[pos] == row_ids
            values = table[keep, 1:]
            numbers = [j for j in range(len(columns)) if j not in dates]
            values[:, numbers] = np.nan_to_num(values[:, numbers])
            block[pos[keep]] = values
        for j, name in enumerate(columns):
            facts.cols[name] = block[:, j]
            if name in MONEY_TOTALS:
                # Each value is a whole number of cents; fsum keeps the total exact to the cent.
                facts.totals[name] = _exact(math.fsum(block[:, j]))
    return facts


def _exact(value) -> Decimal:
    if value is None:
        return Decimal("0.00")
    if isinstance(value, float):
        return Decimal(repr(round(value, 2)))
    return Decimal(value).quantize(Decimal("0.01"))
