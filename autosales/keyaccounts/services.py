"""Writes of the key-account domain: configuration, account-type decisions, account plans."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from autosales.core.events import event_record
from autosales.core.exceptions import DomainError
from autosales.core.services import model_create, model_update

from .choices import AccountType, ActionStatus, Indicator, RelationshipStage, ValueGroup
from .models import (
    AccountPlan,
    AccountTypeOverride,
    AnalysisSettings,
    CostToServeRate,
    PlanAction,
    PlanObjective,
    ScorecardIndicator,
)
from .selectors import analysis_cache_clear

SETTINGS_FIELDS = tuple(
    f.name for f in AnalysisSettings._meta.concrete_fields if f.name not in {"id", "created_at", "updated_at"}
)


def settings_update(*, actor, data: dict) -> AnalysisSettings:
    """Change pyramid cut-offs, grades, normalisation or pitfall thresholds (validated on the model)."""
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise DomainError(_("Unknown setting: %(names)s") % {"names": ", ".join(sorted(unknown))})
    with transaction.atomic():
        row = AnalysisSettings.objects.select_for_update().order_by("pk").first()
        if row is None:
            row = model_create(AnalysisSettings, actor=actor, data={})
        row = model_update(row, actor=actor, data=data, action="settings_updated")
    analysis_cache_clear()
    return row


def cost_rates_set(*, actor, rates: dict) -> list[CostToServeRate]:
    """Set the cost of one activity per kind; kinds not given keep their rate."""
    result = []
    with transaction.atomic():
        for kind, rate in rates.items():
            row = CostToServeRate.objects.select_for_update().filter(activity_kind=kind).first()
            data = {"activity_kind": kind, "rate": Decimal(str(rate))}
            if row is None:
                result.append(model_create(CostToServeRate, actor=actor, data=data))
            else:
                result.append(model_update(row, actor=actor, data={"rate": data["rate"]}))
    analysis_cache_clear()
    return result


def scorecard_set(*, actor, indicators: list[dict]) -> list[ScorecardIndicator]:
    """Replace the scorecard: each item has ``indicator``, ``group``, ``weight`` and optional ``is_active``.

    Indicators not listed are switched off. The weights of the active indicators must add up to
    exactly 1; otherwise nothing changes and the error says what they add up to.
    """
    seen = set()
    cleaned = []
    for item in indicators:
        code = item.get("indicator")
        if code not in Indicator.values:
            raise DomainError({"indicators": _("Unknown indicator: %(code)s") % {"code": code}})
        if code in seen:
            raise DomainError(
                {"indicators": _("%(name)s is listed twice.") % {"name": Indicator(code).label}}
            )
        seen.add(code)
        group = item.get("group") or ValueGroup.CURRENT
        if group not in ValueGroup.values:
            raise DomainError({"indicators": _("Unknown value group: %(g)s") % {"g": group}})
        try:
            weight = Decimal(str(item.get("weight", "0"))).quantize(Decimal("0.0001"))
        except ArithmeticError as exc:
            raise DomainError({"indicators": _("A weight must be a number.")}) from exc
        if weight < 0 or weight > 1:
            raise DomainError({"indicators": _("A weight is between 0 and 1.")})
        active = bool(item.get("is_active", True)) and weight > 0
        cleaned.append((code, group, weight, active))
    total = sum((w for _c, _g, w, active in cleaned if active), Decimal("0"))
    if total != Decimal("1"):
        raise DomainError(
            {
                "indicators": _("The weights add up to %(total)s; they must add up to 1.")
                % {"total": f"{total:.4f}"}
            }
        )
    rows = []
    with transaction.atomic():
        existing = {row.indicator: row for row in ScorecardIndicator.objects.select_for_update()}
        for code, group, weight, active in cleaned:
            data = {"indicator": code, "group": group, "weight": weight, "is_active": active}
            if code in existing:
                rows.append(model_update(existing[code], actor=actor, data=data, action="scorecard_updated"))
            else:
                rows.append(model_create(ScorecardIndicator, actor=actor, data=data))
        for code, row in existing.items():
            if code not in seen and (row.is_active or row.weight):
                model_update(row, actor=actor, data={"is_active": False, "weight": Decimal("0")})
    analysis_cache_clear()
    return rows


def account_type_decide(*, actor, customer, account_type: str, note: str) -> AccountTypeOverride:
    """A manager sets the type of a key account by hand, with the reason."""
    if account_type not in AccountType.values:
        raise DomainError({"account_type": _("Choose intrinsic, extrinsic or strategic.")})
    with transaction.atomic():
        row = AccountTypeOverride.objects.select_for_update().filter(customer=customer).first()
        if row is None:
            row = model_create(
                AccountTypeOverride,
                actor=actor,
                data={"customer": customer, "account_type": account_type, "note": note},
                action="account_type_decided",
            )
        else:
            old = row.account_type
            model_update(row, actor=actor, data={"account_type": account_type, "note": note})
            event_record(
                target=customer,
                action="account_type_decided",
                actor=actor,
                from_state=old,
                to_state=account_type,
                reason=note,
            )
    analysis_cache_clear()
    return row


def account_type_decision_clear(*, actor, customer) -> None:
    """Go back to the suggested type."""
    with transaction.atomic():
        row = AccountTypeOverride.objects.select_for_update().filter(customer=customer).first()
        if row is None:
            return
        event_record(target=customer, action="account_type_cleared", actor=actor, from_state=row.account_type)
        row.delete()
    analysis_cache_clear()


def account_plan_create(
    *, actor, customer, owner=None, stage=RelationshipStage.DEVELOP, summary="", next_review=None
):
    if AccountPlan.objects.filter(customer=customer).exists():
        raise DomainError(
            {"customer": _("%(customer)s already has an account plan.") % {"customer": customer}}
        )
    return model_create(
        AccountPlan,
        actor=actor,
        data={
            "customer": customer,
            "owner": owner or actor,
            "stage": stage,
            "summary": summary,
            "next_review": next_review,
        },
    )


PLAN_FIELDS = frozenset({"owner", "stage", "summary", "next_review", "last_review"})


def account_plan_update(*, actor, plan: AccountPlan, data: dict, reason: str = "") -> AccountPlan:
    """Edit a plan; a change of relationship stage is recorded with its reason."""
    unknown = set(data) - PLAN_FIELDS
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
        old_stage = plan.stage
        plan = model_update(plan, actor=actor, data=data)
        if plan.stage != old_stage:
            event_record(
                target=plan,
                action="stage_changed",
                actor=actor,
                from_state=old_stage,
                to_state=plan.stage,
                reason=reason,
            )
    return plan


def account_plan_review(*, actor, plan: AccountPlan, next_review, note: str = "") -> AccountPlan:
    """Record that the plan was reviewed today and when to review it next."""
    today = timezone.localdate()
    if next_review is None or next_review <= today:
        raise DomainError({"next_review": _("The next review must be after today.")})
    with transaction.atomic():
        plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
        plan = model_update(
            plan, actor=actor, data={"last_review": today, "next_review": next_review}, action="reviewed"
        )
        if note:
            event_record(target=plan, action="review_note", actor=actor, reason=note)
    return plan


def plan_objective_add(*, actor, plan, title, measure="", target=None, due_date=None) -> PlanObjective:
    return model_create(
        PlanObjective,
        actor=actor,
        data={"plan": plan, "title": title, "measure": measure, "target": target, "due_date": due_date},
    )


def plan_objective_update(*, actor, objective: PlanObjective, data: dict) -> PlanObjective:
    allowed = {"title", "measure", "target", "due_date", "achieved"}
    if set(data) - allowed:
        raise DomainError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(set(data) - allowed))}
        )
    return model_update(objective, actor=actor, data=data)


def plan_action_add(*, actor, plan, title, owner, due_date, objective=None) -> PlanAction:
    if due_date is None:
        raise DomainError({"due_date": _("An action needs a due date.")})
    return model_create(
        PlanAction,
        actor=actor,
        data={"plan": plan, "title": title, "owner": owner, "due_date": due_date, "objective": objective},
    )


ACTION_TRANSITIONS = {
    ActionStatus.OPEN: {ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.DONE: {ActionStatus.OPEN},
    ActionStatus.CANCELLED: {ActionStatus.OPEN},
}


def plan_action_set_status(*, actor, action: PlanAction, status: str, outcome: str = "") -> PlanAction:
    """Complete, cancel or reopen an action (allowed moves in ``ACTION_TRANSITIONS``)."""
    with transaction.atomic():
        action = PlanAction.objects.select_for_update().get(pk=action.pk)
        if status not in ACTION_TRANSITIONS.get(action.status, set()):
            raise DomainError(
                {
                    "status": _("An action that is %(old)s cannot become %(new)s.")
                    % {
                        "old": ActionStatus(action.status).label,
                        "new": ActionStatus(status).label if status in ActionStatus.values else status,
                    }
                }
            )
        old = action.status
        action.status = status
        action.completed_at = timezone.now() if status == ActionStatus.DONE else None
        if outcome:
            action.outcome = outcome
        action.full_clean()
        action.save(update_fields=["status", "completed_at", "outcome", "updated_at"])
        event_record(
            target=action,
            action="status_changed",
            actor=actor,
            from_state=old,
            to_state=status,
            reason=outcome,
        )
    return action
