"""Helpers shared by the sales services: one way to move a workflow and record it."""

from django.utils import timezone

from autosales.core.events import event_record

from ..workflows import transition_check


def transition(
    obj,
    *,
    workflow: str,
    field: str,
    target: str,
    actor,
    action: str,
    reason: str = "",
    data=None,
    extra_fields=(),
):
    """Check the workflow table, set the new state, save only what changed, and write the event."""
    current = getattr(obj, field)
    transition_check(workflow, current, target)
    setattr(obj, field, target)
    fields = [field, *extra_fields]
    if hasattr(obj, "updated_at"):
        fields.append("updated_at")
    obj.save(update_fields=fields)
    event_record(
        target=obj,
        action=action,
        actor=actor,
        from_state=current,
        to_state=target,
        reason=reason,
        data=data or {},
    )
    return obj


def now():
    return timezone.now()


def today():
    return timezone.localdate()


def role_of(user) -> str:
    if user is None:
        return ""
    if getattr(user, "is_superuser", False):
        return "admin"
    return getattr(user, "role", "")
