"""The discount policy and tax rules: data a general manager edits, each change audited."""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from autosales.core.choices import Role
from autosales.core.events import event_record
from autosales.core.exceptions import DomainError
from autosales.core.numbering import number_next
from autosales.core.services import model_create, model_update

from ..choices import AgreementStatus
from ..models import ApprovalRule, FleetAgreement, FleetAgreementLine, MarginFloor, TaxRule
from ._common import role_of, today, transition

POLICY_ROLES = frozenset({Role.GENERAL_MANAGER, Role.ADMIN})
AGREEMENT_ROLES = frozenset({Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN})
POLICY_MODELS = {"approval_rule": ApprovalRule, "margin_floor": MarginFloor, "tax_rule": TaxRule}


def _policy_check(actor):
    if role_of(actor) not in POLICY_ROLES:
        raise DomainError(
            _("Only a general manager or an administrator changes the discount policy."),
            code="not_policy_owner",
        )


def policy_rule_save(*, kind: str, actor, instance=None, **data):
    """Create or change an approval rule, margin floor or tax rule."""
    _policy_check(actor)
    model = POLICY_MODELS[kind]
    if instance is None:
        return model_create(model, actor=actor, data=data, action="policy_created")
    return model_update(instance, actor=actor, data=data, action="policy_changed")


def policy_rule_delete(*, instance, actor) -> None:
    _policy_check(actor)
    with transaction.atomic():
        event_record(target=instance, action="policy_deleted", actor=actor, data={"str": str(instance)})
        instance.delete()


def fleet_agreement_create(
    *,
    actor,
    customer,
    starts_on: datetime.date,
    ends_on: datetime.date,
    store=None,
    volume_target: int = 0,
    payment_terms_days: int = 30,
    notes: str = "",
) -> FleetAgreement:
    """A draft framework agreement with a company; prices are added per trim, then it is activated."""
    if role_of(actor) not in AGREEMENT_ROLES:
        raise DomainError(_("Fleet agreements are made by a sales manager."), code="not_manager")
    store = store or customer.store
    with transaction.atomic():
        number = f"FA-{number_next(store=store, kind='agreement', year=(starts_on or today()).year)}"
        return model_create(
            FleetAgreement,
            actor=actor,
            data={
                "customer": customer,
                "store": store,
                "number": number,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "volume_target": volume_target,
                "payment_terms_days": payment_terms_days,
                "notes": notes,
            },
        )


def fleet_agreement_price_set(*, agreement: FleetAgreement, actor, trim, unit_price, volume: int = 0):
    """Set the agreed price of a trim (adds or replaces the line)."""
    if role_of(actor) not in AGREEMENT_ROLES:
        raise DomainError(_("Fleet agreements are made by a sales manager."), code="not_manager")
    with transaction.atomic():
        line = FleetAgreementLine.objects.filter(agreement=agreement, trim=trim).first()
        data = {"unit_price": unit_price, "volume": volume}
        if line is None:
            return model_create(
                FleetAgreementLine, actor=actor, data={"agreement": agreement, "trim": trim, **data}
            )
        return model_update(line, actor=actor, data=data)


def fleet_agreement_set_status(*, agreement: FleetAgreement, actor, status: str, reason: str = ""):
    """Activate, expire or terminate an agreement; an active one needs at least one agreed price."""
    if role_of(actor) not in AGREEMENT_ROLES:
        raise DomainError(_("Fleet agreements are made by a sales manager."), code="not_manager")
    with transaction.atomic():
        agreement = FleetAgreement.objects.select_for_update().get(pk=agreement.pk)
        if status == AgreementStatus.ACTIVE and not agreement.lines.exists():
            raise DomainError(_("Add at least one agreed price before activating."), code="no_prices")
        return transition(
            agreement,
            workflow="agreement",
            field="status",
            target=status,
            actor=actor,
            action="status_changed",
            reason=reason,
        )
