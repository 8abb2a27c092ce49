"""Reads shared by every domain: the audit history of one record."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from .access import COST_FIELD_NAMES, PERSONAL_FIELD_NAMES, can_see_cost, can_see_personal_data, mask_personal
from .events import events_for

# Bookkeeping columns whose changes say nothing to a reader.
SKIPPED_FIELDS = frozenset({"id", "updated_at", "created_at"})
# Events of these actions repeat what the field history already shows.
EVENTS_COVERED_BY_HISTORY = frozenset({"created", "updated"})


@dataclass
class HistoryChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: object
    # created, changed, deleted (field history) or event (a transition with its reason)
    kind: str
    action: str = ""
    from_state: str = ""
    to_state: str = ""
    reason: str = ""
    changes: list[HistoryChange] = field(default_factory=list)


def _text(field, value, related) -> str:
    if value is None or value == "":
        return ""
    if field.is_relation:
        target = related.get(field.related_model, {}).get(value)
        return str(target) if target is not None else f"#{value}"
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def history_for(obj, *, user=None, limit: int = 50, states=None) -> list[HistoryEntry]:
    """The record's audit trail, newest first: field changes (who, when, old → new) merged with its events.

    Fixed number of queries whatever the length of the history: the versions, the events, and one
    query per kind of related row named in the changes. Cost fields are left out for users who may
    not see cost; mobiles and ID numbers are masked unless ``can_see_personal_data`` allows them.
    ``states`` (a choices class) names the events' states in the user's language.
    """
    state_labels = dict(states.choices) if states is not None else {}
    model = type(obj)
    entries: list[HistoryEntry] = []
    manager = getattr(model, "history", None)
    if manager is not None:
        versions = list(
            manager.filter(id=obj.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: limit + 1]
        )
        versions.reverse()
        baseline = versions.pop(0) if len(versions) > limit else None
        show_cost = user is None or can_see_cost(user)
        customer = obj if model._meta.label_lower == "parties.customer" else getattr(obj, "customer", None)
        masked = user is not None and not can_see_personal_data(user, customer)
        # Fields left out of the history (figures derived from other rows) have nothing to show.
        recorded = {f.attname for f in manager.model._meta.concrete_fields}
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in SKIPPED_FIELDS
            and f.attname in recorded
            and (show_cost or f.name not in COST_FIELD_NAMES)
        ]
        raw_changes = []
        wanted: dict[type, set] = {}
        previous = baseline
        for version in versions:
            changed = []
            if version.history_type != "-":
                for f in fields:
                    new = getattr(version, f.attname)
                    old = getattr(previous, f.attname) if previous is not None else None
                    if previous is None and new in (None, "", False):
                        continue
                    if old != new:
                        changed.append((f, old, new))
                        if f.is_relation:
                            wanted.setdefault(f.related_model, set()).update(v for v in (old, new) if v)
            raw_changes.append((version, changed))
            previous = version
        related = {target: target._default_manager.in_bulk(ids) for target, ids in wanted.items() if ids}
        kinds = {"+": "created", "~": "changed", "-": "deleted"}
        for version, changed in raw_changes:
            changes = []
            for f, old, new in changed:
                old_text, new_text = _text(f, old, related), _text(f, new, related)
                if masked and f.name in PERSONAL_FIELD_NAMES:
                    old_text, new_text = mask_personal(old_text) if old_text else "", mask_personal(new_text)
                changes.append(HistoryChange(f.name, capfirst(str(f.verbose_name)), old_text, new_text))
            kind = kinds.get(version.history_type, "changed")
            if kind == "changed" and not changes:
                continue
            entries.append(
                HistoryEntry(
                    at=version.history_date,
                    user=version.history_user,
                    kind=kind,
                    action=kind,
                    reason=version.history_change_reason or "",
                    changes=changes,
                )
            )
    covered = EVENTS_COVERED_BY_HISTORY if manager is not None else frozenset()
    for event in events_for(obj)[:limit]:
        if event.action in covered:
            continue
        entries.append(
            HistoryEntry(
                at=event.created_at,
                user=event.actor,
                kind="event",
                action=event.action,
                from_state=str(state_labels.get(event.from_state, event.from_state)),
                to_state=str(state_labels.get(event.to_state, event.to_state)),
                reason=event.reason,
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


def is_history_model(model) -> bool:
    return isinstance(getattr(model, "history", None), models.Manager)
