"""Property-based run of the live OpenAPI schema: no 500s, every answer as documented."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationConfig

from autosales.core.choices import Role
from autosales.core.tests.factories import UserFactory
from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties.tests.factories import ContactFactory
from autosales.wsgi import application

OWN_PATHS = r"^/api/v1/(stores|users|customers|contacts|brands|models|trims|colours|vehicles)/"


@pytest.fixture
def keep_test_connection():
    # The real WSGI handler closes "old" connections around each request, which would close
    # the connection holding the test transaction; Django's test client skips this the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _headers(user):
    return {"Authorization": f"Token {Token.objects.create(user=user).key}", "Accept-Language": "en"}


def _schema(headers):
    schema = schemathesis.from_wsgi(
        "/api/v1/schema/",
        application,
        headers=headers,
        # Our token is the auth; generated session cookies would make every answer look unauthenticated.
        generation_config=GenerationConfig(with_security_parameters=False),
    )
    return schema.include(path_regex=OWN_PATHS)


@pytest.fixture
def rows(db, keep_test_connection):
    vehicle = VehicleFactory()
    ContactFactory(customer__store=vehicle.store)
    return vehicle.store


@pytest.fixture
def admin_headers(rows):
    return _headers(UserFactory(role=Role.ADMIN, store=None, is_superuser=True, is_staff=True))


@pytest.fixture
def salesperson_headers(rows):
    return _headers(UserFactory(role=Role.SALESPERSON, store=rows))


@pytest.fixture
def admin_schema(admin_headers):
    return _schema(admin_headers)


@pytest.fixture
def salesperson_schema(salesperson_headers):
    return _schema(salesperson_headers)


HYPOTHESIS = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
}


def _call(case, headers):
    # The ignored-auth check writes a bad session cookie into these; they must be dicts.
    case.cookies = case.cookies or {}
    case.headers = case.headers or {}
    case.call_and_validate(headers=headers)


@schemathesis.from_pytest_fixture("admin_schema").parametrize()
@settings(max_examples=15, **HYPOTHESIS)
def test_api_answers_administrator_as_documented(case, admin_headers):
    _call(case, admin_headers)


@schemathesis.from_pytest_fixture("salesperson_schema").parametrize()
@settings(max_examples=5, **HYPOTHESIS)
def test_api_answers_salesperson_as_documented(case, salesperson_headers):
    """Refusals (403, 404 outside the store) and hidden cost fields also match the schema."""
    _call(case, salesperson_headers)
