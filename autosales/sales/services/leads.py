"""Leads, activities and lost-lead requests."""

import datetime

from django.db import transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from autosales.core.choices import Role
from autosales.core.events import event_record
from autosales.core.exceptions import DomainError
from autosales.core.models import Store, User
from autosales.parties.choices import CustomerKind
from autosales.parties.models import Customer
from autosales.parties.services import customer_create

from .. import selectors
from ..choices import OPEN_LEAD_STAGES, ActivityKind, LeadSource, LeadStage, LostReason, LostRequestStatus
from ..models import Activity, Lead, LeadStageSetting
from ._common import now, role_of, transition

MANAGER_ROLES = frozenset({Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN})

DUPLICATE_REFUSE = "refuse"
DUPLICATE_MERGE = "merge"


def _next_salesperson(store: Store):
    """Round-robin within a store: the active salesperson who was given a lead longest ago."""
    last_lead = (
        Lead.objects.filter(owner=OuterRef("pk"), store=store)
        .values("owner")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    return (
        User.objects.filter(store=store, role=Role.SALESPERSON, is_active=True)
        .annotate(last_lead=Subquery(last_lead))
        # Never-assigned salespeople first, then the longest waiting.
        .order_by(F("last_lead").asc(nulls_first=True), "id")
        .first()
    )


def _find_customer(*, kind, name, mobile, credit_code):
    from autosales.core.validators import normalize_code, normalize_mobile

    mobile = normalize_mobile(mobile or "")
    credit_code = normalize_code(credit_code or "")
    if mobile:
        found = Customer.objects.filter(mobile=mobile).first()
        if found:
            return found
    if credit_code:
        found = Customer.objects.filter(credit_code=credit_code).first()
        if found:
            return found
    if kind == CustomerKind.COMPANY and name:
        return Customer.objects.filter(kind=CustomerKind.COMPANY, name=name.strip()).first()
    return None


def lead_create(
    *,
    actor,
    store: Store,
    customer: Customer | None = None,
    customer_data: dict | None = None,
    source: str = LeadSource.WALK_IN,
    owner=None,
    interested_trim=None,
    quantity: int = 1,
    expected_value=0,
    expected_close=None,
    next_follow_up=None,
    notes: str = "",
    on_duplicate: str = DUPLICATE_REFUSE,
) -> Lead:
    """Open a lead for an existing customer or a new one described by ``customer_data``.

    A customer with the same mobile, credit code or company name is reused. If that customer
    already has an open lead, the new one is refused naming the existing lead, or merged into it
    (its notes appended) when ``on_duplicate="merge"``; the existing lead is then returned.
    Without an explicit owner, the customer's owner gets the lead, else the next salesperson of
    the store in turn.
    """
    if on_duplicate not in (DUPLICATE_REFUSE, DUPLICATE_MERGE):
        raise ValueError(on_duplicate)
    with transaction.atomic():
        # Serialise assignments per store so round-robin does not give two leads to the same person.
        Store.objects.select_for_update().filter(pk=store.pk).first()
        if customer is None:
            data = dict(customer_data or {})
            customer = _find_customer(
                kind=data.get("kind", CustomerKind.PERSON),
                name=data.get("name", ""),
                mobile=data.get("mobile", ""),
                credit_code=data.get("credit_code", ""),
            )
            is_new_customer = customer is None
        else:
            is_new_customer = False
        if customer is not None:
            existing = selectors.duplicate_open_lead(customer)
            if existing is not None:
                if on_duplicate == DUPLICATE_MERGE:
                    return _lead_merge(existing, actor=actor, source=source, notes=notes, quantity=quantity)
                raise DomainError(
                    _(
                        "%(customer)s already has an open lead: no. %(id)s at %(store)s, "
                        "owned by %(owner)s. Add to that lead instead."
                    )
                    % {
                        "customer": customer.name,
                        "id": existing.pk,
                        "store": existing.store,
                        "owner": existing.owner or _("nobody"),
                    },
                    code="duplicate_lead",
                )
        if owner is None:
            if customer is not None and customer.owner_id and customer.owner.is_active:
                owner = customer.owner
            else:
                owner = _next_salesperson(store)
        if is_new_customer:
            data = dict(customer_data or {})
            data.setdefault("store", store)
            data.setdefault("owner", owner)
            customer = customer_create(actor=actor, **data)
        stage = LeadStage.NEW
        lead = Lead(
            store=store,
            customer=customer,
            owner=owner,
            source=source,
            stage=stage,
            probability=selectors.stage_probability(stage),
            interested_trim=interested_trim,
            quantity=quantity or 1,
            expected_value=expected_value or 0,
            expected_close=expected_close,
            next_follow_up=next_follow_up,
            notes=notes,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        lead.full_clean()
        lead.save()
        event_record(
            target=lead,
            action="created",
            actor=actor,
            to_state=stage,
            data={"source": source, "owner": getattr(owner, "pk", None), "new_customer": is_new_customer},
        )
    return lead


def _lead_merge(lead: Lead, *, actor, source, notes, quantity) -> Lead:
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    addition = str(_("Merged enquiry (%(source)s)") % {"source": LeadSource(source).label})
    if notes:
        addition += f": {notes}"
    lead.notes = f"{lead.notes}\n{addition}".strip()
    if quantity and quantity > lead.quantity:
        lead.quantity = quantity
    lead.save(update_fields=["notes", "quantity", "updated_at"])
    event_record(target=lead, action="merged", actor=actor, data={"source": source, "notes": notes})
    return lead


def lead_assign(*, lead: Lead, owner, actor, reason: str = "") -> Lead:
    """Give a lead to a salesperson of its store."""
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if owner.store_id != lead.store_id and not owner.is_group_wide:
            raise DomainError(_("Choose a salesperson of the lead's store."), code="wrong_store")
        if lead.stage not in OPEN_LEAD_STAGES:
            raise DomainError(_("Only an open lead can be reassigned."), code="closed_lead")
        old = lead.owner_id
        lead.owner = owner
        lead.save(update_fields=["owner", "updated_at"])
        event_record(
            target=lead, action="assigned", actor=actor, reason=reason, data={"from": old, "to": owner.pk}
        )
    return lead


def lead_stage_change(*, lead: Lead, stage: str, actor, reason: str = "") -> Lead:
    """Move a lead along the funnel; its probability becomes the stage's default.

    Won comes from a confirmed order and lost from an approved lost-lead request.
    """
    if stage == LeadStage.LOST:
        raise DomainError(
            _("A lead is closed as lost through a lost-lead request approved by a manager."),
            code="use_lost_request",
        )
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        return _lead_move(lead, stage=stage, actor=actor, reason=reason)


def _lead_move(lead: Lead, *, stage, actor, reason="", action="stage_changed"):
    lead.probability = selectors.stage_probability(stage)
    extra = ["probability"]
    if stage in (LeadStage.WON, LeadStage.LOST):
        lead.closed_at = now()
        extra.append("closed_at")
    return transition(
        lead,
        workflow="lead",
        field="stage",
        target=stage,
        actor=actor,
        action=action,
        reason=reason,
        extra_fields=extra,
    )


def lead_advance_to(lead: Lead, *, stage: str, actor, action: str):
    """Move an open lead forward to ``stage`` if it is still before it (used by other services)."""
    order = list(OPEN_LEAD_STAGES) + [LeadStage.WON]
    if lead.stage not in OPEN_LEAD_STAGES or order.index(lead.stage) >= order.index(stage):
        return lead
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    return _lead_move(lead, stage=stage, actor=actor, action=action)


def lead_update(*, lead: Lead, actor, **data) -> Lead:
    from autosales.core.services import model_update

    allowed = {
        "probability",
        "expected_value",
        "expected_close",
        "next_follow_up",
        "interested_trim",
        "quantity",
        "notes",
        "source",
    }
    unknown = set(data) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    return model_update(lead, actor=actor, data=data)


def stage_probability_set(*, stage: str, probability: int, actor) -> LeadStageSetting:
    """Change a stage's default win probability; open leads in that stage take the new value."""
    if actor is not None and role_of(actor) not in MANAGER_ROLES:
        raise DomainError(_("Only a manager sets stage probabilities."), code="not_manager")
    if not 0 <= int(probability) <= 100:
        raise DomainError({"probability": _("A probability is between 0 and 100%.")})
    with transaction.atomic():
        setting, _created = LeadStageSetting.objects.select_for_update().get_or_create(
            stage=stage, defaults={"probability": probability}
        )
        old = setting.probability
        setting.probability = probability
        setting.save(update_fields=["probability", "updated_at"])
        Lead.objects.filter(stage=stage).update(probability=probability)
        event_record(
            target=setting, action="probability_changed", actor=actor, data={"old": old, "new": probability}
        )
    return setting


def activity_log(
    *,
    actor,
    kind: str,
    customer: Customer | None = None,
    lead: Lead | None = None,
    notes: str = "",
    occurred_at: datetime.datetime | None = None,
    vehicle=None,
    licence_number: str = "",
    feedback: str = "",
    outcome: str = "",
    next_follow_up: datetime.date | None = None,
) -> Activity:
    """Record a call, visit, test drive or message, and optionally set the next follow-up date.

    Logging completes the customer's open follow-up tasks. A call or visit moves a new lead to
    contacted, a test drive moves it to test drive. Without a lead, the next follow-up becomes
    a follow-up task.
    """
    if lead is None and customer is None:
        raise DomainError(_("Choose a customer or a lead."), code="no_customer")
    with transaction.atomic():
        if lead is not None:
            lead = Lead.objects.select_for_update().get(pk=lead.pk)
            customer = customer or lead.customer
        store = lead.store if lead is not None else customer.store
        activity = Activity(
            customer=customer,
            lead=lead,
            store=store,
            user=actor,
            kind=kind,
            occurred_at=occurred_at or now(),
            notes=notes,
            vehicle=vehicle,
            licence_number=(licence_number or "").strip().upper(),
            feedback=feedback,
            outcome=outcome,
            next_follow_up=next_follow_up,
            due_date=next_follow_up if kind == ActivityKind.FOLLOW_UP else None,
            completed_at=None if kind == ActivityKind.FOLLOW_UP else now(),
            created_by=actor,
        )
        if kind == ActivityKind.TEST_DRIVE and vehicle is not None and not vehicle.is_demo:
            raise DomainError({"vehicle": _("Choose a demo vehicle for the test drive.")})
        activity.full_clean()
        activity.save()
        if kind != ActivityKind.FOLLOW_UP:
            Activity.objects.filter(
                customer=customer, kind=ActivityKind.FOLLOW_UP, completed_at__isnull=True
            ).update(completed_at=now())
        event_record(target=activity, action="logged", actor=actor, to_state=kind)
        if lead is not None:
            if next_follow_up is not None and lead.stage in OPEN_LEAD_STAGES:
                lead.next_follow_up = next_follow_up
                lead.save(update_fields=["next_follow_up", "updated_at"])
            if kind == ActivityKind.TEST_DRIVE:
                lead_advance_to(lead, stage=LeadStage.TEST_DRIVE, actor=actor, action="test_drive")
            elif kind in (
                ActivityKind.CALL,
                ActivityKind.VISIT,
                ActivityKind.CONSULTATION,
                ActivityKind.MESSAGE,
            ):
                lead_advance_to(lead, stage=LeadStage.CONTACTED, actor=actor, action="contacted")
        elif next_follow_up is not None and kind != ActivityKind.FOLLOW_UP:
            task = Activity(
                customer=customer,
                store=store,
                user=actor,
                kind=ActivityKind.FOLLOW_UP,
                occurred_at=now(),
                due_date=next_follow_up,
                notes=notes,
                created_by=actor,
            )
            task.full_clean()
            task.save()
    return activity


def lead_lost_request(*, lead: Lead, actor, reason: str, note: str = "") -> Lead:
    """A salesperson asks to close a lead as lost (战败申请), giving the reason."""
    if reason not in LostReason.values:
        raise DomainError({"lost_reason": _("Choose why the lead was lost.")})
    if reason == LostReason.OTHER and not note.strip():
        raise DomainError({"lost_note": _("Describe the reason when it is “Other”.")})
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if lead.stage not in OPEN_LEAD_STAGES:
            raise DomainError(_("This lead is already closed."), code="closed_lead")
        lead.lost_reason = reason
        lead.lost_note = note
        return transition(
            lead,
            workflow="lost_request",
            field="lost_request",
            target=LostRequestStatus.PENDING,
            actor=actor,
            action="lost_requested",
            reason=note,
            data={"reason": reason},
            extra_fields=["lost_reason", "lost_note"],
        )


def _manager_check(actor, lead):
    if role_of(actor) not in MANAGER_ROLES:
        raise DomainError(_("Only a sales manager decides lost-lead requests."), code="not_manager")
    if role_of(actor) == Role.SALES_MANAGER and actor.store_id != lead.store_id:
        raise DomainError(_("Only a manager of the lead's store decides this request."), code="wrong_store")


def lead_lost_approve(*, lead: Lead, actor, note: str = "") -> Lead:
    """A manager approves a lost-lead request: the lead closes as lost with its reason."""
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        _manager_check(actor, lead)
        transition(
            lead,
            workflow="lost_request",
            field="lost_request",
            target=LostRequestStatus.APPROVED,
            actor=actor,
            action="lost_approved",
            reason=note,
        )
        lead.next_follow_up = None
        lead.save(update_fields=["next_follow_up"])
        return _lead_move(lead, stage=LeadStage.LOST, actor=actor, reason=lead.lost_note, action="lost")


def lead_lost_return(*, lead: Lead, actor, note: str) -> Lead:
    """A manager sends a lost-lead request back: the lead stays open, with the manager's note."""
    if not (note or "").strip():
        raise DomainError({"note": _("Tell the salesperson why the request is sent back.")})
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        _manager_check(actor, lead)
        lead.lost_reason = ""
        return transition(
            lead,
            workflow="lost_request",
            field="lost_request",
            target=LostRequestStatus.RETURNED,
            actor=actor,
            action="lost_returned",
            reason=note,
            extra_fields=["lost_reason"],
        )
