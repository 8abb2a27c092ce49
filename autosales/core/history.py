"""django-simple-history's ``Model.history`` manager, built once per model.

The library's descriptor makes a new manager class (``Manager.from_queryset``, which inspects
every method of the queryset class) on each access, and it reads ``instance.history`` for every
historical row it writes: a quarter of a millisecond per saved row. The class depends only on the
manager and queryset classes, so it is made once and reused; the manager itself is still bound to
the model and instance of each access.
"""

import functools

from simple_history.manager import HistoryDescriptor


@functools.cache
def _manager_class(manager_class, queryset_class):
    return manager_class.from_queryset(queryset_class)


def _history_descriptor_get(self, instance, owner):
    return _manager_class(self.manager_class, self.queryset_class)(self.model, instance)


def history_manager_classes_cached():
    HistoryDescriptor.__get__ = _history_descriptor_get
