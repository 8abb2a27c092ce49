import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Property tests check results, not speed: on a busy machine a slow example is not a failure.
hypothesis_settings.register_profile("autosales", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("autosales")

# Tests run the production settings (DEBUG off) over plain HTTP on localhost.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")


def pytest_configure(config):
    # pytest-django loads the settings before this file is imported, so the two lines above
    # come too late for them; apply the same choice to the loaded settings.
    from django.conf import settings

    if not settings.configured:
        return
    # Tests state behaviour in the English source strings; tests of the Chinese interface ask for it
    # (Accept-Language, the user's language or translation.override).
    settings.LANGUAGE_CODE = "en"
    # Password hashing is deliberately slow; tests create many users and check no hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if os.environ.get("SECURE_SSL_REDIRECT") == "0":
        settings.SECURE_SSL_REDIRECT = False
    if os.environ.get("SECURE_COOKIES") == "0":
        settings.SESSION_COOKIE_SECURE = False
        settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches: ids restart with every test database, so an analysis or
    a policy table cached by an earlier test would describe other rows under the same ids."""
    from django.core.cache import cache

    from autosales.core.config_cache import config_cache_clear
    from autosales.keyaccounts.selectors import analysis_cache_clear

    cache.clear()
    analysis_cache_clear()
    config_cache_clear()
    yield


@pytest.fixture(scope="module")
def seeded_group(django_db_setup, django_db_blocker):
    """The demo dealer group (60 customers over two years) for the tests of one module, rolled back
    after them."""
    from django.db import transaction
    from django.utils import timezone, translation

    from autosales.core.demo.seed import seed_database

    with django_db_blocker.unblock(), translation.override("en"), transaction.atomic():
        seed_database(customers=60, years=2, seed=5, today=timezone.localdate())
        yield
        transaction.set_rollback(True)


# --- Browser tests (@pytest.mark.browser): Playwright driving Debian's chromium, never a downloaded one.

CHROMIUM = os.environ.get("AUTOSALES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TEST_PASSWORD = "Secret-pass-2026"  # the password of core.tests.factories.UserFactory


@pytest.fixture(scope="session")
def playwright_session():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session):
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def new_page(browser, live_server, *, width=1280, height=900, locale="en-US"):
    """A page in a fresh browser context (own cookies) whose relative URLs go to ``live_server``."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        locale=locale,
        accept_downloads=True,
    )
    context.set_default_timeout(30_000)
    return context.new_page()


@pytest.fixture
def page(browser, live_server):
    page = new_page(browser, live_server)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A 375 px wide page, the width of a small phone."""
    page = new_page(browser, live_server, width=375, height=812)
    yield page
    page.context.close()


def login(page, user, password=TEST_PASSWORD):
    """Sign ``user`` in through the login form and wait for the dashboard."""
    page.goto("/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#dashboard")
    return page


@pytest.fixture
def login_as():
    """``login_as(page, user)`` for tests that prefer a fixture to ``from conftest import login``."""
    return login
