"""Template helpers of the web app: ``{% load ui %}``."""

from django import template
from django.template.loader import get_template
from django.utils.translation import gettext_lazy as _

from autosales.web import formatting
from autosales.web.context_processors import navigation_for

register = template.Library()


@register.filter
def money(value):
    """``{{ order.total|money }}`` → ¥1,234,567.00"""
    return formatting.format_money(value)


@register.filter
def number(value, places=0):
    """``{{ n|number }}`` → 12,345; ``{{ x|number:2 }}`` → 12,345.60"""
    return formatting.format_number(value, int(places))


@register.filter
def percent(value, places=1):
    """``{{ 0.4006|percent }}`` → 40.1%"""
    if value is None or value == "":
        return ""
    return formatting.format_number(value * 100, int(places)) + "%"


@register.filter
def localdate(value):
    return formatting.format_date(value)


@register.filter
def localdatetime(value):
    return formatting.format_datetime(value)


@register.filter
def days(value):
    """A timedelta (or a number) as whole days."""
    if value is None or value == "":
        return ""
    return getattr(value, "days", value)


@register.simple_tag(takes_context=True)
def nav_items(context):
    """The navigation of the current user (from the context processor when it is installed)."""
    if "nav_items" in context:
        return context["nav_items"]
    request = context.get("request")
    return navigation_for(request) if request is not None else []


@register.simple_tag(takes_context=True)
def may(context, label, action="read"):
    """``{% may "sales.lead" "write" as may_add_lead %}``: whether the user may read or write that model,
    so a page shows no link that would answer 403."""
    from django.apps import apps

    from autosales.core.access import can_read_model, can_write_model

    request = context.get("request")
    user = getattr(request, "user", None)
    check = can_write_model if action == "write" else can_read_model
    return check(user, apps.get_model(label))


@register.simple_tag
def template_exists(name):
    try:
        get_template(name)
    except template.TemplateDoesNotExist:
        return False
    return True


EVENT_ACTIONS = {
    "created": _("Created"),
    "updated": _("Updated"),
    "deleted": _("Deleted"),
    "accepted": _("Accepted"),
    "account_type_cleared": _("Account type override removed"),
    "account_type_decided": _("Account type set"),
    "allocated": _("Vehicle allocated"),
    "anonymised": _("Anonymised"),
    "approved": _("Approved"),
    "approved_within_authority": _("Approved within own authority"),
    "assigned": _("Assigned"),
    "cancelled": _("Cancelled"),
    "closed": _("Closed"),
    "complaint.assigned": _("Complaint assigned"),
    "complaint.escalated": _("Complaint escalated"),
    "complaint.opened": _("Complaint opened"),
    "complaint.status": _("Complaint status changed"),
    "confirmed": _("Confirmed"),
    "contacted": _("Contacted"),
    "delivered": _("Delivered"),
    "deposit_paid": _("Deposit paid"),
    "expired": _("Expired"),
    "follow_up.recorded": _("Follow-up call recorded"),
    "follow_up.scheduled": _("Follow-up call scheduled"),
    "hand_over": _("Handed over to another salesperson"),
    "handed_over": _("Vehicle handed over"),
    "line_added": _("Line added"),
    "line_changed": _("Line changed"),
    "line_removed": _("Line removed"),
    "logged": _("Activity logged"),
    "lost": _("Lost"),
    "lost_approved": _("Lost request approved"),
    "lost_requested": _("Lost request sent"),
    "lost_returned": _("Lost request sent back"),
    "merged": _("Merged"),
    "paid_in_full": _("Paid in full"),
    "payment_recorded": _("Payment recorded"),
    "pdi_updated": _("PDI checklist updated"),
    "policy_changed": _("Policy changed"),
    "policy_created": _("Policy created"),
    "policy_deleted": _("Policy deleted"),
    "probability_changed": _("Probability changed"),
    "quote_accepted": _("Quote accepted"),
    "quoted": _("Quoted"),
    "rejected": _("Rejected"),
    "released": _("Vehicle released"),
    "reminder.scheduled": _("Reminder scheduled"),
    "reminder.status": _("Reminder status changed"),
    "reopened": _("Reopened"),
    "reserved": _("Reserved"),
    "review_note": _("Review note"),
    "reviewed": _("Reviewed"),
    "scheduled": _("Scheduled"),
    "scorecard_updated": _("Scorecard updated"),
    "sent": _("Sent to customer"),
    "service.discount": _("Discount set"),
    "service.job_added": _("Job added"),
    "service.job_removed": _("Job removed"),
    "service.opened": _("Service order opened"),
    "service.part_added": _("Part added"),
    "service.part_paid": _("Part paid"),
    "service.part_removed": _("Part removed"),
    "service.payment": _("Payment recorded"),
    "service.status": _("Status changed"),
    "settings_updated": _("Settings updated"),
    "stage_changed": _("Stage changed"),
    "status_changed": _("Status changed"),
    "submitted": _("Submitted"),
    "target_set": _("Target set"),
    "test_drive": _("Test drive"),
    "vehicle_allocated": _("Vehicle allocated"),
    "won": _("Won"),
}


@register.filter
def event_action(value):
    """The audit action in the user's language."""
    return EVENT_ACTIONS.get(value, value)


def _state_labels():
    from autosales.aftersales import choices as aftersales
    from autosales.inventory import choices as inventory
    from autosales.sales import choices as sales

    labels = {}
    for choices in (
        aftersales.ComplaintStatus,
        aftersales.FollowUpStatus,
        aftersales.ReminderStatus,
        aftersales.ServiceStatus,
        inventory.VehicleStatus,
        sales.AgreementStatus,
        sales.AllocationStatus,
        sales.LeadStage,
        sales.LostRequestStatus,
        sales.OrderStatus,
        sales.QuoteStatus,
    ):
        for value, label in choices.choices:
            labels.setdefault(value, label)
    return labels


@register.filter
def state_label(value):
    """A workflow state (``deposit_paid``) in the user's language (定金已付)."""
    if not value:
        return value
    return _state_labels().get(value, value)


@register.filter
def masked_if(value, masked):
    """``{{ contact.mobile|masked_if:personal_masked }}``: 138****5678 when the user may not see it."""
    from autosales.core.access import mask_personal

    return mask_personal(value) if masked and value else value
