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

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
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


def row_instance(cls, db, field_names, values):
    """The instance ``Model.from_db`` would build, or ``None`` when Django must build it."""
    if (
        not _stores_plainly(cls)
        or len(field_names) != len(values)
        or (pre_init.receivers and pre_init.has_listeners(cls))
        or (post_init.receivers and post_init.has_listeners(cls))
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
