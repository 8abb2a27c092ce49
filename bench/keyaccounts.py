"""Benchmark of the key-account analysis against the bare SQL aggregates it is built on.

    DATABASE_URL=sqlite:////tmp/ka/bench.sqlite3 .venv/bin/python bench/keyaccounts.py --customers 100000 --years 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/autosales_bench .venv/bin/python bench/keyaccounts.py ...

An empty database is migrated and filled first with a fast synthetic generator (bulk inserts of
customers, orders with about five lines each, payments, service orders, activities, leads and
complaints; about a million order lines for 100,000 customers over 5 years). Then it times, best
of ``--repeat`` runs:

* bare: the customer query and the nine grouped per-customer queries, executed and fetched on as
  many connections at once as the analysis uses (``KEYACCOUNTS_QUERY_CONNECTIONS``, default 2),
  nothing else;
* analysis: ``analysis_run`` — the same queries plus merging, pyramid, scorecard, Pareto, pitfalls,
  types and RFM;
* CLV: the BG/NBD and Gamma-Gamma fit and predictions on top (reported apart).

Target: the analysis under 2 s and at most 1.5 × the bare aggregates.
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "autosales.settings")


def ensure_postgres_database(url: str):
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    if "postgres" not in cfg["ENGINE"]:
        return
    admin = psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"] or "postgres",
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def fast_insert(model, rows: list[dict], chunk: int = 20000) -> None:
    """Insert dicts of attribute values with executemany: every concrete column, defaults filled in.

    Django's ``bulk_create`` prepares each value of each object; for millions of rows that costs
    far more than the database. Values given here are already in database form.
    """
    from django.db import connection
    from django.utils import timezone

    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_db_prep_save(f.get_default(), connection)
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            cursor.executemany(
                sql, [tuple(r.get(n, defaults[n]) for n in names) for r in rows[start : start + chunk]]
            )


def seed(customers: int, years: int, rng: random.Random, log):
    from django.db import connection, transaction
    from django.utils import timezone

    from autosales.aftersales.models import Complaint, ServiceOrder
    from autosales.core.models import Store, User
    from autosales.inventory.models import Brand, CarModel, Trim, Vehicle
    from autosales.parties.models import Contact, Customer
    from autosales.sales.figures import order_figures_refresh
    from autosales.sales.models import Activity, FleetAgreement, Lead, Order, OrderLine, Payment

    ops = connection.ops
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365 * years)
    days = (today - start).days
    stores = [
        Store.objects.get_or_create(code=f"BN{i:02d}", defaults={"name": f"Bench store {i}"})[0]
        for i in range(1, 5)
    ]
    users = [
        User.objects.get_or_create(username=f"bench{i}", defaults={"role": "salesperson", "store": s})[0]
        for i, s in enumerate(stores)
    ]
    brand = Brand.objects.get_or_create(name="Bench", defaults={"name_en": "Bench"})[0]
    trims = []
    for m in range(6):
        model = CarModel.objects.get_or_create(brand=brand, name=f"Model {m}")[0]
        for t in range(3):
            trims.append(
                Trim.objects.get_or_create(
                    car_model=model,
                    code=f"BT{m}{t}",
                    defaults={
                        "name": f"Trim {m}.{t}",
                        "model_year": 2026,
                        "msrp": Decimal(120000 + 40000 * m + 15000 * t),
                        "standard_cost": Decimal(105000 + 36000 * m + 13000 * t),
                    },
                )[0]
            )
    started = time.monotonic()

    def at(day):
        return ops.adapt_datetimefield_value(
            timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        )

    def d(day):
        return ops.adapt_datefield_value(day)

    def money(value):
        return str(value)

    def stage(label, count):
        log(f"  {label} {count} ({time.monotonic() - started:.0f} s)")

    with transaction.atomic():
        rows = []
        for i in range(customers):
            store_index = i % 4
            company = rng.random() < 0.01
            rows.append(
                {
                    "kind": "company" if company else "person",
                    "name": f"Bench customer {i}",
                    "mobile": "" if company else f"13{i:09d}",
                    "store_id": stores[store_index].pk,
                    "owner_id": users[store_index].pk,
                    "fleet_size": rng.randint(10, 300) if company else None,
                }
            )
        fast_insert(Customer, rows)
        stage("customers", len(rows))
    people = list(
        Customer.objects.filter(name__startswith="Bench customer")
        .order_by("id")
        .values_list("id", "kind", "store_id")
    )

    with transaction.atomic():
        orders, order_lines = [], []
        number = 0
        for cid, kind, store_id in people:
            count = rng.randint(8, 30) if kind == "company" else rng.choice((0, 1, 1, 1, 2, 2, 3, 4))
            for _ in range(count):
                number += 1
                day = start + datetime.timedelta(days=rng.randrange(days))
                trim = rng.choice(trims)
                qty = rng.randint(2, 12) if kind == "company" else 1
                discount = Decimal(rng.randrange(0, int(trim.msrp * Decimal("0.08")), 100))
                cost = trim.standard_cost + Decimal(rng.randrange(-3000, 3000, 100))
                free = rng.random() < 0.4
                spec = [
                    ("vehicle", trim.pk, qty, trim.msrp, discount, cost, Decimal(0), False),
                    ("insurance", None, 1, Decimal(6000), Decimal(0), Decimal(5200), Decimal(600), False),
                    (
                        "accessory",
                        None,
                        1,
                        Decimal(2500),
                        Decimal(2500) if free else Decimal(0),
                        Decimal(1100),
                        Decimal(0),
                        free,
                    ),
                ]
                if rng.random() < 0.5:
                    spec.append(
                        (
                            "financing",
                            None,
                            1,
                            Decimal(0),
                            Decimal(0),
                            Decimal(0),
                            Decimal(rng.randrange(1000, 5000, 100)),
                            False,
                        )
                    )
                if rng.random() < 0.6:
                    spec.append(
                        (
                            "service_package",
                            None,
                            1,
                            Decimal(3800),
                            Decimal(0),
                            Decimal(2100),
                            Decimal(0),
                            False,
                        )
                    )
                if rng.random() < 0.3:
                    spec.append(("fee", None, 1, Decimal(500), Decimal(0), Decimal(300), Decimal(0), False))
                total = sum((price - disc) * q for _k, _t, q, price, disc, _c, _i, _f in spec)
                list_total = sum(price * q for _k, _t, q, price, _d, _c, _i, _f in spec)
                cost_total = sum(cost * q for _k, _t, q, _p, _d, cost, _i, _f in spec)
                income_total = sum(income for _k, _t, _q, _p, _d, _c, income, _f in spec)
                orders.append(
                    {
                        "store_id": store_id,
                        "customer_id": cid,
                        "number": f"BN-{number:08d}",
                        "status": rng.choice(
                            ("confirmed", "paid", "delivered", "closed", "closed", "cancelled")
                        ),
                        "order_date": d(day),
                        "is_fleet": kind == "company",
                        "total": money(total),
                        "list_total": money(list_total),
                        "discount_total": money(list_total - total),
                        "cost_total": money(cost_total),
                        "income_total": money(income_total),
                    }
                )
                order_lines.append((day, total, spec))
        fast_insert(Order, orders)
        stage("orders", len(orders))
        order_ids = list(
            Order.objects.filter(number__startswith="BN-").order_by("number").values_list("id", flat=True)
        )
        lines, payments = [], []
        for oid, (day, total, spec) in zip(order_ids, order_lines, strict=True):
            for kind, trim_id, qty, price, disc, cost, income, free in spec:
                lines.append(
                    {
                        "order_id": oid,
                        "kind": kind,
                        "trim_id": trim_id,
                        "quantity": qty,
                        "unit_price": money(price),
                        "unit_discount": money(disc),
                        "unit_cost": money(cost),
                        "income": money(income),
                        "is_free": free,
                        "term_months": 36 if kind == "financing" else None,
                        "annual_rate": "0.0399" if kind == "financing" else None,
                    }
                )
            due = day + datetime.timedelta(days=14)
            paid = due + datetime.timedelta(days=rng.choice((0, 0, 0, 2, 5, 20)))
            payments.append(
                {"order_id": oid, "kind": "deposit", "amount": "5000", "paid_at": at(day), "due_date": d(day)}
            )
            payments.append(
                {
                    "order_id": oid,
                    "kind": "balance",
                    "amount": money(max(total - 5000, Decimal(1))),
                    "paid_at": at(paid),
                    "due_date": d(due),
                }
            )
        fast_insert(OrderLine, lines)
        order_figures_refresh(Order.objects.all())
        stage("order lines", len(lines))
        fast_insert(Payment, payments)
        stage("payments", len(payments))

    with transaction.atomic():
        serviced = [p for p in people if rng.random() < 0.7]
        fast_insert(
            Vehicle,
            [
                {
                    "vin": f"BNCH{n:013d}",
                    "vin_tail": f"{n:06d}"[-6:],
                    "trim_id": trims[0].pk,
                    "store_id": store_id,
                    "status": "sold",
                }
                for n, (_cid, _kind, store_id) in enumerate(serviced)
            ],
        )
        vehicle_ids = dict(Vehicle.objects.filter(vin__startswith="BNCH").values_list("vin", "id"))
        services, number = [], 0
        for n, (cid, _kind, store_id) in enumerate(serviced):
            vid = vehicle_ids[f"BNCH{n:013d}"]
            for _ in range(rng.randint(1, 6)):
                number += 1
                day = start + datetime.timedelta(days=rng.randrange(days))
                labour = Decimal(rng.randrange(200, 3000, 10))
                parts = Decimal(rng.randrange(0, 5000, 10))
                services.append(
                    {
                        "number": f"BS-{number:08d}",
                        "store_id": store_id,
                        "customer_id": cid,
                        "vehicle_id": vid,
                        "kind": rng.choice(("maintenance", "maintenance", "repair", "warranty")),
                        "status": "closed",
                        "mileage_km": 1000 * number % 200000,
                        "opened_at": at(day),
                        "closed_at": at(day),
                        "labour_revenue": money(labour),
                        "labour_cost": money(labour * Decimal("0.4")),
                        "parts_revenue": money(parts),
                        "parts_cost": money(parts * Decimal("0.7")),
                    }
                )
        fast_insert(ServiceOrder, services)
        stage("service orders", len(services))
        activities, leads, complaints = [], [], []
        kinds = ("call", "call", "visit", "message", "follow_up", "consultation")
        for cid, _kind, store_id in people:
            for _ in range(rng.randint(1, 9)):
                kind = rng.choice(kinds)
                day = start + datetime.timedelta(days=rng.randrange(days))
                activities.append(
                    {
                        "customer_id": cid,
                        "store_id": store_id,
                        "kind": kind,
                        "occurred_at": at(day),
                        "due_date": d(day + datetime.timedelta(days=7)) if kind == "follow_up" else None,
                        "completed_at": at(day) if kind != "follow_up" or rng.random() < 0.8 else None,
                    }
                )
            if rng.random() < 0.6:
                leads.append(
                    {
                        "store_id": store_id,
                        "customer_id": cid,
                        "stage": rng.choice(("new", "contacted", "quoted")),
                        "probability": rng.choice((10, 20, 60)),
                        "expected_value": money(Decimal(rng.randrange(100000, 400000, 1000))),
                        "next_follow_up": d(today + datetime.timedelta(days=rng.randint(-30, 30))),
                    }
                )
            if rng.random() < 0.02:
                complaints.append(
                    {
                        "customer_id": cid,
                        "store_id": store_id,
                        "category": "sales",
                        "description": "bench",
                        "due_date": d(today),
                    }
                )
        fast_insert(Activity, activities)
        fast_insert(Lead, leads)
        fast_insert(Complaint, complaints)
        stage(f"activities {len(activities)}, leads {len(leads)}, complaints", len(complaints))
        companies = [p for p in people if p[1] == "company"]
        FleetAgreement.objects.bulk_create(
            [
                FleetAgreement(
                    customer_id=cid,
                    store_id=store_id,
                    number=f"BF-{cid}",
                    status="active",
                    starts_on=today - datetime.timedelta(days=200),
                    ends_on=today + datetime.timedelta(days=500),
                    volume_target=50,
                )
                for cid, _k, store_id in companies[: len(companies) // 2]
            ]
        )
        Contact.objects.bulk_create(
            [
                Contact(customer_id=cid, name="经理", is_executive=True, buying_role="decision_maker")
                for cid, _k, _s in companies[::3]
            ]
        )


def best_of(repeat, fn):
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--months", type=int, default=36, help="analysis period")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from autosales.keyaccounts.facts import Period, facts_fetch, query_parallelism
    from autosales.keyaccounts.selectors import analysis_run, clv_estimates
    from autosales.parties.models import Customer
    from autosales.sales.models import OrderLine

    call_command("migrate", verbosity=0)
    if not Customer.objects.exists():
        print(f"Seeding {args.customers} customers over {args.years} years …", flush=True)
        seed(args.customers, args.years, random.Random(args.seed), lambda m: print(m, flush=True))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    print(
        f"{connection.vendor}: {Customer.objects.count()} customers, {OrderLine.objects.count()} order lines"
    )

    period = Period.build(months=args.months)

    def bare():
        return sum(len(rows) for rows in facts_fetch(period).values())

    def full():
        return analysis_run(months=args.months)

    bare()  # warm the cache of the database
    bare_time, rows = best_of(args.repeat, bare)
    full_time, analysis = best_of(args.repeat, full)
    clv_time, _ = best_of(1, lambda: clv_estimates(analysis))
    print(f"bare SQL aggregates : {bare_time:6.2f} s ({rows} rows, {query_parallelism()} connections)")
    print(
        f"full analysis       : {full_time:6.2f} s ({analysis.n} customers) = {full_time / bare_time:.2f} × bare"
    )
    print(f"CLV fit + forecasts : {clv_time:6.2f} s more")
    verdict = "OK" if full_time < 2 and full_time <= 1.5 * bare_time else "MISSED"
    print(f"target (< 2 s and ≤ 1.5 × bare): {verdict}")


if __name__ == "__main__":
    main()
