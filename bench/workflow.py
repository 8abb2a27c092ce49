"""Benchmark of the sales workflow through the services the web app calls.

    .venv/bin/python bench/workflow.py                       # 10,000 quotes, SQLite then PostgreSQL
    .venv/bin/python bench/workflow.py --quotes 2000 --databases sqlite --workers 1

On a fresh database per run (``var/bench/workflow.sqlite3``; PostgreSQL ``autosales_bench_workflow``,
both dropped and created again; PostgreSQL over its Unix socket when there is one, as in
``bench/api_load.py``) it creates a store, a salesperson, a trim and customers, then:

* quotes: for each quote, ``quote_create`` + ``quote_line_add`` (a vehicle of the trim, priced from
  the catalogue) + ``quote_submit`` (checked against the discount policy, approved within the
  salesperson's authority) — numbering, validation, row locks and events as in the web app;
* confirmations: for each approved quote, ``quote_accept`` + ``order_create_from_quote`` +
  ``order_confirm``.

``--workers`` processes share the work (each its own connection, as gunicorn workers do), so the
numbering and row locks are exercised under concurrency. It prints quotes/s and confirmations/s
(wall time from a common start to the last worker's end), then checks that every quote and order
has a distinct number and that the expected events were written.

Target: at least 700 quotes/s and 200 confirmations/s.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    BENCH_DIR,
    BENCH_PG,
    PYTHON,
    database_create,
    database_label,
    django_setup,
    manage,
    sqlite_url,
    table,
)

TARGET_QUOTES = 700
TARGET_CONFIRMATIONS = 200
CUSTOMERS = 1000


def _fixtures():
    from autosales.core.models import Store, User
    from autosales.inventory.models import Trim

    store = Store.objects.get(code="WF01")
    salesperson = User.objects.get(username="wf.sales")
    trim = Trim.objects.get(code="WF-T1")
    return store, salesperson, trim


def child_setup(args):
    """Runs in a child: store, salesperson, trim and customers (not timed)."""
    import random
    from decimal import Decimal

    from autosales.core.identity import make_mobile
    from autosales.core.models import Store, User
    from autosales.inventory.models import Brand, CarModel, Trim
    from autosales.parties.models import Customer

    store = Store.objects.create(code="WF01", name="Workflow bench store")
    User.objects.create_user(username="wf.sales", password="x" * 12, role="salesperson", store=store)
    brand = Brand.objects.create(name="Workflow bench")
    car_model = CarModel.objects.create(brand=brand, name="Bench model")
    Trim.objects.create(
        car_model=car_model,
        code="WF-T1",
        name="Bench trim",
        model_year=2026,
        msrp=Decimal("200000.00"),
        standard_cost=Decimal("170000.00"),
    )
    rng = random.Random(7)
    mobiles = set()
    while len(mobiles) < CUSTOMERS:
        mobiles.add(make_mobile(rng))
    Customer.objects.bulk_create(
        [
            Customer(name=f"Workflow customer {i}", mobile=m, store=store)
            for i, m in enumerate(sorted(mobiles))
        ]
    )


def _wait(start_at: float):
    while (delay := start_at - time.time()) > 0:
        time.sleep(min(delay, 0.05))


def child_quotes(args):
    from autosales.parties.models import Customer
    from autosales.sales import services
    from autosales.sales.choices import QuoteStatus

    store, salesperson, trim = _fixtures()
    customers = list(Customer.objects.filter(store=store).order_by("id"))
    mine = range(args.index, args.count, args.workers)
    _wait(args.start_at)
    for n in mine:
        quote = services.quote_create(actor=salesperson, customer=customers[n % len(customers)])
        services.quote_line_add(quote=quote, actor=salesperson, kind="vehicle", trim=trim)
        quote = services.quote_submit(quote=quote, actor=salesperson)
        if quote.status != QuoteStatus.APPROVED:
            raise SystemExit(f"quote {quote.number} is {quote.status}, expected approved")
    print(json.dumps({"end": time.time(), "done": len(mine)}))


def child_confirm(args):
    from autosales.sales import services
    from autosales.sales.choices import OrderStatus, QuoteStatus
    from autosales.sales.models import Quote

    _store, salesperson, _trim = _fixtures()
    quotes = list(Quote.objects.filter(status=QuoteStatus.APPROVED).order_by("id"))[
        args.index :: args.workers
    ]
    _wait(args.start_at)
    for quote in quotes:
        services.quote_accept(quote=quote, actor=salesperson)
        order = services.order_create_from_quote(quote=quote, actor=salesperson)
        order = services.order_confirm(order=order, actor=salesperson)
        if order.status != OrderStatus.CONFIRMED:
            raise SystemExit(f"order {order.number} is {order.status}, expected confirmed")
    print(json.dumps({"end": time.time(), "done": len(quotes)}))


def child_check(args):
    from django.db.models import Count

    from autosales.core.models import Event
    from autosales.sales.choices import OrderStatus, QuoteStatus
    from autosales.sales.models import Order, Quote

    quotes = Quote.objects.aggregate(n=Count("id"), numbers=Count("number", distinct=True))
    orders = Order.objects.aggregate(n=Count("id"), numbers=Count("number", distinct=True))
    print(
        json.dumps(
            {
                "quotes": quotes["n"],
                "quote_numbers": quotes["numbers"],
                "accepted": Quote.objects.filter(status=QuoteStatus.ACCEPTED).count(),
                "orders": orders["n"],
                "order_numbers": orders["numbers"],
                "confirmed": Order.objects.filter(status=OrderStatus.CONFIRMED).count(),
                "events": Event.objects.count(),
            }
        )
    )


CHILDREN = {"setup": child_setup, "quotes": child_quotes, "confirm": child_confirm, "check": child_check}


def _child(url: str, phase: str, **options) -> subprocess.Popen:
    command = [PYTHON, __file__, "--child", phase, "--url", url]
    for key, value in options.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> dict:
    out, _err = process.communicate(timeout=3600)
    if process.returncode:
        raise RuntimeError(f"worker failed ({process.returncode}): {out[-500:]}")
    return json.loads(out.strip().splitlines()[-1]) if out.strip() else {}


def _phase(url, phase, args) -> tuple[float, int]:
    # Children start Django first and begin together, so start-up is not timed.
    start_at = time.time() + 4 + args.workers
    processes = [
        _child(url, phase, index=i, workers=args.workers, count=args.quotes, start_at=start_at)
        for i in range(args.workers)
    ]
    results = [_finish(p) for p in processes]
    return max(r["end"] for r in results) - start_at, sum(r["done"] for r in results)


def run_database(url: str, args, log) -> list:
    label = database_label(url)
    log(f"{label}: {url} (fresh database)")
    database_create(url, fresh=True)
    manage(url, "migrate", "--noinput", "-v", "0")
    _finish(_child(url, "setup"))
    seconds, quotes = _phase(url, "quotes", args)
    log(f"  {quotes} quotes in {seconds:.1f} s: {quotes / seconds:.0f} quotes/s")
    seconds_c, confirmed = _phase(url, "confirm", args)
    log(f"  {confirmed} confirmations in {seconds_c:.1f} s: {confirmed / seconds_c:.0f} confirmations/s")
    check = _finish(_child(url, "check"))
    ok = (
        check["quotes"] == check["quote_numbers"] == check["accepted"] == args.quotes
        and check["orders"] == check["order_numbers"] == check["confirmed"] == args.quotes
    )
    log(f"  check: {check} -> {'consistent' if ok else 'INCONSISTENT'}")
    return [
        label,
        args.workers,
        quotes,
        f"{quotes / seconds:.0f}",
        "ok" if quotes / seconds >= TARGET_QUOTES else "MISS",
        f"{confirmed / seconds_c:.0f}",
        "ok" if confirmed / seconds_c >= TARGET_CONFIRMATIONS else "MISS",
        check["events"],
        "yes" if ok else "NO",
    ]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quotes", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="concurrent worker processes")
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--sqlite", default=str(BENCH_DIR / "workflow.sqlite3"))
    parser.add_argument("--pg", default=BENCH_PG + "_workflow")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        django_setup(args.url)
        CHILDREN[args.child](args)
        return

    def log(message):
        print(message, flush=True)

    urls = []
    for name in args.databases.split(","):
        name = name.strip().lower()
        if name == "sqlite":
            urls.append(sqlite_url(Path(args.sqlite)))
        elif name in ("postgres", "postgresql", "pg"):
            urls.append(args.pg)
        else:
            parser.error(f"unknown database {name!r}")
    rows = [run_database(url, args, log) for url in urls]
    print()
    print(f"target: >= {TARGET_QUOTES} quotes/s and >= {TARGET_CONFIRMATIONS} confirmations/s")
    table(
        ["database", "workers", "quotes", "quotes/s", "", "confirmations/s", "", "events", "consistent"],
        rows,
    )


if __name__ == "__main__":
    main()
