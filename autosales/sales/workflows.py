"""The allowed transitions of each sales workflow, declared once and checked in one place."""

from django.utils.translation import gettext_lazy as _

from autosales.core.exceptions import DomainError

from .choices import AgreementStatus, LeadStage, LostRequestStatus, OrderStatus, QuoteStatus

LEAD = {
    LeadStage.NEW: {LeadStage.CONTACTED, LeadStage.TEST_DRIVE, LeadStage.QUOTED, LeadStage.LOST},
    LeadStage.CONTACTED: {LeadStage.TEST_DRIVE, LeadStage.QUOTED, LeadStage.NEGOTIATING, LeadStage.LOST},
    LeadStage.TEST_DRIVE: {LeadStage.QUOTED, LeadStage.NEGOTIATING, LeadStage.LOST},
    LeadStage.QUOTED: {LeadStage.NEGOTIATING, LeadStage.WON, LeadStage.LOST},
    LeadStage.NEGOTIATING: {LeadStage.QUOTED, LeadStage.WON, LeadStage.LOST},
    LeadStage.WON: set(),
    LeadStage.LOST: set(),
}

LOST_REQUEST = {
    LostRequestStatus.NONE: {LostRequestStatus.PENDING},
    LostRequestStatus.RETURNED: {LostRequestStatus.PENDING},
    LostRequestStatus.PENDING: {LostRequestStatus.APPROVED, LostRequestStatus.RETURNED},
    LostRequestStatus.APPROVED: set(),
}

QUOTE = {
    QuoteStatus.DRAFT: {
        QuoteStatus.PENDING_APPROVAL,
        QuoteStatus.APPROVED,
        QuoteStatus.CANCELLED,
    },
    QuoteStatus.PENDING_APPROVAL: {
        QuoteStatus.APPROVED,
        QuoteStatus.REJECTED,
        QuoteStatus.DRAFT,
        QuoteStatus.CANCELLED,
    },
    QuoteStatus.REJECTED: {QuoteStatus.DRAFT, QuoteStatus.CANCELLED},
    QuoteStatus.APPROVED: {
        QuoteStatus.SENT,
        QuoteStatus.ACCEPTED,
        QuoteStatus.DRAFT,
        QuoteStatus.EXPIRED,
        QuoteStatus.CANCELLED,
    },
    QuoteStatus.SENT: {QuoteStatus.ACCEPTED, QuoteStatus.DRAFT, QuoteStatus.EXPIRED, QuoteStatus.CANCELLED},
    QuoteStatus.ACCEPTED: set(),
    QuoteStatus.EXPIRED: {QuoteStatus.DRAFT, QuoteStatus.CANCELLED},
    QuoteStatus.CANCELLED: set(),
}
# A quote's lines may change only in these states; a change to an approved or sent quote
# sends it back through approval.
QUOTE_EDITABLE = (
    QuoteStatus.DRAFT,
    QuoteStatus.REJECTED,
    QuoteStatus.APPROVED,
    QuoteStatus.SENT,
    QuoteStatus.EXPIRED,
)

ORDER = {
    OrderStatus.DRAFT: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.DEPOSIT_PAID, OrderStatus.CANCELLED},
    OrderStatus.DEPOSIT_PAID: {OrderStatus.ALLOCATED, OrderStatus.PAID, OrderStatus.CANCELLED},
    OrderStatus.ALLOCATED: {OrderStatus.PAID, OrderStatus.CANCELLED},
    OrderStatus.PAID: {OrderStatus.DELIVERED, OrderStatus.CANCELLED},
    OrderStatus.DELIVERED: {OrderStatus.CLOSED},
    OrderStatus.CLOSED: set(),
    OrderStatus.CANCELLED: set(),
}

AGREEMENT = {
    AgreementStatus.DRAFT: {AgreementStatus.ACTIVE, AgreementStatus.TERMINATED},
    AgreementStatus.ACTIVE: {AgreementStatus.EXPIRED, AgreementStatus.TERMINATED},
    AgreementStatus.EXPIRED: set(),
    AgreementStatus.TERMINATED: set(),
}

WORKFLOWS = {
    "lead": (LEAD, LeadStage, _("lead")),
    "lost_request": (LOST_REQUEST, LostRequestStatus, _("lost-lead request")),
    "quote": (QUOTE, QuoteStatus, _("quote")),
    "order": (ORDER, OrderStatus, _("order")),
    "agreement": (AGREEMENT, AgreementStatus, _("fleet agreement")),
}


def allowed(workflow: str, current: str) -> set:
    table, _choices, _label = WORKFLOWS[workflow]
    return set(table.get(current, set()))


def can_transition(workflow: str, current: str, target: str) -> bool:
    return target in allowed(workflow, current)


def transition_check(workflow: str, current: str, target: str) -> None:
    """Refuse a transition the workflow does not allow, naming both states in the user's language."""
    if can_transition(workflow, current, target):
        return
    _table, choices, label = WORKFLOWS[workflow]
    labels = dict(choices.choices)
    raise DomainError(
        _("A %(what)s that is “%(current)s” cannot become “%(target)s”.")
        % {
            "what": label,
            "current": labels.get(current, current) or _("none"),
            "target": labels.get(target, target),
        },
        code="illegal_transition",
    )
