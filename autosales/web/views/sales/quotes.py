"""Sales pages for quotes: the quote list and page, lines, approvals and the PDF."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from autosales.core.access import can_see_cost, can_write, can_write_model, scope
from autosales.core.choices import Role
from autosales.core.selectors import history_for
from autosales.inventory.models import Trim, Vehicle
from autosales.keyaccounts.choices import AccountType, Tier
from autosales.parties.models import Customer
from autosales.sales import pricing, selectors, services
from autosales.sales.choices import (
    LineKind,
    QuoteStatus,
)
from autosales.sales.filtersets import QuoteFilterSet
from autosales.sales.models import (
    Lead,
    Order,
    Quote,
    QuoteLine,
)
from autosales.sales.pdf import quote_pdf
from autosales.sales.workflows import allowed
from autosales.web.generic import Column, ObjectListView

from ._common import Form, _back, _date, _error_text, _get, _run, _writable


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
