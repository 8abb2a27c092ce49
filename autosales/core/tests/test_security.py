import re
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from autosales.core import middleware
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.parties.models import Customer
from autosales.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Secret-pass-2026"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def store():
    return StoreFactory(code="SH01")


@pytest.fixture
def manager(store):
    return UserFactory(username="manager1", store=store, manager=True, language="en")


def _sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


# --- Lock-out after repeated failures


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(client, manager):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, manager.username, "wrong-password-1").status_code == 200
    assert _sign_in(client, manager.username, "wrong-password-1").status_code == 429
    response = _sign_in(client, manager.username, PASSWORD, address="10.0.0.2")
    assert response.status_code == 429
    assert b'id="locked-out"' in response.content
    assert "_auth_user_id" not in client.session


def test_address_is_locked_after_failures_across_many_accounts(client, manager):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"guess{n}", "wrong-password-1", address="10.9.9.9")
    assert _sign_in(client, manager.username, PASSWORD, address="10.9.9.9").status_code == 429
    assert _sign_in(Client(), manager.username, PASSWORD, address="10.1.1.1").status_code == 302


def test_locked_out_page_speaks_chinese(client, manager):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            reverse("web:login"),
            {"username": manager.username, "password": "nope-nope-1"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 429
    assert 'lang="zh-hans"' in response.content.decode()


def test_api_token_endpoint_counts_failures_and_locks_out(client, manager):
    url = reverse("api:auth-token") if _has_api_namespace() else "/api/v1/auth/token/"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": manager.username, "password": "bad-password-1"})
        assert response.status_code == 400
    client.post(url, {"username": manager.username, "password": "bad-password-1"})
    response = client.post(url, {"username": manager.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "detail" in response.json()


def _has_api_namespace():
    try:
        reverse("api:auth-token")
    except Exception:
        return False
    return True


def test_a_good_sign_in_after_a_few_failures_resets_the_count(client, manager):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, manager.username, "wrong-password-1")
    assert _sign_in(client, manager.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, manager.username, "wrong-password-1")
    assert _sign_in(client, manager.username, PASSWORD).status_code == 302


def test_test_client_login_still_works_with_the_lockout_backend(client, manager):
    assert client.login(username=manager.username, password=PASSWORD)


# --- Passwords, sessions, headers


@pytest.mark.parametrize("password", ["short1!", "1234567890123", "password123"])
def test_weak_passwords_are_refused(manager, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=manager)


def test_strong_password_is_accepted(manager):
    validate_password("Blue-sedan-sells-2026", user=manager)


def test_session_ends_after_idle_time_and_a_session_in_use_is_renewed_once_a_minute(
    client, manager, monkeypatch
):
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_RENEW_SECONDS == 60
    assert settings.SESSION_COOKIE_HTTPONLY
    clock = [1_900_000_000.0]
    monkeypatch.setattr(middleware, "time", SimpleNamespace(time=lambda: clock[0]))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    saves = []
    save = store.save

    def counting_save(session, *args, **kwargs):
        saves.append(session.session_key)
        return save(session, *args, **kwargs)

    monkeypatch.setattr(store, "save", counting_save)
    client.force_login(manager)

    def visit():
        saves.clear()
        response = client.get(reverse("web:home"))
        assert response.status_code == 200
        return len(saves), response.cookies.get(settings.SESSION_COOKIE_NAME)

    clock[0] += 59
    assert visit() == (0, None)  # within the minute of signing in: no write, no cookie
    clock[0] += 1
    written, cookie = visit()
    assert written == 1 and cookie["max-age"] == settings.SESSION_COOKIE_AGE  # renewed
    clock[0] += 30
    assert visit() == (0, None)
    clock[0] -= 600  # a clock set back does not put the renewal off
    assert visit()[0] == 1
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32  # a session that no longer exists
    saves.clear()
    client.get(reverse("web:home"))
    assert saves == []


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, manager):
    client.force_login(manager)
    response = client.get(reverse("web:customer_create"))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    inline = [attrs for attrs in scripts if "src=" not in attrs and "application/json" not in attrs]
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)


def test_no_template_uses_inline_event_handlers():
    root = settings.BASE_DIR / "autosales"
    offenders = [
        str(path)
        for path in root.rglob("templates/**/*.html")
        if re.search(r"\son[a-z]+=\"", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# --- CSRF


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("web:customer_create", {"kind": "person", "name": "x"}),
        ("web:lead_create", {}),
        ("web:exchange_import", {}),
    ],
)
def test_post_without_csrf_token_is_refused(manager, url_name, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    count = Customer.objects.count()
    response = client.post(reverse(url_name), data)
    assert response.status_code == 403
    assert Customer.objects.count() == count


def test_login_without_csrf_token_is_refused(manager):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:login"), {"username": manager.username, "password": PASSWORD})
    assert response.status_code == 403


# --- Hostile text is shown escaped


def test_script_in_a_customer_name_is_shown_escaped(client, manager, store):
    customer = CustomerFactory(store=store, owner=None, name=HOSTILE)
    client.force_login(manager)
    pages = [
        reverse("web:customer_list"),
        reverse("web:customer_detail", args=[customer.pk]),
        reverse("web:search") + "?q=" + "alert",
        reverse("web:search") + "?q=" + HOSTILE,
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert HOSTILE not in body, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(pages[1]).content.decode()


# --- Uploads


def test_import_refuses_a_file_over_20_mb_with_a_clear_error(client, manager):
    client.force_login(manager)
    big = SimpleUploadedFile("customers.csv", b"name,mobile\n" + b"x" * (21 * 1024 * 1024))
    count = Customer.objects.count()
    response = client.post(reverse("web:exchange_import"), {"entity": "customers", "file": big})
    assert response.status_code in (200, 400)
    assert "20 MB" in response.content.decode()
    assert Customer.objects.count() == count


def test_import_refuses_a_binary_file_renamed_csv(client, manager):
    client.force_login(manager)
    binary = SimpleUploadedFile(
        "customers.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64
    )
    count = Customer.objects.count()
    response = client.post(reverse("web:exchange_import"), {"entity": "customers", "file": binary})
    assert response.status_code == 400
    assert b'id="import-refused"' in response.content
    assert Customer.objects.count() == count
