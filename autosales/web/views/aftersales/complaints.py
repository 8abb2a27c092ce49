"""Complaints: opening, the complaint page, ownership, resolution and the customer's acceptance."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from autosales.aftersales import services
from autosales.aftersales.choices import (
    ComplaintCategory,
    ComplaintStatus,
    Severity,
)
from autosales.aftersales.filtersets import (
    ComplaintFilterSet,
)
from autosales.aftersales.models import Complaint, ServiceOrder
from autosales.core.access import can_write, can_write_model, scope
from autosales.core.choices import Role
from autosales.core.events import events_for
from autosales.core.models import Store, User
from autosales.parties.models import Customer
from autosales.web.forms import BootstrapMixin
from autosales.web.generic import Column, ObjectListView

from ._common import _get, _labelled, _run


class ComplaintForm(BootstrapMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("customer"), queryset=Customer.objects.none())
    service_order = forms.ModelChoiceField(
        label=_("service order"), queryset=ServiceOrder.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("category"), choices=ComplaintCategory.choices)
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none(), required=False)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = scope(user, Customer.objects.all()).order_by("name")
        self.fields["service_order"].queryset = scope(user, ServiceOrder.objects.all())
        stores = scope(user, Store.objects.all())
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, store__in=stores, role__in=[Role.AFTERSALES, Role.SALES_MANAGER]
        ).order_by("username")


class ResolutionForm(BootstrapMixin, forms.Form):
    resolution = forms.CharField(
        label=_("resolution"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AcceptanceForm(BootstrapMixin, forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("customer accepted"),
        choices=[("1", _("Accepted")), ("0", _("Not accepted"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("note"), required=False)


class OwnerForm(BootstrapMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())


class ComplaintListView(ObjectListView):
    queryset = Complaint.objects.select_related("customer", "owner", "store", "service_order")
    filterset = ComplaintFilterSet
    filter_fields = ["status", "category", "severity", "owner", "overdue"]
    columns = [
        Column("id", _("No."), link=True, order="id"),
        Column("created_at", kind="date"),
        Column("customer", _("customer")),
        Column("category"),
        Column("severity"),
        Column("status"),
        Column("owner", _("owner")),
        Column("due_date", kind="date", order="due_date"),
        Column("escalated_at", kind="datetime"),
        Column("customer_accepted", kind="bool"),
    ]
    title = _("Complaints")
    detail_url_name = "web:complaint_detail"
    add_url_name = "web:complaint_create"
    export_name = "complaints"
    search_placeholder = _("Customer or text")


@login_required
def complaint_create(request):
    if not can_write_model(request.user, Complaint):
        raise PermissionDenied
    initial = {
        key: request.GET[key] for key in ("customer", "service_order") if request.GET.get(key, "").isdigit()
    }
    form = ComplaintForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complaint_open(
                customer=data["customer"],
                service_order=data["service_order"],
                category=data["category"],
                severity=data["severity"],
                owner=data["owner"],
                description=data["description"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {"__all__": error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("Complaint no. %(id)s was opened.") % {"id": complaint.pk})
            return HttpResponseRedirect(reverse("web:complaint_detail", args=[complaint.pk]))
    return render(
        request,
        "web/object_form.html",
        {"form": form, "title": gettext("New complaint"), "cancel_url": reverse("web:complaint_list")},
    )


@login_required
def complaint_detail(request, pk):
    complaint = _get(request, Complaint, pk)
    writable = can_write(request.user, complaint)
    owner_form = OwnerForm(initial={"owner": complaint.owner_id})
    owner_form.fields["owner"].queryset = ComplaintForm(user=request.user).fields["owner"].queryset
    return render(
        request,
        "web/aftersales/complaint_detail.html",
        {
            "complaint": complaint,
            "title": gettext("Complaint no. %(id)s") % {"id": complaint.pk},
            "writable": writable,
            "overdue": complaint.is_open and complaint.due_date < timezone.localdate(),
            "resolution_form": ResolutionForm(),
            "acceptance_form": AcceptanceForm(),
            "owner_form": owner_form,
            "events": _labelled(events_for(complaint)[:15], ComplaintStatus),
        },
    )


COMPLAINT_ACTIONS = {
    "start": (
        None,
        lambda c, a, d: services.complaint_start(complaint=c, actor=a),
        _("Work on the complaint started."),
    ),
    "resolve": (
        ResolutionForm,
        lambda c, a, d: services.complaint_resolve(complaint=c, actor=a, resolution=d["resolution"]),
        _("Resolution recorded."),
    ),
    "acceptance": (
        AcceptanceForm,
        lambda c, a, d: services.complaint_record_acceptance(
            complaint=c, actor=a, accepted=d["accepted"], note=d["note"]
        ),
        _("The customer's answer was recorded."),
    ),
}


@login_required
@require_POST
def complaint_action(request, pk, action):
    complaint = _get(request, Complaint, pk)
    if action == "assign":
        form = OwnerForm(request.POST)
        form.fields["owner"].queryset = ComplaintForm(user=request.user).fields["owner"].queryset
        _run(
            request,
            complaint,
            lambda data: services.complaint_assign(
                complaint=complaint, owner=data["owner"], actor=request.user
            ),
            form,
            _("Owner changed."),
        )
    elif action in COMPLAINT_ACTIONS:
        form_class, call, success = COMPLAINT_ACTIONS[action]
        form = form_class(request.POST) if form_class else None
        _run(request, complaint, lambda data: call(complaint, request.user, data), form, success)
    else:
        raise Http404
    return HttpResponseRedirect(reverse("web:complaint_detail", args=[complaint.pk]))
