"""Short configuration tables that every workflow step reads, kept in process memory for a moment.

The approval matrix, margin floors, tax rules and analysis settings are read by each quote a
salesperson prices and submits, and change a few times a year. A function decorated with
``config_cached(Model, ...)`` keeps its answer per arguments in this process for
``AUTOSALES_CONFIG_CACHE_SECONDS`` (default 2; 0 reads the database every time):

* a save or delete of one of the models in this process drops every kept answer at once;
  while that change is not committed, the connection that made it reads the database and keeps
  nothing, and the answers are dropped again when it commits;
* another process (another gunicorn worker, another app server) sees the change when its answers
  expire, at most that many seconds later.

Answers are values no caller changes: tuples, numbers, frozen dataclasses, or model instances
that callers only read.
"""

import functools
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.signals import post_delete, post_save

_entries: dict = {}
_generation = [0]
_local = threading.local()


def _pending() -> set:
    """Aliases of this thread's connections with an uncommitted change to a cached table."""
    try:
        return _local.pending
    except AttributeError:
        _local.pending = set()
        return _local.pending


def _drop():
    _generation[0] += 1
    _entries.clear()


def config_cache_clear():
    """Forget every kept answer (and this thread's record of uncommitted changes)."""
    _drop()
    _pending().clear()


def _committed(alias: str):
    def callback():
        _pending().discard(alias)
        _drop()

    return callback


def _changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    _drop()
    if connections[using].in_atomic_block:
        pending = _pending()
        if using not in pending:
            pending.add(using)
            transaction.on_commit(_committed(using), using=using)


def _watch(model):
    uid = f"autosales.config_cache.{model._meta.label}"
    post_save.connect(_changed, sender=model, weak=False, dispatch_uid=uid + ".save")
    post_delete.connect(_changed, sender=model, weak=False, dispatch_uid=uid + ".delete")


class ConfigQuerySet(models.QuerySet):
    """The manager of a cached table: rows changed in bulk drop the kept answers as saves do."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        _changed(self.model, using=self.db)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _changed(self.model, using=self.db)
        return created


def _bypass(pending: set) -> bool:
    """True while a change made on this thread is not committed; afterwards (committed or rolled
    back) the record is dropped together with whatever was kept."""
    if any(connections[alias].in_atomic_block for alias in pending):
        return True
    pending.clear()
    _drop()
    return False


def config_cached(*models):
    """Keep the decorated function's answers (per positional arguments) for a moment; any save or
    delete of ``models`` drops them."""

    def decorate(function):
        for model in models:
            _watch(model)

        @functools.wraps(function)
        def cached(*args):
            seconds = settings.AUTOSALES_CONFIG_CACHE_SECONDS
            if seconds <= 0:
                return function(*args)
            pending = _pending()
            if pending and _bypass(pending):
                return function(*args)
            key = (function, args)
            now = time.monotonic()
            hit = _entries.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
            generation = _generation[0]
            value = function(*args)
            # A change that arrived while the database was read may not be in ``value``.
            if generation == _generation[0]:
                _entries[key] = (now + seconds, value)
            return value

        return cached

    return decorate
