"""Benchmark of the historical orders import.

Generates an orders CSV (default 100,000 lines) for customers and trims it creates first, imports it
through the same code as `autosales import orders`, and prints the rate.

    .venv/bin/python bench/import.py                 # throwaway SQLite database
    .venv/bin/python bench/import.py --lines 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/autosales_bench .venv/bin/python bench/import.py
"""

import argparse
import csv
import datetime
import io
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--profile", help="write cProfile statistics of the import to this file")
    parser.add_argument("--keep", action="store_true", help="keep the generated CSV and SQLite file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="autosales-bench-"))
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "autosales.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from autosales.core.identity import make_mobile, make_vin
    from autosales.core.models import Store
    from autosales.exchange.services import exchange_import
    from autosales.inventory.models import Brand, CarModel, Trim
    from autosales.parties.models import Customer
    from autosales.sales.models import Order, OrderLine

    rng = random.Random(2026)
    store, _created = Store.objects.get_or_create(code="BENCH", defaults={"name": "Bench store"})
    brand, _created = Brand.objects.get_or_create(name="基准品牌")
    car_model, _created = CarModel.objects.get_or_create(brand=brand, name="基准车型")
    trims = []
    for n in range(10):
        trim, _created = Trim.objects.get_or_create(
            code=f"BENCH-{n}",
            defaults={
                "car_model": car_model,
                "name": f"配置{n}",
                "model_year": 2025,
                "msrp": Decimal(150000 + n * 10000),
                "standard_cost": Decimal(130000 + n * 9000),
            },
        )
        trims.append(trim)
    mobiles = set(Customer.objects.values_list("mobile", flat=True))
    new = []
    while len(new) < args.customers:
        mobile = make_mobile(rng)
        if mobile in mobiles:
            continue
        mobiles.add(mobile)
        new.append(Customer(name=f"基准客户{len(new)}", mobile=mobile, store=store))
    Customer.objects.bulk_create(new, batch_size=1000)
    customer_mobiles = [c.mobile for c in new]

    started = time.perf_counter()
    header = [
        "order_number",
        "order_date",
        "store",
        "customer_mobile",
        "kind",
        "vin",
        "trim_code",
        "quantity",
        "unit_price",
        "discount",
        "unit_cost",
        "income",
        "term_months",
        "annual_rate",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    vins = set()
    lines = 0
    order_no = 0
    start_date = datetime.date(2021, 1, 1)
    while lines < args.lines:
        order_no += 1
        number = f"BENCH-{order_no:07d}"
        day = (start_date + datetime.timedelta(days=rng.randint(0, 1400))).isoformat()
        mobile = rng.choice(customer_mobiles)
        trim = rng.choice(trims)
        vin = make_vin(rng)
        while vin in vins:
            vin = make_vin(rng)
        vins.add(vin)
        writer.writerow(
            [
                number,
                day,
                "BENCH",
                mobile,
                "vehicle",
                vin,
                trim.code,
                1,
                trim.msrp,
                rng.randint(0, 8000),
                trim.standard_cost,
                0,
                "",
                "",
            ]
        )
        lines += 1
        for _extra in range(rng.randint(0, 3)):
            if lines >= args.lines:
                break
            kind = rng.choice(["accessory", "insurance", "financing", "service_package"])
            term, rate = ("36", "0.0450") if kind == "financing" else ("", "")
            writer.writerow(
                [
                    number,
                    day,
                    "BENCH",
                    mobile,
                    kind,
                    "",
                    "",
                    rng.randint(1, 3),
                    f"{rng.randint(500, 9000)}.{rng.randint(0, 99):02d}",
                    0,
                    f"{rng.randint(100, 400)}.50",
                    rng.randint(0, 900),
                    term,
                    rate,
                ]
            )
            lines += 1
    data = buffer.getvalue().encode("utf-8")
    generated = time.perf_counter() - started
    if args.keep:
        (workdir / "orders.csv").write_bytes(data)

    started = time.perf_counter()
    cpu_started = time.process_time()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    report = exchange_import(entity="orders", data=data, filename="orders.csv")
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    if not report.committed:
        for error in report.errors[:20]:
            print(f"line {error.line}: {report.error_text(error)}")
        raise SystemExit("import refused")
    print(f"database: {django.db.connection.vendor}")
    print(f"generated {lines} lines ({order_no} orders, {len(data) / 1e6:.1f} MB) in {generated:.1f} s")
    print(f"imported {lines} lines in {seconds:.1f} s: {lines / seconds:,.0f} rows/s")
    # CPU time of this process: what the import costs when the machine is not shared.
    print(f"CPU time of the import: {cpu_seconds:.1f} s")
    print(f"orders in database: {Order.objects.count()}, lines: {OrderLine.objects.count()}")
    if not args.keep and os.environ["DATABASE_URL"].startswith("sqlite:///" + str(workdir)):
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
