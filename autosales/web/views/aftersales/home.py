"""The after-sales overview and its widget data."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from autosales.aftersales import selectors
from autosales.aftersales.models import ServiceOrder
from autosales.core.access import can_read_model, can_see_cost, can_write_model


def _period(request):
    today = timezone.localdate()
    try:
        end = datetime.date.fromisoformat(request.GET.get("end") or today.isoformat())
        start = datetime.date.fromisoformat(request.GET.get("start") or end.replace(day=1).isoformat())
    except ValueError:
        return today.replace(day=1), today
    return (start, end) if start <= end else (end, start)


def dashboard_data(request) -> dict:
    """What the after-sales overview shows to this user for the period in the query string."""
    start, end = _period(request)
    return selectors.service_dashboard(user=request.user, start=start, end=end)


@login_required
def service_home(request):
    if not can_read_model(request.user, ServiceOrder):
        raise PermissionDenied
    data = dashboard_data(request)
    active = (
        selectors.service_order_list(user=request.user)
        .filter(status__in=selectors.ACTIVE_SERVICE_STATUSES)
        .order_by("opened_at")
    )
    return render(
        request,
        "web/aftersales/home.html",
        {
            "data": data,
            "active_orders": list(active[:20]),
            "may_open": can_write_model(request.user, ServiceOrder),
            "show_cost": can_see_cost(request.user),
        },
    )
