"""Maintenance reminders: the due list, all reminders and what was done about each."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from autosales.aftersales import selectors, services
from autosales.aftersales.filtersets import (
    ReminderFilterSet,
)
from autosales.aftersales.models import Reminder
from autosales.core.access import can_read_model, can_write_model
from autosales.web.forms import BootstrapMixin
from autosales.web.generic import Column, ObjectListView

from ._common import ReasonForm, _back, _get, _run


class PostponeForm(BootstrapMixin, forms.Form):
    postponed_to = forms.DateField(label=_("postponed to"), widget=forms.DateInput())
    reason = forms.CharField(label=_("reason"), required=False)


class ReminderListView(ObjectListView):
    queryset = Reminder.objects.select_related("customer", "vehicle", "advisor", "store")
    filterset = ReminderFilterSet
    filter_fields = ["status", "advisor", "due_after", "due_before"]
    columns = [
        Column("due_date", kind="date", order="due_date"),
        Column("customer", _("customer")),
        Column("customer.mobile", _("mobile")),
        Column("vehicle.vin", _("VIN")),
        Column("due_mileage_km", kind="number"),
        Column("last_service_date", kind="date"),
        Column("advisor", _("service advisor")),
        Column("status"),
        Column("postponed_to", kind="date"),
        Column("reason"),
    ]
    title = _("Maintenance reminders")
    export_name = "reminders"
    search_placeholder = _("Customer, last 6 of VIN or plate")


@login_required
def reminders_due_view(request):
    if not can_read_model(request.user, Reminder):
        raise PermissionDenied
    on = timezone.localdate()
    due = list(selectors.reminders_due(user=request.user, on=on)[:200])
    return render(
        request,
        "web/aftersales/reminders_due.html",
        {
            "reminders": due,
            "on": on,
            "may_write": can_write_model(request.user, Reminder),
            "tomorrow": on + datetime.timedelta(days=1),
        },
    )


REMINDER_ACTIONS = {
    "done": (
        ReasonForm,
        lambda r, a, d: services.reminder_mark_done(reminder=r, actor=a, note=d["reason"]),
        _("Marked done."),
    ),
    "postpone": (
        PostponeForm,
        lambda r, a, d: services.reminder_postpone(
            reminder=r, actor=a, postponed_to=d["postponed_to"], reason=d["reason"]
        ),
        _("Postponed."),
    ),
    "refuse": (
        ReasonForm,
        lambda r, a, d: services.reminder_refuse(reminder=r, actor=a, reason=d["reason"]),
        _("Marked refused."),
    ),
}


@login_required
@require_POST
def reminder_action(request, pk, action):
    reminder = _get(request, Reminder, pk)
    if action not in REMINDER_ACTIONS:
        raise Http404
    form_class, call, success = REMINDER_ACTIONS[action]
    _run(
        request, reminder, lambda data: call(reminder, request.user, data), form_class(request.POST), success
    )
    return _back(request, reverse("web:reminder_due"))
