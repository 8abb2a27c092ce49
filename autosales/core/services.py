"""Create and update helpers shared by the domain services: validate on the model, save, record an event."""

from django.db import transaction

from .events import event_record


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, str | int | bool | type(None)):
        return value
    return str(value)


def _history_user(instance, actor):
    # simple-history takes the user from the request; services also run without one (commands, tests).
    if getattr(actor, "pk", None):
        instance._history_user = actor


def model_create(model, *, actor, data: dict, action: str = "created"):
    """Build ``model`` from ``data``, validate it with ``full_clean`` and save it with an event."""
    with transaction.atomic():
        instance = model(**data)
        if hasattr(instance, "created_by_id") and actor is not None and getattr(actor, "pk", None):
            instance.created_by = actor
        instance.full_clean()
        _history_user(instance, actor)
        instance.save()
        event_record(
            target=instance, action=action, actor=actor, data={k: _plain(v) for k, v in data.items()}
        )
    return instance


def model_update(instance, *, actor, data: dict, action: str = "updated"):
    """Apply ``data`` to ``instance``, validate, save only changed fields, and record old and new values."""
    with transaction.atomic():
        changes = {}
        for name, value in data.items():
            old = getattr(instance, name)
            if old != value:
                changes[name] = {"old": _plain(old), "new": _plain(value)}
                setattr(instance, name, value)
        instance.full_clean()
        if changes:
            fields = [instance._meta.get_field(name).attname for name in changes]
            if hasattr(instance, "updated_at"):
                fields.append("updated_at")
            # clean() may normalise values (e.g. a VIN to capitals): save what it produced.
            _history_user(instance, actor)
            instance.save(update_fields=fields)
            event_record(target=instance, action=action, actor=actor, data=changes)
    return instance


def export_log(*, user, what: str, rows: int, file_format: str = "", filters: dict | None = None):
    """Record that ``user`` exported ``rows`` rows of ``what`` (PIPL: every export of personal data)."""
    from .models import ExportLog

    return ExportLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        what=str(what)[:200],
        rows=rows,
        file_format=file_format,
        filters={key: _plain(value) for key, value in (filters or {}).items()},
    )
