"""Sales pages for leads: list and page, activities, follow-ups, lost-lead requests, the pipeline."""

import datetime
from decimal import Decimal

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

from autosales.core.access import can_write, can_write_model, scope
from autosales.core.choices import Role
from autosales.core.events import events_for
from autosales.core.models import Store, User
from autosales.inventory.models import Trim, Vehicle
from autosales.parties.choices import CustomerKind
from autosales.parties.models import Customer
from autosales.sales import selectors, services
from autosales.sales.choices import (
    OPEN_LEAD_STAGES,
    ActivityKind,
    LeadSource,
    LeadStage,
    LostReason,
)
from autosales.sales.filtersets import LeadFilterSet
from autosales.sales.models import (
    Activity,
    Lead,
    Quote,
)
from autosales.sales.workflows import allowed
from autosales.web.generic import Column, ObjectListView

from ._common import Form, _back, _date, _get, _is_manager, _run, _writable


class LeadListView(ObjectListView):
    template_name = "web/sales/object_list.html"
    queryset = Lead.objects.select_related("customer", "owner", "store")
    filterset = LeadFilterSet
    filter_fields = ["stage", "source", "store", "owner", "lost_request", "follow_up_before"]
    columns = [
        Column("id", _("No."), order="id"),
        Column("customer.name", _("customer"), link=True),
        Column("customer.mobile", _("mobile")),
        Column("stage"),
        Column("probability", kind="number"),
        Column("expected_value", kind="money", order="expected_value"),
        Column("weighted_value", _("weighted value"), kind="money"),
        Column("next_follow_up", kind="date", order="next_follow_up"),
        Column("owner", _("salesperson")),
        Column("source"),
        Column("lost_request"),
    ]
    title = _("Leads")
    detail_url_name = "web:lead_detail"
    add_url_name = "web:lead_create"
    export_name = "leads"
    search_placeholder = _("Customer name or mobile")


class LeadForm(Form):
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(),
        required=False,
        label=_("Existing customer"),
        help_text=_("Leave empty to enter a new customer below."),
    )
    customer_kind = forms.ChoiceField(
        choices=CustomerKind.choices, initial=CustomerKind.PERSON, required=False, label=_("kind")
    )
    customer_name = forms.CharField(required=False, label=_("Name"))
    mobile = forms.CharField(required=False, label=_("mobile"))
    credit_code = forms.CharField(required=False, label=_("unified social credit code"))
    store = forms.ModelChoiceField(queryset=Store.objects.none(), label=_("store"))
    source = forms.ChoiceField(choices=LeadSource.choices, label=_("source"))
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("salesperson"),
        help_text=_("Empty: the customer's owner, or the next salesperson in turn."),
    )
    interested_trim = forms.ModelChoiceField(
        queryset=Trim.objects.filter(is_active=True).select_related("car_model__brand"),
        required=False,
        label=_("interested in"),
    )
    quantity = forms.IntegerField(min_value=1, initial=1, label=_("vehicles wanted"))
    expected_value = forms.DecimalField(
        min_value=0, decimal_places=2, required=False, label=_("expected value")
    )
    next_follow_up = forms.DateField(required=False, label=_("next follow-up"), widget=forms.DateInput)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("notes"))
    merge = forms.BooleanField(required=False, label=_("If the customer already has an open lead, add to it"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = scope(user, Customer.objects.all()).order_by("-id")
        stores = scope(user, Store.objects.all())
        self.fields["store"].queryset = stores
        self.fields["store"].initial = user.store_id
        self.fields["owner"].queryset = User.objects.filter(
            role=Role.SALESPERSON, is_active=True, store__in=stores
        )
        if user.role == Role.SALESPERSON:
            self.fields["owner"].queryset = User.objects.filter(pk=user.pk)
            self.fields["owner"].initial = user.pk

    def clean(self):
        data = super().clean()
        if not data.get("customer") and not data.get("customer_name"):
            self.add_error("customer_name", gettext("Choose a customer or enter the new customer's name."))
        return data


@login_required
def lead_create(request):
    if not can_write_model(request.user, Lead):
        raise PermissionDenied
    form = LeadForm(
        request.POST or None, user=request.user, initial={"customer": request.GET.get("customer")}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        customer_data = None
        if not d["customer"]:
            customer_data = {
                "kind": d["customer_kind"] or CustomerKind.PERSON,
                "name": d["customer_name"],
                "mobile": d["mobile"],
                "credit_code": d["credit_code"],
            }
        try:
            lead = services.lead_create(
                actor=request.user,
                store=d["store"],
                customer=d["customer"],
                customer_data=customer_data,
                source=d["source"],
                owner=d["owner"],
                interested_trim=d["interested_trim"],
                quantity=d["quantity"],
                expected_value=d["expected_value"]
                or (d["interested_trim"].msrp * d["quantity"] if d["interested_trim"] else Decimal("0")),
                next_follow_up=d["next_follow_up"],
                notes=d["notes"],
                on_duplicate=services.DUPLICATE_MERGE if d["merge"] else services.DUPLICATE_REFUSE,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errs in error.error_dict.items():
                    for e in errs:
                        form.add_error(field if field in form.fields else None, e)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                gettext("Lead %(id)s is assigned to %(owner)s.")
                % {"id": lead.pk, "owner": lead.owner or "—"},
            )
            return HttpResponseRedirect(reverse("web:lead_detail", args=[lead.pk]))
    return render(
        request,
        "web/object_form.html",
        {"form": form, "title": gettext("New lead"), "cancel_url": reverse("web:lead_list")},
    )


class ActivityForm(Form):
    kind = forms.ChoiceField(choices=ActivityKind.choices, widget=forms.HiddenInput)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Notes"))
    vehicle = forms.ModelChoiceField(queryset=Vehicle.objects.none(), required=False, label=_("Demo vehicle"))
    licence_number = forms.CharField(required=False, label=_("Driving licence number"))
    feedback = forms.CharField(required=False, label=_("Feedback"))
    next_follow_up = forms.DateField(required=False, label=_("Next follow-up"), widget=forms.DateInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = scope(user, Vehicle.objects.filter(is_demo=True))


def _quick_forms(request):
    """One ready form per activity kind: tap the kind, then Save — the follow-up defaults to 3 days."""
    follow = timezone.localdate() + datetime.timedelta(days=3)
    kinds = [ActivityKind.CALL, ActivityKind.VISIT, ActivityKind.TEST_DRIVE, ActivityKind.MESSAGE]
    return [
        {
            "kind": kind,
            "label": kind.label,
            "form": ActivityForm(
                user=request.user, initial={"kind": kind, "next_follow_up": follow}, prefix=kind
            ),
        }
        for kind in kinds
    ]


@login_required
def lead_detail(request, pk):
    lead = _get(
        request, Lead, pk, Lead.objects.select_related("customer", "owner", "store", "interested_trim")
    )
    user = request.user
    writable = can_write(user, lead)
    context = {
        "lead": lead,
        "title": f"#{lead.pk} {lead.customer}",
        "writable": writable,
        "is_manager": _is_manager(user),
        "quick_forms": _quick_forms(request) if writable and lead.stage in OPEN_LEAD_STAGES else [],
        "activities": selectors.activities_for(lead=lead, limit=30),
        "quotes": scope(user, Quote.objects.filter(lead=lead)),
        "next_stages": [
            (s, LeadStage(s).label)
            for s in LeadStage.values
            if s in allowed("lead", lead.stage) and s not in (LeadStage.LOST, LeadStage.WON)
        ],
        "lost_reasons": LostReason.choices,
        "events": list(events_for(lead)[:15]),
        "salespeople": User.objects.filter(store=lead.store, role=Role.SALESPERSON, is_active=True),
        "is_open": lead.stage in OPEN_LEAD_STAGES,
    }
    return render(request, "web/sales/lead_detail.html", context)


@login_required
@require_POST
def lead_action(request, pk, action):
    lead = _get(request, Lead, pk)
    _writable(request, lead)
    back = reverse("web:lead_detail", args=[pk])
    post = request.POST
    if action == "log":
        kind = post.get("kind", "")
        form = ActivityForm(post, user=request.user, prefix=kind)
        if not form.is_valid():
            messages.error(request, " ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
            return _back(request, back)
        _run(request, services.activity_log, gettext("Logged."), lead=lead, **form.cleaned_data)
    elif action == "stage":
        _run(
            request,
            services.lead_stage_change,
            gettext("Stage changed."),
            lead=lead,
            stage=post.get("stage", ""),
        )
    elif action == "assign":
        owner = User.objects.filter(pk=post.get("owner") or 0, store=lead.store).first()
        if owner is None:
            messages.error(request, gettext("Choose a salesperson of the lead's store."))
        else:
            _run(request, services.lead_assign, gettext("Lead reassigned."), lead=lead, owner=owner)
    elif action == "lost_request":
        _run(
            request,
            services.lead_lost_request,
            gettext("Lost-lead request sent to the manager."),
            lead=lead,
            reason=post.get("reason", ""),
            note=post.get("note", ""),
        )
    elif action == "lost_approve":
        _run(
            request,
            services.lead_lost_approve,
            gettext("The lead is closed as lost."),
            lead=lead,
            note=post.get("note", ""),
        )
    elif action == "lost_return":
        _run(
            request,
            services.lead_lost_return,
            gettext("The request was sent back."),
            lead=lead,
            note=post.get("note", ""),
        )
    else:
        raise Http404
    return _back(request, back)


@login_required
@require_POST
def customer_log_activity(request, pk):
    """Quick log from the customer page (a call or visit without a lead)."""
    customer = _get(request, Customer, pk)
    if not can_write_model(request.user, Activity):
        raise PermissionDenied
    kind = request.POST.get("kind", "")
    form = ActivityForm(request.POST, user=request.user, prefix=kind)
    if form.is_valid():
        _run(request, services.activity_log, gettext("Logged."), customer=customer, **form.cleaned_data)
    else:
        messages.error(request, " ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return _back(request, reverse("web:customer_detail", args=[pk]))


@login_required
def follow_ups(request):
    user = request.user
    leads = scope(user, Lead.objects.all())
    activities = scope(user, Activity.objects.all())
    mine = request.GET.get("scope") != "store" or user.role == Role.SALESPERSON
    if mine:
        leads, activities = leads.filter(owner=user), activities.filter(user=user)
    data = selectors.follow_ups(leads=leads, activities=activities)
    return render(
        request, "web/sales/follow_ups.html", {"data": data, "mine": mine, "is_manager": _is_manager(user)}
    )


@login_required
def lost_requests(request):
    leads = scope(request.user, Lead.objects.all())
    start = _date(request.GET.get("start")) or timezone.localdate().replace(month=1, day=1)
    end = _date(request.GET.get("end")) or timezone.localdate()
    return render(
        request,
        "web/sales/lost_requests.html",
        {
            "pending": selectors.pending_lost_requests(leads),
            "reasons": selectors.lost_reasons(leads, start=start, end=end),
            "start": start,
            "end": end,
            "is_manager": _is_manager(request.user),
        },
    )


@login_required
def pipeline(request):
    leads = scope(request.user, Lead.objects.all())
    return render(
        request,
        "web/sales/pipeline.html",
        {
            "by_salesperson": selectors.pipeline(leads),
            "by_store": selectors.pipeline_by_store(leads),
            "by_stage": selectors.pipeline_by_stage(leads),
            "settings": [(s, LeadStage(s).label, selectors.stage_probability(s)) for s in LeadStage.values],
            "is_manager": _is_manager(request.user),
        },
    )


@login_required
@require_POST
def stage_probability(request):
    try:
        probability = int(request.POST.get("probability", ""))
    except ValueError:
        messages.error(request, gettext("Enter a whole number from 0 to 100."))
    else:
        _run(
            request,
            services.stage_probability_set,
            gettext("Probability saved."),
            stage=request.POST.get("stage", ""),
            probability=probability,
        )
    return HttpResponseRedirect(reverse("web:pipeline"))
