from .models import Event, content_type_for


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
    return Event.objects.create(
        content_type=content_type_for(type(target)),
        object_id=target.pk,
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        data=data or {},
        actor=actor if getattr(actor, "pk", None) else None,
    )


def events_for(target):
    return Event.objects.filter(
        content_type=content_type_for(type(target)), object_id=target.pk
    ).select_related("actor")
