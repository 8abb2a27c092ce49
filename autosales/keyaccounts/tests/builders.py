"""A small dealership whose key-account figures are worked out by hand in the tests."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from autosales.aftersales.models import Complaint, ServiceOrder
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.inventory.tests.factories import TrimFactory, VehicleFactory
from autosales.keyaccounts.models import AnalysisSettings, CostToServeRate, ScorecardIndicator
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales.choices import ActivityKind, LeadStage, LineKind, LostReason, PaymentKind
from autosales.sales.figures import order_figures_refresh
from autosales.sales.models import Activity, Lead, Order, OrderLine, Payment
from autosales.sales.pricing import document_totals

END = datetime.date(2026, 6, 30)
D = Decimal
_numbers = itertools.count(1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def configure(*, vip="0.01", major="0.04", ordinary="0.15", indicators=None, **extra):
    row = AnalysisSettings.current()
    row.vip_share, row.major_share, row.ordinary_share = D(vip), D(major), D(ordinary)
    for name, value in extra.items():
        setattr(row, name, value)
    row.save()
    CostToServeRate.objects.update_or_create(activity_kind=ActivityKind.CALL, defaults={"rate": D("20.00")})
    CostToServeRate.objects.update_or_create(activity_kind=ActivityKind.VISIT, defaults={"rate": D("150.00")})
    CostToServeRate.objects.update_or_create(
        activity_kind=ActivityKind.CONSULTATION, defaults={"rate": D("500.00")}
    )
    if indicators is not None:
        ScorecardIndicator.objects.update(is_active=False, weight=D("0"))
        for code, group, weight in indicators:
            ScorecardIndicator.objects.update_or_create(
                indicator=code, defaults={"group": group, "weight": D(weight), "is_active": True}
            )
    from autosales.keyaccounts.selectors import analysis_cache_clear

    analysis_cache_clear()


def order(customer, day, lines, *, store=None, total=None, status="confirmed"):
    store = store or customer.store
    o = Order.objects.create(
        store=store,
        customer=customer,
        salesperson=customer.owner,
        number=f"KA-{next(_numbers):06d}",
        status=status,
        order_date=day,
    )
    created = []
    for spec in lines:
        spec = dict(spec)
        spec.setdefault("kind", LineKind.VEHICLE)
        spec.setdefault("quantity", 1)
        if spec["kind"] == LineKind.VEHICLE:
            spec.setdefault("trim", TrimFactory())
        if spec.get("is_free"):
            spec["unit_discount"] = spec["unit_price"]
        money_keys = {"unit_price", "unit_discount", "unit_cost", "income"}
        line = OrderLine.objects.create(
            order=o, **{k: (D(v) if k in money_keys else v) for k, v in spec.items()}
        )
        created.append(line)
    totals = document_totals(created)
    o.list_total, o.discount_total = totals.list_total, totals.discount_total
    o.cost_total, o.income_total, o.trade_in_credit = (
        totals.cost_total,
        totals.income_total,
        totals.trade_in_credit,
    )
    o.total = D(total) if total is not None else totals.total
    o.save(
        update_fields=[
            "list_total",
            "discount_total",
            "total",
            "cost_total",
            "income_total",
            "trade_in_credit",
        ]
    )
    order_figures_refresh(Order.objects.filter(pk=o.pk))
    return o


def service(
    customer,
    day,
    *,
    store=None,
    labour="0",
    parts="0",
    discount="0",
    warranty="0",
    labour_cost="0",
    parts_cost="0",
    kind="maintenance",
):
    return ServiceOrder.objects.create(
        number=f"KS-{next(_numbers):06d}",
        store=store or customer.store,
        customer=customer,
        vehicle=VehicleFactory(),
        kind=kind,
        status="closed",
        mileage_km=1000,
        opened_at=at(day),
        closed_at=at(day, 16),
        labour_revenue=D(labour),
        parts_revenue=D(parts),
        discount=D(discount),
        warranty_claim=D(warranty),
        labour_cost=D(labour_cost),
        parts_cost=D(parts_cost),
    )


def activities(customer, kind, count, day, *, store=None, **extra):
    for _ in range(count):
        Activity.objects.create(
            customer=customer, store=store or customer.store, kind=kind, occurred_at=at(day), **extra
        )


def payment(order_, kind, amount, due, paid):
    return Payment.objects.create(order=order_, kind=kind, amount=D(amount), due_date=due, paid_at=at(paid))


def dealership():
    """Five customers of one store (A company, B–E persons); figures in the tests' docstrings."""
    store = StoreFactory(code="KA01")
    manager = UserFactory(username="ka_manager", role="sales_manager", store=store)
    a = CustomerFactory(company=True, store=store, name="A 物流", owner=manager)
    b = CustomerFactory(store=store, name="B", owner=manager)
    c = CustomerFactory(store=store, name="C", owner=manager)
    d = CustomerFactory(store=store, name="D", owner=manager)
    e = CustomerFactory(store=store, name="E", owner=manager)
    order_a = order(
        a,
        datetime.date(2026, 3, 1),
        [
            {"unit_price": "200000", "unit_discount": "10000", "unit_cost": "170000", "quantity": 2},
            {
                "kind": LineKind.FINANCING,
                "unit_price": "0",
                "income": "3000",
                "term_months": 36,
                "annual_rate": D("0.0400"),
            },
            {"kind": LineKind.ACCESSORY, "unit_price": "2000", "unit_cost": "800", "is_free": True},
            {"kind": LineKind.INSURANCE, "unit_price": "5000", "unit_cost": "4000", "income": "500"},
        ],
    )
    payment(order_a, PaymentKind.DEPOSIT, "50000", datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))
    payment(order_a, PaymentKind.BALANCE, "335000", datetime.date(2026, 3, 10), datetime.date(2026, 3, 20))
    service(
        a,
        datetime.date(2026, 4, 1),
        labour="1000",
        parts="2000",
        discount="200",
        labour_cost="400",
        parts_cost="1200",
    )
    activities(a, ActivityKind.CALL, 2, datetime.date(2026, 2, 1))
    activities(a, ActivityKind.CONSULTATION, 1, datetime.date(2026, 2, 2))
    Lead.objects.create(
        store=store,
        customer=a,
        owner=manager,
        stage=LeadStage.QUOTED,
        probability=40,
        expected_value=D("1000000"),
    )
    Lead.objects.create(
        store=store,
        customer=a,
        owner=manager,
        stage=LeadStage.LOST,
        probability=0,
        expected_value=D("500000"),
        lost_reason=LostReason.COMPETITOR,
    )
    order(
        b,
        datetime.date(2025, 5, 10),
        [{"unit_price": "150000", "unit_discount": "3000", "unit_cost": "140000"}],
    )
    activities(b, ActivityKind.VISIT, 10, datetime.date(2025, 5, 1))
    Complaint.objects.create(
        customer=b, store=store, category="sales", description="slow", due_date=datetime.date(2025, 6, 1)
    )
    Complaint.objects.filter(customer=b).update(created_at=at(datetime.date(2025, 6, 1)))
    order(
        c,
        datetime.date(2026, 1, 15),
        [
            {"unit_price": "120000", "unit_discount": "12000", "unit_cost": "110000"},
            {"kind": LineKind.ACCESSORY, "unit_price": "3000", "unit_cost": "1500", "is_free": True},
        ],
    )
    activities(c, ActivityKind.VISIT, 4, datetime.date(2026, 1, 1))
    for customer in (d, e):
        order(customer, datetime.date(2025, 1, 10), [{"unit_price": "100000", "unit_cost": "95000"}])
    # Outside the period or not a sale: must not count.
    order(b, datetime.date(2023, 6, 30), [{"unit_price": "90000", "unit_cost": "10000"}])
    order(b, datetime.date(2026, 2, 1), [{"unit_price": "90000", "unit_cost": "10000"}], status="cancelled")
    return {"store": store, "manager": manager, "A": a, "B": b, "C": c, "D": d, "E": e}


def synthetic(rows, *, end=END):
    """Facts arrays straight from dicts (one per customer), for checks that need many shapes of customer."""
    import numpy as np

    from autosales.keyaccounts import facts as f

    columns = (
        f.LINE_COLUMNS
        + f.ORDER_COLUMNS
        + f.SERVICE_COLUMNS
        + f.ACTIVITY_COLUMNS
        + f.PAYMENT_COLUMNS
        + f.LEAD_COLUMNS
        + f.COMPLAINT_COLUMNS
        + f.CONTACT_COLUMNS
        + f.FLEET_COLUMNS
    )
    n = len(rows)
    facts = f.CustomerFacts(
        period=f.Period(end=end, months=36),
        ids=np.arange(1, n + 1, dtype=np.int64),
        names=[r.get("name", f"c{i + 1}") for i, r in enumerate(rows)],
        kinds=["company"] * n,
        store_ids=[1] * n,
        owner_ids=[None] * n,
        fleet_size=np.array([float(r.get("fleet_size", 0)) for r in rows]),
    )
    for name in columns:
        default = np.nan if name in f.DATE_COLUMNS else 0.0
        facts.cols[name] = np.array([float(r.get(name, default)) for r in rows])
    return facts


def buyer(revenue, gp, *, orders=1, cost=0, **extra):
    """A customer with one vehicle order worth ``revenue`` and gross margin ``gp``; visits cost ``cost``."""
    day = float(END.toordinal()) - 30
    row = {
        "revenue": revenue,
        "list_value": revenue,
        "vehicle_gp": gp,
        "vehicles": orders,
        "orders": orders,
        "max_order": revenue / orders,
        "first_order": day,
        "last_order": day,
        "orders_recent": orders,
        "revenue_recent": revenue,
        "act_visit": cost / 150,
    }
    row.update(extra)
    return row
