"""Model instances from database rows, for models whose ``__init__`` would only store the values.

``Model.from_db`` builds each row through ``Model.__init__``: two signals sent, the values
padded to every concrete field and each stored through ``setattr``. A page of 50 orders with
their customers and stores is 150 such calls, a good part of the list's time. When nothing can
observe the difference — no ``pre_init``/``post_init`` receiver for the class, no ``__init__``
of its own, and only Django's plain field descriptors (which store the value in the instance's
``__dict__``, as ``setattr`` would) — ``row_instance`` puts the values in place directly; the
instance is the same as Django's (state, deferred fields, cached relations). Otherwise it returns
``None`` and Django's ``from_db`` builds the row. The project's base models and ``User`` call it
from their ``from_db``.
"""

import functools
from inspect import getattr_static

from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


@functools.cache
def _stores_plainly(cls) -> bool:
    """No ``__init__`` but Django's, and only plain field descriptors (decided once per class)."""
    return all(klass in (Model, object) for klass in cls.__mro__ if "__init__" in vars(klass)) and all(
        type(getattr_static(cls, field.attname, None)) in _PLAIN_DESCRIPTORS
        for field in cls._meta.concrete_fields
    )


def listened(signal, sender) -> bool:
    """Whether ``signal`` sent by ``sender`` reaches a receiver (checked cheaply when it has none)."""
    return bool(signal.receivers) and signal.has_listeners(sender)


def row_instance(cls, db, field_names, values):
    """The instance ``Model.from_db`` would build, or ``None`` when Django must build it."""
    if (
        not _stores_plainly(cls)
        or len(field_names) != len(values)
        or listened(pre_init, cls)
        or listened(post_init, cls)
    ):
        return None
    instance = cls.__new__(cls)
    state = ModelState()
    state.adding = False
    state.db = db
    attributes = instance.__dict__
    attributes["_state"] = state
    attributes.update(zip(field_names, values, strict=True))
    return instance


def loads_models_by_pk(queryset) -> bool:
    """A queryset of model rows that can be read again by primary key (``in_bulk``)."""
    return (
        isinstance(queryset, QuerySet)
        and queryset._iterable_class is ModelIterable
        and not queryset.query.distinct_fields
        and not queryset.query.combinator
        and not queryset.query.is_sliced
    )


def unfiltered_model_rows(queryset) -> bool:
    """Model rows of every store, with joined rows: the shape ``page_rows`` reads by id."""
    return loads_models_by_pk(queryset) and not queryset.query.where and bool(queryset.query.select_related)


def rows_by_id(queryset, ids) -> list:
    """The rows of ``queryset`` with these ids, in their order: one lookup by primary key, with no
    ORDER BY (with one, SQLite walks the ordering index through every row in scope)."""
    rows = queryset.order_by().in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def page_rows(queryset, start: int, stop: int) -> list:
    """``list(queryset[start:stop])``.

    An unfiltered list with joined rows (a general manager's: every store) reads the page's ids
    from the ordering index first and then their rows by id: joined to the few stores, SQLite
    would otherwise read every row through the store index and sort them all (0.2 s for 216,000
    service orders) instead of reading 50 from the ordering index.
    """
    if not unfiltered_model_rows(queryset):
        return list(queryset[start:stop])
    return rows_by_id(queryset, list(queryset.values_list("pk", flat=True)[start:stop]))
