"""Sales pages: leads and follow-ups, quotes and approvals, orders, payments and delivery, performance."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from autosales.core.access import can_see_cost, can_write, can_write_model, scope
from autosales.core.choices import Role
from autosales.core.events import events_for
from autosales.core.models import Store, User
from autosales.core.selectors import history_for
from autosales.inventory.choices import FuelType, VehicleStatus
from autosales.inventory.models import Trim, Vehicle
from autosales.keyaccounts.choices import AccountType, Tier
from autosales.parties.choices import CustomerKind
from autosales.parties.models import Customer
from autosales.sales import pricing, selectors, services
from autosales.sales.choices import (
    OPEN_LEAD_STAGES,
    PDI_ITEMS,
    ActivityKind,
    AgreementStatus,
    AllocationStatus,
    LeadSource,
    LeadStage,
    LineKind,
    LostReason,
    OrderStatus,
    PaymentKind,
    PaymentMethod,
    QuoteStatus,
)
from autosales.sales.filtersets import LeadFilterSet, OrderFilterSet, QuoteFilterSet
from autosales.sales.models import (
    Activity,
    ApprovalRule,
    Delivery,
    FleetAgreement,
    Lead,
    MarginFloor,
    Order,
    Quote,
    QuoteLine,
    SalesTarget,
    TaxRule,
)
from autosales.sales.pdf import quote_pdf
from autosales.sales.workflows import allowed
from autosales.web.forms import BootstrapMixin, ServiceModelForm
from autosales.web.generic import Column, ObjectListView

MANAGERS = (Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)


def _is_manager(user) -> bool:
    return user.is_superuser or user.role in MANAGERS


def _get(request, model, pk, queryset=None):
    """The row if the user may see it, else 404."""
    try:
        return scope(request.user, (queryset if queryset is not None else model.objects).all()).get(pk=pk)
    except (model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def _writable(request, obj):
    if not can_write(request.user, obj):
        raise PermissionDenied


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _run(request, func, success: str, **kwargs):
    """Call a service; its refusal becomes an error message and nothing is changed."""
    try:
        result = func(actor=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return None
    messages.success(request, success)
    return result or True


def _back(request, fallback):
    target = request.POST.get("next") or fallback
    if not target.startswith("/"):
        target = fallback
    return HttpResponseRedirect(target)


class Form(BootstrapMixin, forms.Form):
    pass


# --- leads ---------------------------------------------------------------------------------


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


def _date(value):
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


# --- quotes --------------------------------------------------------------------------------


class QuoteListView(ObjectListView):
    template_name = "web/sales/object_list.html"
    queryset = Quote.objects.select_related("customer", "salesperson", "store")
    filterset = QuoteFilterSet
    filter_fields = ["status", "store", "salesperson"]
    columns = [
        Column("number", link=True, order="id"),
        Column("customer.name", _("customer")),
        Column("status"),
        Column("total", kind="money", order="total"),
        Column("discount_total", kind="money"),
        Column("gross_profit", _("gross profit"), kind="money", cost=True),
        Column("margin", _("margin"), kind="number", cost=True, accessor=lambda q: f"{q.margin:.1%}"),
        Column("valid_until", kind="date", order="valid_until"),
        Column("salesperson", _("salesperson")),
    ]
    title = _("Quotes")
    detail_url_name = "web:quote_detail"
    export_name = "quotes"
    search_placeholder = _("Number, customer or mobile")


@login_required
def quote_create(request):
    if not can_write_model(request.user, Quote):
        raise PermissionDenied
    lead = customer = None
    if request.GET.get("lead"):
        lead = _get(request, Lead, request.GET["lead"])
        customer = lead.customer
    elif request.GET.get("customer"):
        customer = _get(request, Customer, request.GET["customer"])
    if customer is None:
        messages.error(request, gettext("Open a quote from a lead or a customer."))
        return HttpResponseRedirect(reverse("web:lead_list"))
    quote = _run(request, services.quote_create, gettext("Quote created."), customer=customer, lead=lead)
    if quote is None:
        return HttpResponseRedirect(reverse("web:lead_detail", args=[lead.pk]) if lead else "/")
    return HttpResponseRedirect(reverse("web:quote_detail", args=[quote.pk]))


class LineForm(Form):
    kind = forms.ChoiceField(choices=LineKind.choices, label=_("kind"))
    vin = forms.CharField(required=False, label=_("VIN"))
    trim = forms.ModelChoiceField(
        queryset=Trim.objects.filter(is_active=True).select_related("car_model__brand"),
        required=False,
        label=_("trim"),
    )
    quantity = forms.IntegerField(min_value=1, initial=1, label=_("quantity"))
    description = forms.CharField(required=False, label=_("description"))
    unit_price = forms.DecimalField(required=False, min_value=0, decimal_places=2, label=_("unit price"))
    unit_discount = forms.DecimalField(
        required=False, min_value=0, decimal_places=2, label=_("discount per unit")
    )
    unit_cost = forms.DecimalField(required=False, min_value=0, decimal_places=2, label=_("cost per unit"))
    income = forms.DecimalField(required=False, min_value=0, decimal_places=2, label=_("third-party income"))
    is_free = forms.BooleanField(required=False, label=_("free extra"))
    down_payment = forms.DecimalField(required=False, min_value=0, decimal_places=2, label=_("down payment"))
    term_months = forms.IntegerField(required=False, min_value=1, max_value=120, label=_("term (months)"))
    annual_rate_percent = forms.DecimalField(
        required=False, min_value=0, max_value=100, decimal_places=2, label=_("annual rate %")
    )
    trade_in = forms.IntegerField(required=False, label=_("trade-in appraisal"), widget=forms.Select)


@login_required
def quote_detail(request, pk):
    quote = _get(request, Quote, pk, Quote.objects.select_related("customer", "salesperson", "store", "lead"))
    user = request.user
    show_cost = can_see_cost(user)
    policy = services.quote_policy(quote)
    pending = quote.approvals.filter(decision="pending").first()
    line_form = LineForm()
    trade_ins = quote.customer.trade_ins.filter(status__in=("appraised", "accepted")).order_by("-id")
    line_form.fields["trade_in"].widget.choices = [("", "—")] + [(t.pk, str(t)) for t in trade_ins]
    context = {
        "quote": quote,
        "title": quote.number,
        "rows": [
            {**row, "margin_pct": f"{row['figures'].margin:.1%}"} for row in selectors.quote_line_rows(quote)
        ],
        "pct": {
            "margin": f"{policy['totals'].margin:.2%}",
            "floor": f"{policy['floor']:.2%}",
            "discount": f"{policy['totals'].discount_rate:.2%}",
            "pending_margin": f"{pending.margin:.2%}" if pending else "",
            "pending_floor": f"{pending.margin_floor:.2%}" if pending else "",
            "pending_discount": f"{pending.discount_rate:.2%}" if pending else "",
        },
        "show_cost": show_cost,
        "policy": policy,
        "writable": can_write(user, quote),
        "editable": quote.status in ("draft", "rejected", "approved", "sent", "expired"),
        "pending": pending,
        "approvals": quote.approvals.select_related("decided_by"),
        "may_decide": pending is not None
        and pricing.role_covers(
            selectors.authorities(), "admin" if user.is_superuser else user.role, pending.required_role
        )
        and user.pk != quote.salesperson_id,
        "customer_value": selectors.customer_value(quote.customer) if show_cost else None,
        "key_account": _key_account_view(
            selectors.concession_check(
                quote.customer,
                list_total=policy["totals"].list_total,
                concessions=policy["totals"].discount_total,
            )
        )
        if pending is not None
        else None,
        "concessions": selectors.concessions_this_year(quote.customer, exclude_quote=quote),
        "line_form": line_form,
        "allowed": allowed("quote", quote.status),
        "history": history_for(quote, user=request.user, states=QuoteStatus),
        "order": Order.objects.filter(quote=quote).first(),
        "need_role_label": Role(policy["need"].role).label if policy["need"].role else "",
    }
    return render(request, "web/sales/quote_detail.html", context)


@login_required
@require_POST
def quote_action(request, pk, action):
    quote = _get(request, Quote, pk)
    user = request.user
    back = reverse("web:quote_detail", args=[pk])
    post = request.POST
    reason = post.get("reason", "")
    deciding = action in ("approve", "reject")
    if not deciding:
        _writable(request, quote)
    if action == "add_line":
        form = LineForm(post)
        if not form.is_valid():
            messages.error(request, " ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
            return _back(request, back)
        d = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        vin = d.pop("vin", "").strip().upper()
        if vin:
            vehicle = scope(user, Vehicle.objects.all()).filter(vin=vin).first()
            if vehicle is None:
                messages.error(request, gettext("No vehicle %(vin)s in your stock.") % {"vin": vin})
                return _back(request, back)
            d["vehicle"] = vehicle
        if "annual_rate_percent" in d:
            d["annual_rate"] = d.pop("annual_rate_percent") / 100
        if "trade_in" in d:
            d["trade_in"] = quote.customer.trade_ins.filter(pk=d["trade_in"]).first()
        if not show_cost_ok(user):
            d.pop("unit_cost", None)
        _run(request, services.quote_line_add, gettext("Line added."), quote=quote, **d)
    elif action == "change_line":
        line = QuoteLine.objects.filter(quote=quote, pk=post.get("line") or 0).first()
        if line is None:
            raise Http404
        try:
            discount = Decimal(post.get("unit_discount", "") or "0")
            quantity = int(post.get("quantity") or line.quantity)
        except (ArithmeticError, ValueError):
            messages.error(request, gettext("Enter a number."))
            return _back(request, back)
        _run(
            request,
            services.quote_line_update,
            gettext("Line changed."),
            line=line,
            unit_discount=discount,
            quantity=quantity,
        )
    elif action == "remove_line":
        line = QuoteLine.objects.filter(quote=quote, pk=post.get("line") or 0).first()
        if line is None:
            raise Http404
        _run(request, services.quote_line_remove, gettext("Line removed."), line=line)
    elif action == "submit":
        result = _run(request, services.quote_submit, gettext("Quote submitted."), quote=quote, reason=reason)
        if result:
            quote.refresh_from_db()
            if quote.status == "approved":
                messages.info(request, gettext("Within your authority: the quote is approved."))
            else:
                messages.info(
                    request,
                    gettext("Waiting for approval by a %(role)s.")
                    % {"role": Role(quote.required_role).label},
                )
    elif action == "approve":
        _run(request, services.quote_approve, gettext("Discount approved."), quote=quote, reason=reason)
    elif action == "reject":
        _run(request, services.quote_reject, gettext("Discount rejected."), quote=quote, reason=reason)
    elif action == "send":
        _run(request, services.quote_send, gettext("Marked as sent."), quote=quote)
    elif action == "accept":
        _run(request, services.quote_accept, gettext("The customer accepted the quote."), quote=quote)
    elif action == "cancel":
        _run(request, services.quote_cancel, gettext("Quote cancelled."), quote=quote, reason=reason)
    elif action == "validity":
        valid_until = _date(post.get("valid_until"))
        if valid_until is None:
            messages.error(request, gettext("Enter a date."))
        else:
            _run(
                request,
                services.quote_update,
                gettext("Validity changed."),
                quote=quote,
                valid_until=valid_until,
            )
    elif action == "order":
        order = _run(request, services.order_create_from_quote, gettext("Order created."), quote=quote)
        if order:
            return HttpResponseRedirect(reverse("web:order_detail", args=[order.pk]))
    else:
        raise Http404
    return _back(request, back)


def _key_account_view(summary: dict) -> dict:
    labels = {**dict(Tier.choices), **dict(AccountType.choices)}
    return {
        **summary,
        "tier": labels.get(summary.get("tier"), summary.get("tier")),
        "account_type": labels.get(summary.get("account_type"), summary.get("account_type")),
    }


def show_cost_ok(user):
    return can_see_cost(user)


@login_required
def quote_pdf_view(request, pk):
    quote = _get(request, Quote, pk)
    language = request.GET.get("lang") or getattr(request, "LANGUAGE_CODE", "zh-hans")
    try:
        body = quote_pdf(quote, language=language, show_cost=False)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return HttpResponseRedirect(reverse("web:quote_detail", args=[pk]))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{quote.number}.pdf"'
    return response


@login_required
def approval_list(request):
    quotes = scope(request.user, Quote.objects.all())
    rows = list(selectors.approvals_pending_for(request.user, quotes))
    return render(
        request, "web/sales/approvals.html", {"rows": rows, "show_cost": can_see_cost(request.user)}
    )


# --- orders --------------------------------------------------------------------------------


class OrderListView(ObjectListView):
    template_name = "web/sales/object_list.html"
    queryset = Order.objects.select_related("customer", "salesperson", "store")
    filterset = OrderFilterSet
    filter_fields = ["status", "store", "salesperson", "is_fleet", "date_from", "date_to"]
    columns = [
        Column("number", link=True, order="id"),
        Column("customer.name", _("customer")),
        Column("status"),
        Column("order_date", kind="date", order="order_date"),
        Column("total", kind="money", order="total"),
        Column("paid_total", kind="money"),
        Column("balance_due", _("balance due"), kind="money"),
        Column("gross_profit", _("gross profit"), kind="money", cost=True),
        Column("refund_owed", kind="money"),
        Column("salesperson", _("salesperson")),
    ]
    title = _("Orders")
    detail_url_name = "web:order_detail"
    export_name = "orders"
    search_placeholder = _("Number, customer or mobile")


@login_required
def order_detail(request, pk):
    order = _get(
        request, Order, pk, Order.objects.select_related("customer", "salesperson", "store", "quote")
    )
    user = request.user
    allocations = order.allocations.select_related("vehicle", "delivery").order_by("id")
    trims = order.lines.filter(kind=LineKind.VEHICLE).values_list("trim_id", flat=True)
    taken = order.allocations.exclude(status=AllocationStatus.RELEASED).values("vehicle_id")
    candidates = (
        scope(user, Vehicle.objects.filter(trim_id__in=trims, status=VehicleStatus.IN_STOCK))
        .exclude(pk__in=taken)
        .order_by("arrival_date")[:50]
    )
    deliveries = order.deliveries.prefetch_related("allocations__vehicle").order_by("id")
    context = {
        "order": order,
        "title": order.number,
        "show_cost": can_see_cost(user),
        "writable": can_write(user, order),
        # Finance may change an order (payments) but neither move it along nor deliver it.
        "may_step": can_write(user, order) and services.may_step_orders(user),
        "may_close": can_write(user, order) and (user.is_superuser or user.role in MANAGERS),
        "may_deliver": can_write(user, order) and can_write_model(user, Delivery),
        "may_pay": user.is_superuser or user.role in (Role.FINANCE, *MANAGERS),
        "lines": [{"line": line, "figures": pricing.line_figures(line)} for line in order.lines.all()],
        "allocations": allocations,
        "candidates": candidates,
        "deliveries": [
            {"delivery": d, "pdi": [(k, label, (d.pdi or {}).get(k, False)) for k, label in PDI_ITEMS]}
            for d in deliveries
        ],
        "units": selectors.vehicle_units(order),
        "payments": order.payments.select_related("received_by").order_by("paid_at"),
        "payment_kinds": PaymentKind.choices,
        "payment_methods": PaymentMethod.choices,
        "allowed": allowed("order", order.status),
        "history": history_for(order, user=request.user, states=OrderStatus),
        "unscheduled": allocations.filter(status=AllocationStatus.ALLOCATED, delivery__isnull=True),
    }
    return render(request, "web/sales/order_detail.html", context)


@login_required
@require_POST
def order_action(request, pk, action):
    order = _get(request, Order, pk)
    user = request.user
    back = reverse("web:order_detail", args=[pk])
    post = request.POST
    if action != "pay":
        _writable(request, order)
    if action == "confirm":
        _run(request, services.order_confirm, gettext("Order confirmed."), order=order)
    elif action == "pay":
        if not scope(user, Order.objects.filter(pk=order.pk)).exists():
            raise PermissionDenied
        try:
            amount = Decimal(post.get("amount", ""))
        except ArithmeticError:
            messages.error(request, gettext("Enter the amount."))
            return _back(request, back)
        _run(
            request,
            services.payment_record,
            gettext("Payment recorded."),
            order=order,
            kind=post.get("kind", ""),
            amount=amount,
            method=post.get("method") or PaymentMethod.TRANSFER,
            reference=post.get("reference", ""),
        )
    elif action == "allocate":
        vin = (post.get("vin") or "").strip().upper()
        vehicle = Vehicle.objects.filter(vin=vin).first() if vin else None
        if vehicle is None:
            messages.error(request, gettext("No vehicle with VIN %(vin)s.") % {"vin": vin or "—"})
        else:
            _run(
                request,
                services.order_allocate_vehicle,
                gettext("Vehicle %(vin)s reserved.") % {"vin": vin},
                order=order,
                vehicle=vehicle,
            )
    elif action == "cancel":
        _run(
            request,
            services.order_cancel,
            gettext("Order cancelled."),
            order=order,
            reason=post.get("reason", ""),
        )
    elif action == "schedule":
        if not can_write_model(user, Delivery):
            raise PermissionDenied
        ids = post.getlist("allocation")
        _run(
            request,
            services.delivery_schedule,
            gettext("Delivery planned."),
            order=order,
            allocations=ids or None,
            scheduled_for=_date(post.get("scheduled_for")),
        )
    elif action == "close":
        _run(request, services.order_close, gettext("Order closed."), order=order)
    else:
        raise Http404
    return _back(request, back)


@login_required
@require_POST
def delivery_action(request, pk, action):
    delivery = _get(request, Delivery, pk)
    _writable(request, delivery)
    back = reverse("web:order_detail", args=[delivery.order_id])
    if action == "pdi":
        items = {key: key in request.POST.getlist("pdi") for key, _label in PDI_ITEMS}
        _run(
            request,
            services.delivery_pdi_update,
            gettext("PDI checklist saved."),
            delivery=delivery,
            items=items,
        )
    elif action == "complete":
        _run(request, services.delivery_complete, gettext("Vehicles handed over."), delivery=delivery)
    else:
        raise Http404
    return _back(request, back)


# --- performance ---------------------------------------------------------------------------


class TargetForm(Form):
    salesperson = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("salesperson"),
        help_text=_("Empty for the whole store."),
    )
    store = forms.ModelChoiceField(queryset=Store.objects.none(), label=_("store"))
    month = forms.DateField(label=_("month"), widget=forms.DateInput)
    units = forms.IntegerField(min_value=0, label=_("units"))
    revenue = forms.DecimalField(min_value=0, decimal_places=2, label=_("revenue"))
    gross_profit = forms.DecimalField(min_value=0, decimal_places=2, required=False, label=_("gross profit"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        stores = scope(user, Store.objects.all())
        self.fields["store"].queryset = stores
        self.fields["store"].initial = user.store_id
        self.fields["salesperson"].queryset = User.objects.filter(
            role=Role.SALESPERSON, store__in=stores, is_active=True
        )


@login_required
def performance(request):
    user = request.user
    today = timezone.localdate()
    start = _date(request.GET.get("start")) or today.replace(month=1, day=1)
    end = _date(request.GET.get("end")) or today
    by = "store" if request.GET.get("by") == "store" else "salesperson"
    rows = selectors.performance(
        orders=scope(user, Order.objects.all()),
        leads=scope(user, Lead.objects.all()),
        start=start,
        end=end,
        by=by,
    )
    form = None
    if _is_manager(user):
        form = TargetForm(request.POST or None, user=user, initial={"month": today.replace(day=1)})
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            done = _run(
                request,
                services.sales_target_set,
                gettext("Target saved."),
                store=d["store"],
                salesperson=d["salesperson"],
                month=d["month"],
                units=d["units"],
                revenue=d["revenue"],
                gross_profit=d["gross_profit"] or Decimal("0"),
            )
            if done:
                return HttpResponseRedirect(request.get_full_path())
    return render(
        request,
        "web/sales/performance.html",
        {
            "rows": rows,
            "start": start,
            "end": end,
            "by": by,
            "show_cost": can_see_cost(user),
            "form": form,
            "targets": scope(
                user, SalesTarget.objects.filter(month__gte=start.replace(day=1), month__lte=end)
            ).select_related("salesperson", "store")[:100],
        },
    )


urlpatterns = [
    path("leads/", LeadListView.as_view(), name="lead_list"),
    path("leads/new/", lead_create, name="lead_create"),
    path("leads/<int:pk>/", lead_detail, name="lead_detail"),
    path("leads/<int:pk>/<slug:action>/", lead_action, name="lead_action"),
    path("customers/<int:pk>/log/", customer_log_activity, name="customer_log_activity"),
    path("follow-ups/", follow_ups, name="follow_ups"),
    path("lost-requests/", lost_requests, name="lost_requests"),
    path("pipeline/", pipeline, name="pipeline"),
    path("pipeline/probability/", stage_probability, name="stage_probability"),
    path("quotes/", QuoteListView.as_view(), name="quote_list"),
    path("quotes/new/", quote_create, name="quote_create"),
    path("quotes/<int:pk>/", quote_detail, name="quote_detail"),
    path("quotes/<int:pk>/pdf/", quote_pdf_view, name="quote_pdf"),
    path("quotes/<int:pk>/<slug:action>/", quote_action, name="quote_action"),
    path("approvals/", approval_list, name="approval_list"),
    path("orders/", OrderListView.as_view(), name="order_list"),
    path("orders/<int:pk>/", order_detail, name="order_detail"),
    path("orders/<int:pk>/<slug:action>/", order_action, name="order_action"),
    path("deliveries/<int:pk>/<slug:action>/", delivery_action, name="delivery_action"),
    path("performance/", performance, name="performance"),
]


# --- discount policy and fleet agreements ----------------------------------------------------


class ApprovalRuleForm(ServiceModelForm):
    class Meta:
        model = ApprovalRule
        fields = ["role", "max_discount_rate", "max_discount_amount", "may_go_below_floor"]


class MarginFloorForm(ServiceModelForm):
    customer_tier = forms.ChoiceField(
        choices=[("", _("Every tier")), *Tier.choices], required=False, label=_("customer tier")
    )
    account_type = forms.ChoiceField(
        choices=[("", _("Every account type")), *AccountType.choices], required=False, label=_("account type")
    )

    class Meta:
        model = MarginFloor
        fields = ["customer_tier", "account_type", "car_model", "min_margin"]


class TaxRuleForm(ServiceModelForm):
    fuel_types = forms.MultipleChoiceField(
        choices=FuelType.choices, required=False, widget=forms.CheckboxSelectMultiple, label=_("fuel types")
    )

    class Meta:
        model = TaxRule
        fields = [
            "name",
            "valid_from",
            "valid_to",
            "fuel_types",
            "vat_rate",
            "purchase_tax_rate",
            "purchase_tax_reduction",
            "reduction_cap",
            "registration_fee",
        ]
        widgets = {"valid_from": forms.DateInput, "valid_to": forms.DateInput}


POLICY_FORMS = {"approval_rule": ApprovalRuleForm, "margin_floor": MarginFloorForm, "tax_rule": TaxRuleForm}


def _may_edit_policy(user) -> bool:
    return user.is_superuser or user.role in (Role.GENERAL_MANAGER, Role.ADMIN)


@login_required
def policy(request):
    """The approval matrix, margin floors and tax rules; general managers and administrators edit them."""
    if not (_is_manager(request.user) or request.user.role == Role.FINANCE):
        raise PermissionDenied
    return render(
        request,
        "web/sales/policy.html",
        {
            "rules": ApprovalRule.objects.all(),
            "floors": MarginFloor.objects.select_related("car_model__brand"),
            "taxes": TaxRule.objects.all(),
            "may_edit": _may_edit_policy(request.user),
        },
    )


@login_required
def policy_edit(request, kind, pk=None):
    if kind not in POLICY_FORMS or not _may_edit_policy(request.user):
        raise PermissionDenied
    form_class = POLICY_FORMS[kind]
    instance = None
    if pk is not None:
        instance = form_class._meta.model.objects.filter(pk=pk).first()
        if instance is None:
            raise Http404
    if request.method == "POST" and request.POST.get("delete") and instance is not None:
        _run(request, services.policy_rule_delete, gettext("Deleted."), instance=instance)
        return HttpResponseRedirect(reverse("web:policy"))
    form = form_class(data=request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form_class._meta.fields}
        try:
            services.policy_rule_save(kind=kind, actor=request.user, instance=instance, **data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errs in error.error_dict.items():
                    for e in errs:
                        form.add_error(field if field in form.fields else None, e)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, gettext("Saved."))
            return HttpResponseRedirect(reverse("web:policy"))
    title = str(form_class._meta.model._meta.verbose_name)
    return render(
        request,
        "web/sales/policy_form.html",
        {
            "form": form,
            "title": title[:1].upper() + title[1:],
            "cancel_url": reverse("web:policy"),
            "instance": instance,
        },
    )


class AgreementForm(Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), label=_("customer"))
    starts_on = forms.DateField(label=_("starts on"), widget=forms.DateInput)
    ends_on = forms.DateField(label=_("ends on"), widget=forms.DateInput)
    volume_target = forms.IntegerField(min_value=0, initial=0, label=_("agreed volume"))
    payment_terms_days = forms.IntegerField(min_value=0, initial=30, label=_("payment terms (days)"))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("notes"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = scope(user, Customer.objects.filter(kind=CustomerKind.COMPANY))


@login_required
def agreement_list(request):
    agreements = scope(request.user, FleetAgreement.objects.select_related("customer", "store")).order_by(
        "-id"
    )
    form = None
    if can_write_model(request.user, FleetAgreement):
        form = AgreementForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            agreement = _run(
                request, services.fleet_agreement_create, gettext("Agreement created."), **form.cleaned_data
            )
            if agreement:
                return HttpResponseRedirect(reverse("web:agreement_detail", args=[agreement.pk]))
    return render(request, "web/sales/agreements.html", {"agreements": agreements[:200], "form": form})


@login_required
def agreement_detail(request, pk):
    agreement = _get(request, FleetAgreement, pk, FleetAgreement.objects.select_related("customer", "store"))
    writable = can_write(request.user, agreement)
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "price":
            trim = Trim.objects.filter(pk=request.POST.get("trim") or 0).first()
            try:
                price = Decimal(request.POST.get("unit_price", ""))
                volume = int(request.POST.get("volume") or 0)
            except (ArithmeticError, ValueError):
                messages.error(request, gettext("Enter a number."))
            else:
                if trim is None:
                    messages.error(request, gettext("Choose a trim."))
                else:
                    _run(
                        request,
                        services.fleet_agreement_price_set,
                        gettext("Price saved."),
                        agreement=agreement,
                        trim=trim,
                        unit_price=price,
                        volume=volume,
                    )
        elif action in ("active", "expired", "terminated"):
            _run(
                request,
                services.fleet_agreement_set_status,
                gettext("Status changed."),
                agreement=agreement,
                status=action,
                reason=request.POST.get("reason", ""),
            )
        return HttpResponseRedirect(reverse("web:agreement_detail", args=[pk]))
    return render(
        request,
        "web/sales/agreement_detail.html",
        {
            "agreement": agreement,
            "lines": agreement.lines.select_related("trim__car_model__brand"),
            "trims": Trim.objects.filter(is_active=True).select_related("car_model__brand"),
            "writable": writable,
            "allowed": allowed("agreement", agreement.status),
            "history": history_for(agreement, user=request.user, states=AgreementStatus),
            "quotes": scope(request.user, Quote.objects.filter(fleet_agreement=agreement))[:20],
        },
    )


urlpatterns += [
    path("policy/", policy, name="policy"),
    path("policy/<slug:kind>/new/", policy_edit, name="policy_create"),
    path("policy/<slug:kind>/<int:pk>/", policy_edit, name="policy_edit"),
    path("agreements/", agreement_list, name="agreement_list"),
    path("agreements/<int:pk>/", agreement_detail, name="agreement_detail"),
]
