"""Figures for the sales widgets and the customer panel, computed where the template is placed."""

from django import template
from django.db.models import F
from django.utils import timezone

from autosales.core.access import can_see_cost, scope
from autosales.core.choices import Role

from .. import selectors
from ..choices import OPEN_ORDER_STATUSES
from ..models import Activity, Lead, Order, Payment, Quote

register = template.Library()


def _user(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def sales_follow_ups(context):
    """The user's follow-ups due today and overdue (a manager: the store's overdue ones)."""
    user = _user(context)
    if user is None:
        return {}
    leads = scope(user, Lead.objects.all())
    activities = scope(user, Activity.objects.all())
    if user.role == Role.SALESPERSON:
        leads, activities = leads.filter(owner=user), activities.filter(user=user)
    data = selectors.follow_ups(leads=leads, activities=activities)
    data["is_manager"] = user.role != Role.SALESPERSON
    return data


@register.simple_tag(takes_context=True)
def sales_funnel(context):
    user = _user(context)
    if user is None:
        return {}
    leads = scope(user, Lead.objects.all())
    quotes = scope(user, Quote.objects.all())
    return {
        "stages": selectors.pipeline_by_stage(leads),
        "pending_approvals": selectors.approvals_pending_for(user, quotes).count(),
        "pending_lost": selectors.pending_lost_requests(leads).count()
        if user.role != Role.SALESPERSON
        else 0,
    }


@register.simple_tag(takes_context=True)
def sales_payments(context):
    """Open orders with money due and refunds owed, for finance and managers."""
    user = _user(context)
    if user is None:
        return {}
    orders = scope(user, Order.objects.select_related("customer"))
    due = list(
        orders.filter(status__in=OPEN_ORDER_STATUSES)
        .exclude(status="draft")
        .annotate(due=F("total") - F("trade_in_credit") - F("paid_total"))
        .filter(due__gt=0)
        .order_by("balance_due_date", "id")[:8]
    )
    today = timezone.localdate()
    return {
        "due": due,
        "refunds": list(orders.filter(refund_owed__gt=0).order_by("id")[:8]),
        "received_today": scope(user, Payment.objects.filter(paid_at__date=today)).count(),
    }


@register.simple_tag(takes_context=True)
def sales_customer_panel(context, customer):
    user = _user(context)
    if user is None:
        return {}
    return {
        "leads": list(scope(user, Lead.objects.filter(customer=customer)).select_related("owner")[:10]),
        "quotes": list(scope(user, Quote.objects.filter(customer=customer))[:10]),
        "orders": list(scope(user, Order.objects.filter(customer=customer))[:10]),
        "activities": list(
            scope(user, Activity.objects.filter(customer=customer)).select_related("user")[:10]
        ),
        "concessions": selectors.concessions_this_year(customer) if can_see_cost(user) else None,
    }
