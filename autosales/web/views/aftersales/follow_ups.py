"""Follow-up calls after a sale or a service: the due list, all calls and recording a call."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from autosales.aftersales import selectors, services
from autosales.aftersales.choices import (
    FollowUpStatus,
)
from autosales.aftersales.filtersets import (
    FollowUpCallFilterSet,
)
from autosales.aftersales.models import Complaint, FollowUpCall
from autosales.core.access import can_read_model, can_write_model
from autosales.web.forms import BootstrapMixin
from autosales.web.generic import Column, ObjectListView

from ._common import _back, _get, _run

SCORE_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]


class FollowUpRecordForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("result"),
        choices=[(FollowUpStatus.DONE, _("Reached")), (FollowUpStatus.UNREACHABLE, _("Unreachable"))],
        initial=FollowUpStatus.DONE,
    )
    # Kept as text: the range is the service's rule, so a forged value gets the same message.
    score = forms.CharField(
        label=_("satisfaction (1–5)"), required=False, widget=forms.Select(choices=SCORE_CHOICES)
    )
    outcome = forms.CharField(label=_("outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpCallListView(ObjectListView):
    queryset = FollowUpCall.objects.select_related("customer", "caller", "order", "service_order", "store")
    filterset = FollowUpCallFilterSet
    filter_fields = ["status", "kind", "caller", "due_before", "score_max"]
    columns = [
        Column("due_date", kind="date", order="due_date"),
        Column("kind"),
        Column("customer", _("customer")),
        Column("customer.mobile", _("mobile")),
        Column("service_order", _("service order")),
        Column("order", _("order")),
        Column("status"),
        Column("score", kind="number"),
        Column("caller", _("caller")),
        Column("called_at", kind="datetime", order="called_at"),
        Column("outcome"),
    ]
    title = _("Follow-up calls")
    export_name = "follow-up-calls"
    search_placeholder = _("Customer")


@login_required
def follow_ups_due_view(request):
    if not can_read_model(request.user, FollowUpCall):
        raise PermissionDenied
    calls = list(selectors.follow_ups_due(user=request.user)[:200])
    return render(
        request,
        "web/aftersales/follow_ups_due.html",
        {
            "calls": calls,
            "form": FollowUpRecordForm(),
            "may_write": can_write_model(request.user, FollowUpCall),
        },
    )


@login_required
@require_POST
def follow_up_record_view(request, pk):
    call = _get(request, FollowUpCall, pk)
    form = FollowUpRecordForm(request.POST)
    done = _run(
        request,
        call,
        lambda data: services.follow_up_record(
            call=call, actor=request.user, status=data["status"], score=data["score"], outcome=data["outcome"]
        ),
        form,
        _("Call recorded."),
    )
    if done:
        call.refresh_from_db()
        complaint = Complaint.objects.filter(follow_up_call=call).first()
        if complaint is not None:
            messages.warning(
                request, gettext("The low score opened complaint no. %(id)s.") % {"id": complaint.pk}
            )
    return _back(request, reverse("web:follow_up_due"))
