"""Helpers shared by the benchmark scripts: databases, Django set-up, a time-bounded HTTP load driver,
percentiles and tables. Standard library only (plus what the project already depends on)."""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SOCKET_DIR = Path("/var/run/postgresql")


def _bench_pg() -> str:
    """The benchmark's PostgreSQL: over its Unix socket when the server is on this machine (as a
    one-machine deployment connects, with no TCP on loopback), else over TCP."""
    if (PG_SOCKET_DIR / ".s.PGSQL.5432").exists():
        return "postgres://postgres@" + urllib.parse.quote(str(PG_SOCKET_DIR), safe="") + "/autosales_bench"
    return "postgres://postgres@127.0.0.1:5432/autosales_bench"


BENCH_PG = _bench_pg()
BENCH_DIR = ROOT / "var" / "bench"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def database_label(url: str) -> str:
    return "PostgreSQL" if url.startswith(("postgres", "postgresql")) else "SQLite"


def pg_admin(url: str):
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    connection = psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"] or "postgres",
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    return connection, cfg["NAME"]


def database_create(url: str, *, fresh: bool = False):
    """Make sure the database exists (empty first when ``fresh``)."""
    if url.startswith("sqlite"):
        path = Path(urllib.parse.urlparse(url).path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin, name = pg_admin(url)
    with admin:
        if fresh:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def database_settle(url: str):
    """After a bulk load into PostgreSQL: planner statistics and a vacuum (index-only scans then
    need no table visits), as autovacuum leaves a database in daily use. SQLite needs nothing."""
    if url.startswith("sqlite"):
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def database_drop(url: str):
    if url.startswith("sqlite"):
        database_create(url, fresh=True)
        return
    admin, name = pg_admin(url)
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_setup(url: str):
    """Point this process at ``url`` and start Django (once per process)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "autosales.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(url: str, *args: str, capture: bool = False, extra_env: dict | None = None) -> str:
    """Run ``manage.py`` against ``url`` in a child process."""
    env = {**os.environ, "DATABASE_URL": url, **(extra_env or {})}
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values (0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(share * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def table(headers: list[str], rows: list[list], *, out=print):
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row):
        return "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )

    out(line(cells[0]))
    out("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        out(line(row))


# --- HTTP load ------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def ms(self, share: float) -> float:
        return percentile(sorted(self.latencies), share) * 1000


def _connection(host: str, port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(host, port, timeout=30)


def drive(
    *,
    name: str,
    host: str,
    port: int,
    paths: Callable[[int], str],
    headers: dict,
    clients: int,
    seconds: float,
    warmup: float = 1.0,
) -> LoadResult:
    """``clients`` threads, each with one keep-alive connection, send GETs for ``seconds``.

    ``paths(i)`` gives the path of a thread's i-th request (so detail calls can walk many ids).
    Requests finished during ``warmup`` are not counted. Anything but 200 counts as an error.
    """
    result = LoadResult(name=name, seconds=seconds)
    lock = threading.Lock()
    start = time.monotonic()
    counted_from = start + warmup
    deadline = counted_from + seconds

    def client(index: int):
        connection = _connection(host, port)
        i = index
        mine, errors, first_error = [], 0, ""
        while True:
            began = time.monotonic()
            if began >= deadline:
                break
            path = paths(i)
            i += clients
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                status = response.status
                if response.will_close:
                    connection.close()
                    connection = _connection(host, port)
            except (OSError, http.client.HTTPException) as exc:
                status, body = 0, str(exc).encode()
                connection.close()
                connection = _connection(host, port)
            ended = time.monotonic()
            if began < counted_from:
                continue
            if status == 200:
                mine.append(ended - began)
            else:
                errors += 1
                if not first_error:
                    first_error = f"{status} {path} {body[:200]!r}"
        connection.close()
        with lock:
            result.latencies.extend(mine)
            result.errors += errors
            result.first_error = result.first_error or first_error

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + warmup + 60)
    return result


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""
_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _wrk_seconds(text: str) -> float:
    number = text.rstrip("usm")
    return float(number) * _UNITS[text[len(number) :]]


@dataclass
class WrkResult:
    """What wrk measured: its own counts and latency percentiles (it keeps no list of samples)."""

    name: str
    seconds: float
    requests: int = 0
    errors: int = 0
    first_error: str = ""
    percentiles: dict = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def ms(self, share: float) -> float:
        return self.percentiles.get(round(share * 100), float("nan")) * 1000


def drive_wrk(
    *,
    name: str,
    host: str,
    port: int,
    paths: list[str],
    headers: dict,
    clients: int,
    seconds: float,
    warmup: float = 1.0,
) -> WrkResult:
    """The same load as ``drive`` from wrk (C, event loop): ``clients`` keep-alive connections on two
    threads, cycling through ``paths``. It needs a fraction of the CPU that Python clients need, so
    on a 2-core machine more of it is left to the server under test."""
    import re
    import shutil
    import tempfile

    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    listed = ", ".join(json.dumps(path) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % listed)
    header_args = [arg for key, value in headers.items() for arg in ("-H", f"{key}: {value}")]
    base = [wrk, "-t", "2", "-c", str(clients), "-s", script.name, *header_args]
    url = f"http://{host}:{port}"
    try:
        if warmup > 0:
            subprocess.run([*base, "-d", f"{max(1, round(warmup))}s", url], capture_output=True, check=True)
        run = subprocess.run(
            [*base, "-d", f"{round(seconds)}s", "--timeout", "30s", "--latency", url],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    out = run.stdout
    took = re.search(r"(\d+) requests in ([\d.]+(?:us|ms|s|m)),", out)
    result = WrkResult(name=name, seconds=_wrk_seconds(took.group(2)), requests=int(took.group(1)))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result.errors = int(bad.group(1)) if bad else 0
    if sockets:
        result.errors += sum(int(n) for n in sockets.groups())
    if result.errors:
        result.first_error = " ".join(
            line.strip() for line in out.splitlines() if "error" in line.lower() or "Non-2xx" in line
        )
    for share, value in re.findall(r"^\s+(\d+)%\s+([\d.]+(?:us|ms|s|m))\s*$", out, flags=re.M):
        result.percentiles[int(share)] = _wrk_seconds(value)
    return result


def http_json(host: str, port: int, method: str, path: str, *, body=None, headers=None) -> tuple[int, dict]:
    connection = _connection(host, port)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        all_headers = {"Accept": "application/json", **(headers or {})}
        if payload is not None:
            all_headers["Content-Type"] = "application/json"
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw or b"{}")
        except ValueError:
            return response.status, {"raw": raw[:300].decode(errors="replace")}
    finally:
        connection.close()


def web_login(host: str, port: int, username: str, password: str) -> dict:
    """Sign in through the login form as a browser does; returns the Cookie header to send."""
    from http.cookies import SimpleCookie

    jar: dict[str, str] = {}

    def remember(response):
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                jar[key] = morsel.value

    connection = _connection(host, port)
    try:
        connection.request("GET", "/login/")
        response = connection.getresponse()
        page = response.read().decode()
        remember(response)
        marker = 'name="csrfmiddlewaretoken" value="'
        token = page.split(marker, 1)[1].split('"', 1)[0]
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        connection.request(
            "POST",
            "/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                "Referer": f"http://{host}:{port}/login/",
            },
        )
        response = connection.getresponse()
        response.read()
        remember(response)
        if response.status != 302 or "sessionid" not in jar:
            raise RuntimeError(f"web login as {username} failed: HTTP {response.status}")
    finally:
        connection.close()
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}


class Server:
    """The production server (gunicorn, DEBUG off) on loopback, stopped on exit."""

    def __init__(self, url: str, *, port: int, workers: int = 2, log: Path | None = None):
        self.url, self.port, self.workers = url, port, workers
        self.log = log
        self.process = None

    def __enter__(self):
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
            "AUTOSALES_INSECURE_DEV_KEY": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_ACCESS_LOG": "/dev/null",
            # A worker replaced mid-run drops its keep-alive clients: measure the steady state.
            "GUNICORN_MAX_REQUESTS": "0",
            # Load is the point: no limit on token requests from the driver.
            "API_TOKEN_RATE": "10000/min",
        }
        out = open(self.log, "w") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "autosales.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            try:
                connection = _connection("127.0.0.1", self.port)
                connection.request("GET", "/login/")
                if connection.getresponse().status == 200:
                    connection.close()
                    return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __exit__(self, *exc):
        self.stop()
