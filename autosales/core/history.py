"""django-simple-history, made cheaper per saved row.

* ``Model.history``: the library's descriptor makes a new manager class
  (``Manager.from_queryset``, which inspects every method of the queryset class) on each access,
  and it reads ``instance.history`` for every historical row it writes: a quarter of a millisecond
  per saved row. The class depends only on the manager and queryset classes, so it is made once and
  reused; the manager itself is still bound to the model and instance of each access.
* ``HistoricalRecords``: the library builds each historical row through ``Model.__init__`` and
  saves it through ``Model.save()`` (0.3 ms for a quote). When nothing can observe the difference
  (no receiver of the history signals or of the historical model's save signals, no many-to-many
  or relation fields tracked), the row is built as ``Model.from_db`` builds one
  (``core.loading.row_instance``) and inserted with the statement of ``core.writes``; the row is
  the same. Otherwise the library writes it.
"""

import functools

from django.db import router
from django.utils import timezone
from simple_history import models as history_models
from simple_history.manager import HistoryDescriptor
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from .loading import listened
from .writes import inserted, save_observed

_HISTORY_COLUMNS = ("history_date", "history_type", "history_change_reason", "history_user_id")


@functools.cache
def _manager_class(manager_class, queryset_class):
    return manager_class.from_queryset(queryset_class)


def _history_descriptor_get(self, instance, owner):
    return _manager_class(self.manager_class, self.queryset_class)(self.model, instance)


def history_manager_classes_cached():
    HistoryDescriptor.__get__ = _history_descriptor_get


class HistoricalRecords(history_models.HistoricalRecords):
    """The library's ``HistoricalRecords``, writing each historical row with a compiled INSERT.

    The library indexes the history column of every foreign key, unique and indexed field: a
    quote's history table had 13 indexes, each written for every version saved. Versions are read
    by the object's id (``obj.history``), so only ``id`` keeps its index, with ``history_date`` and
    ``history_user``; ``indexed`` names other fields whose history column is searched.
    """

    def __init__(self, *args, indexed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indexed = {"id", *indexed}

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name not in self.indexed:
                field.db_index = False
        return fields

    def create_history_model(self, model, inherited):
        history_model = super().create_history_model(model, inherited)
        self.__dict__.setdefault("history_models", {})[model] = history_model
        return history_model

    @functools.cached_property
    def _plain(self):
        """Per tracked model: the attnames tracked and the history columns to insert, when the
        historical row is plain (else ``None``)."""
        plans = {}
        for model, history_model in self.__dict__.get("history_models", {}).items():
            meta = history_model._meta
            tracked = [field.attname for field in history_model.tracked_fields]
            columns = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
            names = tracked + list(_HISTORY_COLUMNS)
            plain = (
                not any(field.generated for field in meta.concrete_fields)
                and not self.m2m_fields
                and not getattr(model, self.m2m_fields_model_field_name, None)
                and getattr(history_model, "history_relation", None) is None
                and sorted(field.attname for field in columns) == sorted(names)
            )
            user_model = meta.get_field("history_user").related_model if plain else None
            plans[model] = (history_model, tracked, columns, user_model) if plain else None
        return plans

    def create_historical_record(self, instance, history_type, using=None):
        plan = self._plain.get(type(instance))
        if plan is None:
            return super().create_historical_record(instance, history_type, using)
        history_model, tracked, columns, user_model = plan
        if (
            listened(pre_create_historical_record, history_model)
            or listened(post_create_historical_record, history_model)
            or save_observed(history_model)
        ):
            return super().create_historical_record(instance, history_type, using)
        using = using if self.use_base_model_db else None
        try:
            history_date = instance._history_date
        except AttributeError:
            history_date = timezone.now()
        history_user = self.get_history_user(instance)
        if history_user is not None and not (
            isinstance(history_user, user_model) and history_user.pk is not None
        ):
            return super().create_historical_record(instance, history_type, using)
        values = [getattr(instance, name) for name in tracked]
        values += [
            history_date,
            history_type,
            self.get_change_reason_for_object(instance, history_type, using),
            None if history_user is None else history_user.pk,
        ]
        db = using or router.db_for_write(history_model)
        if inserted(history_model, db, [*tracked, *_HISTORY_COLUMNS], values, columns, ()) is not None:
            return
        return super().create_historical_record(instance, history_type, using)
