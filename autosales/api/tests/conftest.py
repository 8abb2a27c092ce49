import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from autosales.core.choices import Role
from autosales.core.tests.factories import StoreFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Factories hash a password per user; the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    # The token endpoint's rate limit counts in the cache, which outlives a single test.
    cache.clear()


@pytest.fixture
def store_a(db):
    return StoreFactory(code="SHA1", name="上海一店")


@pytest.fixture
def store_b(db):
    return StoreFactory(code="BJB1", name="北京一店")


@pytest.fixture
def make_user(db, store_a):
    def make(role=Role.SALESPERSON, store=store_a, **extra):
        group_wide = role in (Role.GENERAL_MANAGER, Role.ADMIN)
        return UserFactory(role=role, store=None if group_wide else store, **extra)

    return make


@pytest.fixture
def api():
    """``api(user)`` is a client that sends the user's token, in English unless told otherwise."""

    def client_for(user=None, language="en"):
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def salesperson(make_user):
    return make_user(Role.SALESPERSON)


@pytest.fixture
def manager(make_user):
    return make_user(Role.SALES_MANAGER)


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN, is_superuser=True, is_staff=True)
