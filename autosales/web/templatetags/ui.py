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
}


@register.filter
def event_action(value):
    """The audit action in the user's language when it is one of the common ones."""
    return EVENT_ACTIONS.get(value, value)


@register.filter
def masked_if(value, masked):
    """``{{ contact.mobile|masked_if:personal_masked }}``: 138****5678 when the user may not see it."""
    from autosales.core.access import mask_personal

    return mask_personal(value) if masked and value else value
