"""The after-sales home widget computes its own figures, so it works wherever it is placed."""

from django import template
from django.utils import timezone

from autosales.aftersales.selectors import service_dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def aftersales_widget_data(context):
    """Month-to-date figures and the user's due lists for the home page widget."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    today = timezone.localdate()
    return service_dashboard(user=request.user, start=today.replace(day=1), end=today, limit=5)
