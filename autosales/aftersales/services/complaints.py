"""Complaints: opening, assignment, resolution, the customer's acceptance and escalation."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from autosales.core.events import event_record
from autosales.core.exceptions import DomainError
from autosales.core.services import model_create, model_update

from ..choices import ComplaintCategory, ComplaintStatus, Severity
from ..models import AfterSalesSettings, Complaint
from ._common import _check_transition, _locked

COMPLAINT_TRANSITIONS = {
    ComplaintStatus.OPEN: {ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED},
    ComplaintStatus.IN_PROGRESS: {ComplaintStatus.RESOLVED},
    ComplaintStatus.RESOLVED: {ComplaintStatus.CLOSED, ComplaintStatus.IN_PROGRESS},
    ComplaintStatus.CLOSED: set(),
}


def complaint_open(
    *,
    customer,
    category: str,
    description: str,
    actor,
    severity: str = Severity.MEDIUM,
    store=None,
    owner=None,
    order=None,
    service_order=None,
    follow_up_call=None,
) -> Complaint:
    """Open a complaint; its due date follows from the severity (days in ``AfterSalesSettings``)."""
    if severity not in Severity.values:
        raise DomainError({"severity": _("Choose a severity.")})
    if category not in ComplaintCategory.values:
        raise DomainError({"category": _("Choose a category.")})
    due_date = timezone.localdate() + datetime.timedelta(
        days=AfterSalesSettings.current().complaint_days(severity)
    )
    return model_create(
        Complaint,
        actor=actor,
        action="complaint.opened",
        data={
            "customer": customer,
            "store": store or (service_order.store if service_order else None) or customer.store,
            "category": category,
            "severity": severity,
            "description": (description or "").strip(),
            "owner": owner or (actor if getattr(actor, "pk", None) else None),
            "order": order,
            "service_order": service_order,
            "follow_up_call": follow_up_call,
            "due_date": due_date,
        },
    )


def _complaint_move(complaint, target, actor, reason="", **fields):
    locked = _locked(Complaint, complaint.pk)
    _check_transition(COMPLAINT_TRANSITIONS, ComplaintStatus(locked.status), target, _("complaint"))
    old = locked.status
    locked.status = target
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=["status", *fields, "updated_at"])
    event_record(
        target=locked, action="complaint.status", actor=actor, from_state=old, to_state=target, reason=reason
    )
    complaint.refresh_from_db()
    return locked


def complaint_start(*, complaint: Complaint, actor) -> Complaint:
    with transaction.atomic():
        return _complaint_move(complaint, ComplaintStatus.IN_PROGRESS, actor)


def complaint_assign(*, complaint: Complaint, owner, actor) -> Complaint:
    with transaction.atomic():
        locked = _locked(Complaint, complaint.pk)
        result = model_update(locked, actor=actor, data={"owner": owner}, action="complaint.assigned")
    complaint.refresh_from_db()
    return result


def complaint_resolve(*, complaint: Complaint, resolution: str, actor) -> Complaint:
    if not (resolution or "").strip():
        raise DomainError({"resolution": _("Describe how the complaint was resolved.")})
    with transaction.atomic():
        return _complaint_move(
            complaint,
            ComplaintStatus.RESOLVED,
            actor,
            resolution=resolution.strip(),
            resolved_at=timezone.now(),
            customer_accepted=None,
        )


def complaint_record_acceptance(*, complaint: Complaint, accepted: bool, actor, note: str = "") -> Complaint:
    """The customer's answer to the resolution: accepted closes the complaint, refused reopens it."""
    with transaction.atomic():
        if accepted:
            return _complaint_move(
                complaint, ComplaintStatus.CLOSED, actor, reason=note.strip(), customer_accepted=True
            )
        if not note.strip():
            raise DomainError({"note": _("Note what the customer still expects.")})
        return _complaint_move(
            complaint, ComplaintStatus.IN_PROGRESS, actor, reason=note.strip(), customer_accepted=False
        )


def complaints_escalate(*, actor=None, today: datetime.date | None = None) -> int:
    """Mark open complaints past their due date as escalated (once each), with an event. Returns how many."""
    today = today or timezone.localdate()
    count = 0
    with transaction.atomic():
        overdue = Complaint.objects.select_for_update().filter(
            status__in=[ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS],
            due_date__lt=today,
            escalated_at__isnull=True,
        )
        now = timezone.now()
        for complaint in overdue:
            complaint.escalated_at = now
            complaint.save(update_fields=["escalated_at", "updated_at"])
            event_record(
                target=complaint,
                action="complaint.escalated",
                actor=actor,
                reason=str(_("Overdue since %(date)s") % {"date": complaint.due_date.isoformat()}),
            )
            count += 1
    return count
