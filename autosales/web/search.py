"""Global search: a list of providers, each finding one kind of record within what the user may see.

Another domain adds its records to the search box by appending a provider to ``PROVIDERS``
(for example from its web views module): ``PROVIDERS.append(SearchProvider(...))``.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from autosales.core.access import can_read_model


@dataclass(frozen=True)
class SearchResult:
    title: str
    subtitle: str
    url: str


@dataclass(frozen=True)
class SearchProvider:
    key: str
    label: str
    model_label: str
    # find(user, query, limit) -> iterable of model instances, already scoped to the user.
    find: Callable
    url_name: str
    describe: Callable = lambda obj: ""

    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_label)

    def results(self, user, query: str, limit: int) -> list[SearchResult]:
        if not can_read_model(user, self.model()):
            return []
        try:
            reverse(self.url_name, args=[1])
        except NoReverseMatch:
            return []
        return [
            SearchResult(str(obj), str(self.describe(obj)), reverse(self.url_name, args=[obj.pk]))
            for obj in self.find(user, query, limit)
        ]


def _customers(user, query, limit):
    from autosales.parties.selectors import customer_search

    return customer_search(user=user, query=query, limit=limit)


def _describe_customer(customer):
    parts = [customer.get_kind_display(), customer.mobile or customer.credit_code, str(customer.store)]
    return " · ".join(part for part in parts if part)


def _vehicles(user, query, limit):
    from autosales.inventory.selectors import vehicle_search

    return vehicle_search(user=user, query=query, limit=limit)


def _describe_vehicle(vehicle):
    parts = [str(vehicle.trim) if vehicle.trim_id else vehicle.description, vehicle.get_status_display()]
    return " · ".join(part for part in parts if part)


def _by_number(model_label):
    """Documents by number: the whole number or its beginning (e.g. ``SH01-2026-0001``), within scope."""

    def find(user, query, limit):
        from django.apps import apps

        from autosales.core.access import scope

        number = query.strip().upper()
        if not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]*)+", number):
            return []
        model = apps.get_model(model_label)
        queryset = scope(user, model.objects.select_related("customer"))
        return list(queryset.filter(number__startswith=number).order_by("number")[:limit])

    return find


def _describe_document(document):
    parts = [str(document.customer), document.get_status_display()]
    return " · ".join(part for part in parts if part)


PROVIDERS: list[SearchProvider] = [
    SearchProvider(
        "customers", _("Customers"), "parties.customer", _customers, "web:customer_detail", _describe_customer
    ),
    SearchProvider(
        "vehicles", _("Vehicles"), "inventory.vehicle", _vehicles, "web:vehicle_detail", _describe_vehicle
    ),
    SearchProvider(
        "quotes",
        _("Quotes"),
        "sales.quote",
        _by_number("sales.quote"),
        "web:quote_detail",
        _describe_document,
    ),
    SearchProvider(
        "orders",
        _("Orders"),
        "sales.order",
        _by_number("sales.order"),
        "web:order_detail",
        _describe_document,
    ),
    SearchProvider(
        "service_orders",
        _("Service orders"),
        "aftersales.serviceorder",
        _by_number("aftersales.serviceorder"),
        "web:service_order_detail",
        _describe_document,
    ),
]


def search_all(user, query: str, limit: int = 10) -> list[tuple[SearchProvider, list[SearchResult]]]:
    """Results per provider, in the order of ``PROVIDERS``; providers with no result are left out."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    sections = []
    for provider in PROVIDERS:
        results = provider.results(user, query, limit)
        if results:
            sections.append((provider, results))
    return sections
