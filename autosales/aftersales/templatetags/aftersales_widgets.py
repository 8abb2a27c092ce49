"""The after-sales home widget computes its own figures, so it works wherever it is placed."""

from django import template
from django.utils import timezone

from autosales.aftersales.models import Complaint, ServiceOrder
from autosales.aftersales.selectors import service_dashboard
from autosales.core.access import can_write_model

register = template.Library()


@register.simple_tag(takes_context=True)
def aftersales_widget_data(context):
    """Month-to-date figures and the user's due lists for the home page widget."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    today = timezone.localdate()
    return service_dashboard(user=request.user, start=today.replace(day=1), end=today, limit=5)


@register.simple_tag(takes_context=True)
def aftersales_may_write(context):
    """Which after-sales records the current user may create: {"service_order": bool, "complaint": bool}."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "service_order": can_write_model(user, ServiceOrder),
        "complaint": can_write_model(user, Complaint),
    }
