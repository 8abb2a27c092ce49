"""List rows rendered from a plan (``api.rows``) are exactly DRF's rows, for every list and role."""

import decimal
import json

import pytest
from django.urls import URLResolver, get_resolver
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from autosales.api import base, rows
from autosales.core.models import User

pytestmark = pytest.mark.django_db

USERS = ["admin", "gm", "manager.sh01", "sales.sh01", "finance.sh01", "service.sh01"]


def _walk(patterns, prefix=""):
    """(path, viewset) of every list of the API, nested lists included."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif (getattr(pattern.callback, "actions", None) or {}).get("get") == "list":
            yield "/" + route, pattern.callback.cls


def list_paths():
    return sorted(
        {
            path
            for path, _view in _walk(get_resolver().url_patterns)
            if path.startswith("/api/") and "(?P" not in path
        }
    )


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


def test_filters_named_by_the_request():
    from autosales.api.base import _named_filters
    from autosales.parties.filtersets import CustomerFilterSet

    assert _named_filters(CustomerFilterSet, {}) == frozenset()
    assert (
        _named_filters(CustomerFilterSet, {"page": "2", "page_size": "20", "pagination": "cursor"})
        == frozenset()
    )
    assert _named_filters(CustomerFilterSet, {"q": "138"}) == {"q"}
    assert _named_filters(CustomerFilterSet, {"ordering": "name", "kind": "company"}) == {"ordering", "kind"}


def _list_filtersets():
    filtersets = {
        getattr(view, "filterset_class", None) for _path, view in _walk(get_resolver().url_patterns)
    }
    return sorted(filtersets - {None}, key=lambda cls: (cls.__module__, cls.__name__))


def _sample_values(filter_):
    values = ["", "1", "x", "2026-01-31", "true", "-id", "1,2", "0.5"]
    choices = filter_.extra.get("choices")
    if choices and not callable(choices):
        values += [str(value) for value, _label in list(choices)[:2]]
    return values


@pytest.mark.django_db
def test_a_narrowed_filterset_filters_and_refuses_as_the_whole_one():
    from django.http import QueryDict

    filtersets = _list_filtersets()
    assert len(filtersets) >= 15
    checked = 0
    for filterset_class in filtersets:
        if not base._plain_filterset(filterset_class):
            continue
        queryset = filterset_class._meta.model._default_manager.all()
        names = list(filterset_class.base_filters)
        cases = [{"ordering": "-id", names[0]: "1", names[-1]: "x"}]
        for name, filter_ in filterset_class.base_filters.items():
            for value in _sample_values(filter_):
                cases.append({name: value})
                cases.append({f"{name}_min": value, f"{name}_max": value})
                cases.append({f"{name}_after": value, f"{name}_before": value})
        for params in cases:
            data = QueryDict(mutable=True)
            data.update(params)
            named = base._named_filters(filterset_class, data)
            whole = filterset_class(data, queryset=queryset)
            narrowed = base.filterset_narrowed(filterset_class, named)(data, queryset=queryset)
            assert set(narrowed.filters) == named
            assert narrowed.is_valid() == whole.is_valid(), (filterset_class, params)
            assert narrowed.errors == whole.errors, (filterset_class, params)
            if whole.is_valid():
                assert str(narrowed.qs.query) == str(whole.qs.query), (filterset_class, params)
            checked += 1
    assert checked > 1000


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
