"""First page against a page deep in a 1,000,000-row list, through the real list views.

    .venv/bin/python bench/pages.py                       # var/bench/pages.sqlite3, reused once filled
    .venv/bin/python bench/pages.py --rows 200000
    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/autosales_bench_pages

A dedicated database is migrated and filled with ``--rows`` customers over four stores by plain
multi-row inserts (no validation, no events; about a minute for a million on SQLite). It is reused
when it already holds that many customers. Each case is requested ``--repeat`` times through
Django's test client (URL routing, scope, filterset, serializer or template: everything but the
network) and the median is printed:

* web list ``/customers/`` (keyset: ``after=<id>``), as a general manager (all rows) and as a store
  manager (the store's quarter of the rows);
* API ``/api/v1/customers/?pagination=cursor`` (keyset cursor);
* for comparison only, the API in page-number mode (``?page=N``: a full count and an OFFSET).

Target: the deep page costs at most twice the first page (keyset and bounded-count modes).
"""

import argparse
import base64
import datetime
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import BENCH_DIR, database_create, database_label, django_setup, sqlite_url, table  # noqa: E402

CHUNK = 50_000
PAGE = 50


def fill(rows: int, log):
    from django.db import transaction
    from django.utils import timezone

    from autosales.core.demo.rows import insert_rows, rows_of
    from autosales.core.models import Store, User
    from autosales.parties.models import Customer

    stores = [
        Store.objects.get_or_create(code=f"PG{i:02d}", defaults={"name": f"Pages store {i}"})[0]
        for i in range(4)
    ]
    User.objects.get_or_create(username="pages.gm", defaults={"role": "general_manager"})
    User.objects.get_or_create(
        username="pages.manager", defaults={"role": "sales_manager", "store": stores[0]}
    )
    have = Customer.objects.count()
    if have >= rows:
        log(f"  reusing {have} customers")
        return
    started = time.monotonic()
    next_id = (Customer.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    make = rows_of(Customer)
    created = timezone.now() - datetime.timedelta(days=400)
    done = have
    while done < rows:
        batch = []
        for n in range(done, min(rows, done + CHUNK)):
            batch.append(
                make(
                    id=next_id,
                    kind="person",
                    name=f"Customer {n:07d}",
                    mobile=f"1{3 + n % 6}{n:09d}",
                    store=stores[n % 4],
                    created_at=created,
                    updated_at=created,
                )
            )
            next_id += 1
        with transaction.atomic():
            insert_rows(Customer, batch)
        done += len(batch)
        log(f"  {done} customers ({time.monotonic() - started:.0f} s)")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE parties_customer")


def _cursor(position: int) -> str:
    return base64.b64encode(urllib.parse.urlencode({"p": str(position)}).encode()).decode()


def timed(client, path: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(
            path, HTTP_ACCEPT="application/json" if path.startswith("/api/") else "text/html"
        )
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return statistics.median(times) * 1000


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=sqlite_url(BENCH_DIR / "pages.sqlite3"))
    args = parser.parse_args()

    def log(message):
        print(message, flush=True)

    url = args.database_url
    database_create(url)
    # Production settings (DEBUG off) over the test client's plain HTTP.
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SECURE_COOKIES", "0")
    django_setup(url)
    from django.core.management import call_command
    from django.test import Client

    from autosales.core.models import User
    from autosales.parties.models import Customer

    log(f"{database_label(url)}: {url}")
    call_command("migrate", verbosity=0)
    fill(args.rows, log)

    gm, manager = User.objects.get(username="pages.gm"), User.objects.get(username="pages.manager")
    ids = Customer.objects.order_by("id").values_list("id", flat=True)
    lowest = ids.first()
    store_ids = Customer.objects.filter(store=manager.store).order_by("id").values_list("id", flat=True)
    # "after" the id just above the (PAGE + 1)-th lowest: the last full page of a newest-first list.
    deep_all = ids[PAGE]
    deep_store = store_ids[PAGE]
    total = Customer.objects.count()
    pages_deep = total // PAGE
    cases = [
        ("web list, general manager", gm, "/customers/", f"/customers/?after={deep_all}", True),
        ("web list, store manager", manager, "/customers/", f"/customers/?after={deep_store}", True),
        (
            "API keyset, general manager",
            gm,
            "/api/v1/customers/?pagination=cursor",
            f"/api/v1/customers/?cursor={_cursor(deep_all)}",
            True,
        ),
        (
            "API keyset, store manager",
            manager,
            "/api/v1/customers/?pagination=cursor",
            f"/api/v1/customers/?cursor={_cursor(deep_store)}",
            True,
        ),
        (
            "API page numbers (comparison)",
            gm,
            "/api/v1/customers/?page=1",
            f"/api/v1/customers/?page={pages_deep}",
            False,
        ),
    ]
    log(f"  {total} customers (lowest id {lowest}); median of {args.repeat} requests each")
    rows = []
    for name, user, first, deep, keyset in cases:
        client = Client()
        client.force_login(user)
        timed(client, first, 1)
        first_ms = timed(client, first, args.repeat)
        deep_ms = timed(client, deep, args.repeat)
        ratio = deep_ms / first_ms
        verdict = ("ok" if ratio <= 2 else "MISS") if keyset else "(no target)"
        rows.append([name, f"{first_ms:.1f}", f"{deep_ms:.1f}", f"{ratio:.2f}", verdict])
        log(f"  {name:<32} first {first_ms:7.1f} ms  deep {deep_ms:7.1f} ms  x{ratio:.2f}")
    print()
    print(f"{database_label(url)}, {total} rows, page of {PAGE}; target: deep page <= 2 x first page")
    table(["list", "first ms", "deep ms", "deep/first", "target"], rows)


if __name__ == "__main__":
    main()
