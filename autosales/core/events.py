"""The audit trail: one ``Event`` row per change of state.

Every workflow step writes one or more events inside its transaction, so ``event_record`` builds
the row as ``Model.from_db`` does (``core.loading.row_instance``) and inserts it with the compiled
statement of ``core.writes`` when nothing observes the difference (no receiver of ``Event``'s
save signals); the row is the one ``Event.objects.create`` writes, which is used otherwise.
"""

import functools

from django.db import router

from .models import Event, content_type_for
from .writes import inserted, save_observed


@functools.cache
def _insert_plan():
    meta = Event._meta
    names = [field.attname for field in meta.concrete_fields]
    insert_fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
    return names, insert_fields, meta.db_returning_fields


def event_record(
    *,
    target,
    action: str,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> Event:
    """Write one audit event for a change of state of ``target``."""
    content_type = content_type_for(type(target))
    actor = actor if getattr(actor, "pk", None) else None
    fields = {
        "content_type_id": content_type.pk,
        "object_id": target.pk,
        "action": action,
        "from_state": from_state or "",
        "to_state": to_state or "",
        "reason": reason or "",
        "data": data or {},
        "actor_id": None if actor is None else actor.pk,
    }
    if not save_observed(Event):
        names, insert_fields, returning = _insert_plan()
        values = [fields.get(name) for name in names]
        event = inserted(Event, router.db_for_write(Event), names, values, insert_fields, returning)
        if event is not None:
            return event
    fields.pop("content_type_id")
    fields.pop("actor_id")
    return Event.objects.create(content_type=content_type, actor=actor, **fields)


def events_for(target):
    return Event.objects.filter(
        content_type=content_type_for(type(target)), object_id=target.pk
    ).select_related("actor")
