"""Load test of the main API endpoints and web pages on the production server.

    .venv/bin/python bench/api_load.py                          # SQLite, then PostgreSQL
    .venv/bin/python bench/api_load.py --databases sqlite --seconds 10
    .venv/bin/python bench/api_load.py --pg postgres://postgres@127.0.0.1:5432/autosales_bench

PostgreSQL is reached over its Unix socket in ``/var/run/postgresql`` when there is one (as a
server on the same machine is best reached), else over TCP on 127.0.0.1; ``--pg`` chooses.
For each database it migrates, seeds ``--customers`` customers over ``--years`` years with
``autosales seed`` when the database has no customers yet (a seeded database is reused, so the
slow seed runs once), starts gunicorn with ``deploy/gunicorn.conf.py`` (DEBUG off, 2 workers,
127.0.0.1 only), signs in once (an API token and a web session), and then drives every endpoint in
turn with ``--clients`` concurrent keep-alive clients for ``--seconds`` seconds: from wrk when it
is installed (``apt-get install wrk``; it leaves more of the two cores to the server), else from
Python threads (``--driver python``). It prints, per endpoint: requests, requests per second, p50
and p99 latency, and errors (any answer but 2xx or 3xx from wrk, any answer but 200 from Python).

Target: list endpoints at least 300 requests/s with p99 under 150 ms on both databases.
"""

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    BENCH_DIR,
    BENCH_PG,
    Server,
    database_create,
    database_label,
    database_settle,
    drive,
    drive_wrk,
    http_json,
    manage,
    sqlite_url,
    table,
    web_login,
)

TARGET_RATE = 300
TARGET_P99_MS = 150

# (name, kind, path or template); "{id}" is filled from ids of the first list page.
ENDPOINTS = [
    ("API customers list", "list", "/api/v1/customers/"),
    ("API customers keyset", "list", "/api/v1/customers/?pagination=cursor"),
    ("API customers search", "list", "/api/v1/customers/?q=138"),
    ("API vehicles list", "list", "/api/v1/vehicles/"),
    ("API leads list", "list", "/api/v1/leads/"),
    ("API quotes list", "list", "/api/v1/quotes/"),
    ("API orders list", "list", "/api/v1/orders/"),
    ("API orders by status", "list", "/api/v1/orders/?status=confirmed"),
    ("API service orders list", "list", "/api/v1/service-orders/"),
    ("API customer detail", "detail", "/api/v1/customers/{customers}/"),
    ("API vehicle detail", "detail", "/api/v1/vehicles/{vehicles}/"),
    ("API order detail", "detail", "/api/v1/orders/{orders}/"),
    ("page customers", "page", "/customers/"),
    ("page stock", "page", "/stock/"),
    ("page leads", "page", "/sales/leads/"),
    ("page orders", "page", "/sales/orders/"),
    ("page customer", "page", "/customers/{customers}/"),
    ("page order", "page", "/sales/orders/{orders}/"),
]


def customers_in(url: str) -> int:
    out = manage(
        url,
        "shell",
        "-c",
        "from autosales.parties.models import Customer; print(Customer.objects.count())",
        capture=True,
    )
    return int(out.strip().splitlines()[-1])


def prepare(url: str, args, log):
    database_create(url)
    manage(url, "migrate", "--noinput", "-v", "0")
    count = customers_in(url)
    if count:
        log(f"  reusing {count} customers")
        return
    log(f"  seeding {args.customers} customers over {args.years} years (minutes) ...")
    started = time.monotonic()
    manage(
        url,
        "seed",
        "--customers",
        str(args.customers),
        "--years",
        str(args.years),
        "--seed",
        str(args.seed),
        "-v",
        "0",
    )
    database_settle(url)
    log(f"  seeded in {time.monotonic() - started:.0f} s")


def sample_ids(port: int, headers: dict, resource: str, wanted: int = 100) -> list[int]:
    status, body = http_json(
        "127.0.0.1", port, "GET", f"/api/v1/{resource}/?page_size={wanted}", headers=headers
    )
    if status != 200:
        raise RuntimeError(f"listing {resource}: HTTP {status} {body}")
    ids = [row["id"] for row in body["results"]]
    if not ids:
        raise RuntimeError(f"no {resource} visible to the bench user")
    return ids


def run_database(url: str, args, log) -> list[list]:
    label = database_label(url)
    log(f"{label}: {url}")
    prepare(url, args, log)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    rows = []
    with Server(url, port=args.port, workers=args.workers, log=BENCH_DIR / f"gunicorn-{label}.log"):
        status, body = http_json(
            "127.0.0.1",
            args.port,
            "POST",
            "/api/v1/auth/token/",
            body={"username": args.user, "password": args.password},
        )
        if status != 200:
            raise RuntimeError(f"token for {args.user}: HTTP {status} {body}")
        api_headers = {"Authorization": f"Token {body['token']}", "Accept": "application/json"}
        web_headers = web_login("127.0.0.1", args.port, args.user, args.password)
        ids = {name: sample_ids(args.port, api_headers, name) for name in ("customers", "vehicles", "orders")}
        for name, kind, template in ENDPOINTS:
            if args.only and not any(word in name for word in args.only):
                continue
            headers = web_headers if kind == "page" else api_headers

            def paths(i, template=template):
                if "{" not in template:
                    return template
                return template.format(**{key: values[i % len(values)] for key, values in ids.items()})

            if args.driver == "wrk":
                result = drive_wrk(
                    name=name,
                    host="127.0.0.1",
                    port=args.port,
                    paths=[paths(i) for i in range(100 if "{" in template else 1)],
                    headers=headers,
                    clients=args.clients,
                    seconds=args.seconds,
                )
            else:
                result = drive(
                    name=name,
                    host="127.0.0.1",
                    port=args.port,
                    paths=paths,
                    headers=headers,
                    clients=args.clients,
                    seconds=args.seconds,
                )
            p50, p99 = result.ms(0.50), result.ms(0.99)
            verdict = ""
            if kind == "list":
                verdict = "ok" if result.rate >= TARGET_RATE and p99 < TARGET_P99_MS else "MISS"
            rows.append(
                [
                    label,
                    name,
                    result.requests,
                    f"{result.rate:.0f}",
                    f"{p50:.0f}",
                    f"{p99:.0f}",
                    result.errors,
                    verdict,
                ]
            )
            log(
                f"  {name:<26} {result.rate:7.0f} req/s  p50 {p50:5.0f} ms  p99 {p99:5.0f} ms"
                f"  errors {result.errors}"
            )
            if result.first_error:
                log(f"    first error: {result.first_error}")
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--sqlite", default=str(BENCH_DIR / "api.sqlite3"), help="SQLite file (reused)")
    parser.add_argument("--pg", default=BENCH_PG, help="PostgreSQL URL (created if missing, reused)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--driver",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator: wrk (default when installed; apt-get install wrk) or Python threads",
    )
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per endpoint")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--user", default="manager.sh01", help="a seeded user (default: a store manager)")
    parser.add_argument("--password", default="autosales2026")
    parser.add_argument("--only", nargs="*", help="run only endpoints whose name contains one of these words")
    args = parser.parse_args()

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
    rows = []
    for url in urls:
        rows.extend(run_database(url, args, log))
    print()
    print(
        f"{args.clients} clients ({args.driver}), {args.seconds:.0f} s per endpoint, gunicorn {args.workers} workers; "
        f"target for lists: >= {TARGET_RATE} req/s and p99 < {TARGET_P99_MS} ms"
    )
    table(["database", "endpoint", "requests", "req/s", "p50 ms", "p99 ms", "errors", "target"], rows)


if __name__ == "__main__":
    main()
