"""The demo server, started the way ``make demo`` starts it, answers over HTTP."""

import http.client
import http.cookies
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest
from django.conf import settings
from django.core.management import get_commands

from autosales.core.demo import DEMO_PASSWORD, DEMO_USERS

START_TIMEOUT = 300
SEEDED = "seed" in get_commands()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_env(var_dir) -> dict[str, str]:
    """A shell like the one ``make demo`` runs in: no test or production overrides, a private database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "DJANGO_", "AUTOSALES_", "PYTEST"))
        and key not in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "LANGUAGE_CODE")
    }
    env["AUTOSALES_VAR_DIR"] = str(var_dir)
    # The checks below read the demo's own messages, so they must be in the source language.
    env["LANGUAGE_CODE"] = "en"
    return env


def demo_command(*args) -> list[str]:
    size = ["--customers", "30", "--years", "1"] if SEEDED else ["--no-seed"]
    return [sys.executable, "-m", "autosales.cli", "demo", *size, *args]


class Server:
    def __init__(self, port, log_path):
        self.port = port
        self.log_path = log_path
        self.cookies = http.cookies.SimpleCookie()

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read().decode("utf-8", errors="replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response, content


def wait_for_port(proc, port, log_path):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"demo exited with {proc.returncode}:\n{log_path.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"demo did not listen on port {port} within {START_TIMEOUT}s:\n{log_path.read_text()}")


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-var")


@pytest.fixture(scope="module")
def server(var_dir):
    port = free_port()
    log_path = var_dir / "demo.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            demo_command("--addrport", f"127.0.0.1:{port}", "--workers", "1"),
            env=demo_env(var_dir),
            cwd=settings.BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(proc, port, log_path)
        yield Server(port, log_path)
    finally:
        stop(proc)


def test_login_page_answers(server):
    response, content = server.request("GET", "/login/")
    assert response.status == 200, content
    assert "csrfmiddlewaretoken" in content


def test_home_page_redirects_to_login(server):
    response, _content = server.request("GET", "/")
    assert response.status == 302
    assert response.getheader("Location").startswith("/login/")


def test_static_files_are_served(server):
    response, content = server.request("GET", "/static/admin/css/base.css")
    assert response.status == 200
    assert "text/css" in response.getheader("Content-Type")
    assert len(content) > 1000


def test_demo_prints_the_address(server):
    assert f"http://127.0.0.1:{server.port}/" in server.log


@pytest.mark.skipif(not SEEDED, reason="the seed command is not installed")
def test_every_printed_demo_login_works(server):
    for username, *_rest in DEMO_USERS:
        assert re.search(rf"^\s+{re.escape(username)}\s", server.log, re.MULTILINE), server.log
    username = next(name for name, role, *_rest in DEMO_USERS if role == "salesperson")
    server.cookies.clear()
    _response, page = server.request("GET", "/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    )
    response, content = server.request(
        "POST",
        "/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{server.port}/login/",
        },
    )
    assert response.status == 302, content
    response, content = server.request("GET", "/")
    assert response.status == 200, content
    server.cookies.clear()


@pytest.mark.skipif(not SEEDED, reason="the seed command is not installed")
def test_second_demo_run_reuses_the_database(server, var_dir):
    result = subprocess.run(
        demo_command("--no-serve"),
        env=demo_env(var_dir),
        cwd=settings.BASE_DIR,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "already has customers" in result.stdout
    assert "Seeded" not in result.stdout
