"""Helpers shared by the sales services: one way to move a workflow and record it."""

from django.utils import timezone

from autosales.core.events import event_record
from autosales.core.prepared import prepared

from ..models import Order, Quote, QuoteLine
from ..workflows import transition_check

# The reads every workflow step makes, compiled once per connection (autosales.core.prepared).
quote_locked = prepared(lambda pk: Quote.objects.select_for_update().filter(pk=pk))
order_locked = prepared(lambda pk: Order.objects.select_for_update().filter(pk=pk))
_lines = prepared(lambda quote_id: QuoteLine.objects.filter(quote_id=quote_id))
_lines_with_trims = prepared(
    lambda quote_id: QuoteLine.objects.select_related("trim").filter(quote_id=quote_id)
)


def quote_lines(quote, *, trims: bool = False) -> list:
    """``list(quote.lines.all())``, or with ``select_related("trim")``; each line knows its quote."""
    lines = (_lines_with_trims if trims else _lines).list(quote.pk)
    for line in lines:
        QuoteLine.quote.field.set_cached_value(line, quote)
    return lines


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
