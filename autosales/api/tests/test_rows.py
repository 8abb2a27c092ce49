"""List rows rendered from a plan (``api.rows``) are exactly DRF's rows, for every list and role."""

import decimal
import json

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from autosales.api import base, rows
from autosales.core.demo.seed import seed_database
from autosales.core.models import User

pytestmark = pytest.mark.django_db

USERS = ["admin", "gm", "manager.sh01", "sales.sh01", "finance.sh01", "service.sh01"]


@pytest.fixture(scope="module")
def seeded_group(django_db_setup, django_db_blocker):
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing, translation.override("en"), transaction.atomic():
        seed_database(customers=60, years=2, seed=5, today=timezone.localdate())
        yield
        transaction.set_rollback(True)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif (getattr(pattern.callback, "actions", None) or {}).get("get") == "list" and "(?P" not in route:
            yield "/" + route


def list_paths():
    return sorted({path for path in _walk(get_resolver().url_patterns) if path.startswith("/api/")})


def drf_rows(serializer, instances):
    return type(serializer)(instances, many=True, context=serializer.context).data


def fetch(client, path):
    response = client.get(path, {"page_size": 100})
    return response.status_code, json.loads(response.content)


@pytest.mark.parametrize("username", USERS)
def test_every_list_renders_exactly_as_drf(seeded_group, username, monkeypatch):
    user = User.objects.get(username=username)
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    compared = 0
    for path in list_paths():
        fast = fetch(client, path)
        with monkeypatch.context() as patch:
            patch.setattr(base, "rows_render", drf_rows)
            slow = fetch(client, path)
        assert fast == slow, path
        if fast[0] == 200 and fast[1]["results"]:
            compared += 1
    assert compared >= 10


def test_plans_are_reused_only_for_request_free_fields():
    class Nested(serializers.Serializer):
        value = serializers.IntegerField()

    class WithNested(serializers.Serializer):
        name = serializers.CharField()
        items = Nested(many=True)

    class Plain(serializers.Serializer):
        name = serializers.CharField()
        amount = serializers.DecimalField(max_digits=6, decimal_places=2)

    assert rows.Plan(WithNested()).cacheable is False
    assert rows.Plan(Plain()).cacheable is True


def test_list_plans_of_the_main_resources_are_reused():
    from autosales.api.parties.serializers import CustomerSerializer
    from autosales.api.sales.views import OrderViewSet

    for serializer_class in (CustomerSerializer, OrderViewSet.list_serializer_class):
        representation, standard_fields = rows._standard(serializer_class)
        assert representation and standard_fields
        assert rows.Plan(serializer_class(context={})).cacheable, serializer_class


def test_decimal_rows_round_like_drf():
    field = serializers.DecimalField(max_digits=8, decimal_places=2)
    write = rows._decimal_writer(field)
    for value in ["1.005", "1.015", "-2.5", "123456.789", "0", "7"]:
        assert write(decimal.Decimal(value)) == field.to_representation(decimal.Decimal(value))


def test_filterset_skipped_only_when_no_filter_is_named():
    from autosales.api.base import _names_no_filter
    from autosales.parties.filtersets import CustomerFilterSet

    assert _names_no_filter(CustomerFilterSet, {})
    assert _names_no_filter(CustomerFilterSet, {"page": "2", "page_size": "20", "pagination": "cursor"})
    assert not _names_no_filter(CustomerFilterSet, {"q": "138"})
    assert not _names_no_filter(CustomerFilterSet, {"ordering": "name"})


def test_filters_still_apply_and_reject_bad_values(seeded_group):
    user = User.objects.get(username="admin")
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    everyone = client.get("/api/v1/customers/").json()["count"]
    companies = client.get("/api/v1/customers/", {"kind": "company"}).json()
    assert 0 < companies["count"] < everyone
    assert {row["kind"] for row in companies["results"]} == {"company"}
    assert client.get("/api/v1/customers/", {"kind": "spaceship"}).status_code == 400
