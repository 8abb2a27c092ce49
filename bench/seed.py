"""Benchmark of the demo seed: wall and CPU time, peak memory, rows and profit concentration.

    .venv/bin/python bench/seed.py                                  # default demo: 600 customers, 3 years
    .venv/bin/python bench/seed.py --customers 100000 --years 5     # SQLite file under var/bench/
    .venv/bin/python bench/seed.py --database postgres://postgres@127.0.0.1:5432/autosales_bench ...

The database is emptied and migrated first. Targets: the default demo under 15 s; 100,000
customers over 5 years in under 5 minutes on SQLite (CPU time is printed too, because a shared
machine stretches wall time).
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "autosales.settings")

from bench._common import BENCH_DIR, database_create, database_label, sqlite_url  # noqa: E402


def profit_concentration():
    """Share of order-line gross profit brought by the top 20% of buying customers, and loss-makers."""
    from django.db.models import DecimalField, ExpressionWrapper, F, Sum

    from autosales.sales.choices import SOLD_ORDER_STATUSES, LineKind
    from autosales.sales.models import OrderLine

    profit = ExpressionWrapper(
        (F("unit_price") - F("unit_discount") - F("unit_cost")) * F("quantity") + F("income"),
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )
    per_customer = sorted(
        (
            row["profit"]
            for row in OrderLine.objects.filter(order__status__in=SOLD_ORDER_STATUSES)
            .exclude(kind=LineKind.TRADE_IN)
            .values("order__customer")
            .annotate(profit=Sum(profit))
        ),
        reverse=True,
    )
    total = sum(per_customer)
    top = sum(per_customer[: round(len(per_customer) * 0.2)])
    return (top / total if total else 0), sum(1 for value in per_customer if value < 0), len(per_customer)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=600)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="Database URL (default: a fresh SQLite file under var/bench/).")
    args = parser.parse_args()

    url = args.database or sqlite_url(BENCH_DIR / "seed.sqlite3")
    database_create(url, fresh=True)
    os.environ["DATABASE_URL"] = url

    import django

    django.setup()
    from django.core.management import call_command

    from autosales.core.demo.seed import seed_database

    call_command("migrate", verbosity=0)
    print(f"Seeding {args.customers} customers over {args.years} years on {database_label(url)}", flush=True)
    wall, cpu = time.monotonic(), time.process_time()
    counts = seed_database(
        customers=args.customers, years=args.years, seed=args.seed, log=lambda m: print(m, flush=True)
    )
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    rows = sum(counts.values())
    share, losers, buyers = profit_concentration()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for label, count in counts.items():
        print(f"  {label:<32} {count:>10}")
    print(
        f"rows {rows}, wall {wall:.1f} s, CPU {cpu:.1f} s, {rows / wall:,.0f} rows/s, peak memory {peak:.0f} MB"
    )
    print(f"top 20% of {buyers} buying customers bring {share:.1%} of gross profit; {losers} lose money")


if __name__ == "__main__":
    main()
