"""Service orders: opening, the order page, jobs, parts, payments and status changes."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from autosales.aftersales import selectors, services
from autosales.aftersales.choices import (
    ServiceKind,
    ServiceStatus,
)
from autosales.aftersales.filtersets import (
    ServiceOrderFilterSet,
)
from autosales.aftersales.models import FollowUpCall, ServiceOrder
from autosales.core.access import can_see_cost, can_write, can_write_model, scope
from autosales.core.choices import Role
from autosales.core.models import Store, User
from autosales.core.selectors import history_for
from autosales.parties.models import Customer
from autosales.web.forms import BootstrapMixin
from autosales.web.generic import Column, ObjectListView

from ._common import ReasonForm, _get, _run


def _advisors(user):
    stores = scope(user, Store.objects.all())
    return User.objects.filter(is_active=True, role=Role.AFTERSALES, store__in=stores).order_by("username")


class ServiceOrderOpenForm(BootstrapMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("customer"), queryset=Customer.objects.none())
    vin = forms.CharField(
        label=_("VIN"),
        max_length=20,
        help_text=_("A VIN we do not know registers the customer's own vehicle."),
    )
    vehicle_description = forms.CharField(
        label=_("make and model"),
        max_length=120,
        required=False,
        help_text=_("Only for a vehicle bought elsewhere."),
    )
    plate_number = forms.CharField(label=_("plate number"), max_length=12, required=False)
    mileage_km = forms.IntegerField(label=_("mileage (km)"), min_value=0)
    kind = forms.ChoiceField(label=_("kind"), choices=ServiceKind.choices, initial=ServiceKind.MAINTENANCE)
    advisor = forms.ModelChoiceField(label=_("service advisor"), queryset=User.objects.none(), required=False)
    complaint_text = forms.CharField(
        label=_("customer's request"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["customer"].queryset = scope(user, Customer.objects.all()).order_by("name")
        self.fields["advisor"].queryset = _advisors(user)
        self.fields["vin"].widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})
        if user is not None and user.role == Role.AFTERSALES:
            self.initial.setdefault("advisor", user.pk)


class JobForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("description"), max_length=200)
    labour_hours = forms.DecimalField(label=_("labour hours"), max_digits=6, decimal_places=2)
    labour_rate = forms.DecimalField(label=_("labour rate per hour"), max_digits=14, decimal_places=2)
    cost_rate = forms.DecimalField(
        label=_("labour cost per hour"), max_digits=14, decimal_places=2, required=False, initial=0
    )
    is_warranty = forms.BooleanField(label=_("warranty"), required=False)


class PartForm(BootstrapMixin, forms.Form):
    part_number = forms.CharField(label=_("part number"), max_length=40)
    name = forms.CharField(label=_("name"), max_length=120)
    quantity = forms.DecimalField(label=_("quantity"), max_digits=8, decimal_places=2, initial=1)
    unit_cost = forms.DecimalField(label=_("unit cost"), max_digits=14, decimal_places=2)
    unit_price = forms.DecimalField(label=_("unit price"), max_digits=14, decimal_places=2)
    is_warranty = forms.BooleanField(label=_("warranty"), required=False)


class AmountForm(BootstrapMixin, forms.Form):
    amount = forms.DecimalField(label=_("amount"), max_digits=14, decimal_places=2)


class DiscountForm(BootstrapMixin, forms.Form):
    discount = forms.DecimalField(label=_("discount"), max_digits=14, decimal_places=2, min_value=0)


class ServiceOrderListView(ObjectListView):
    queryset = ServiceOrder.objects.select_related("customer", "vehicle", "advisor", "store")
    filterset = ServiceOrderFilterSet
    filter_fields = ["status", "kind", "store", "advisor", "opened_after", "opened_before"]
    columns = [
        Column("number", link=True),
        Column("opened_at", kind="datetime", order="opened_at"),
        Column("customer", _("customer")),
        Column("vehicle.vin", _("VIN")),
        Column("vehicle.plate_number", _("plate number")),
        Column("kind"),
        Column("status"),
        Column("mileage_km", kind="number", order="mileage_km"),
        Column("advisor", _("service advisor")),
        Column("revenue", _("revenue"), kind="money"),
        Column("gross_profit", _("gross profit"), kind="money", cost=True),
        Column("closed_at", kind="datetime", order="closed_at"),
    ]
    title = _("Service orders")
    detail_url_name = "web:service_order_detail"
    add_url_name = "web:service_order_create"
    export_name = "service-orders"
    search_placeholder = _("Number, VIN, plate or customer")


@login_required
def service_order_create(request):
    if not can_write_model(request.user, ServiceOrder):
        raise PermissionDenied
    initial = {}
    if request.GET.get("customer", "").isdigit():
        initial["customer"] = request.GET["customer"]
    if request.GET.get("vin"):
        initial["vin"] = request.GET["vin"]
    form = ServiceOrderOpenForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        store = request.user.store or data["customer"].store
        try:
            order = services.service_order_open(
                store=store,
                customer=data["customer"],
                vin=data["vin"],
                vehicle_description=data["vehicle_description"],
                plate_number=data["plate_number"],
                mileage_km=data["mileage_km"],
                kind=data["kind"],
                advisor=data["advisor"],
                complaint_text=data["complaint_text"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {"__all__": error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, gettext("Service order %(number)s was opened.") % {"number": order.number}
            )
            return HttpResponseRedirect(reverse("web:service_order_detail", args=[order.pk]))
    return render(
        request,
        "web/object_form.html",
        {
            "form": form,
            "title": gettext("Open a service order"),
            "cancel_url": reverse("web:service_order_list"),
            "submit_label": gettext("Open the order"),
        },
    )


@login_required
def service_order_detail(request, pk):
    order = _get(request, ServiceOrder, pk)
    order = (
        selectors.service_order_list(user=request.user)
        .select_related("vehicle__trim__car_model__brand")
        .prefetch_related("jobs", "parts")
        .get(pk=order.pk)
    )
    writable = can_write(request.user, order)
    editable = writable and order.status in services.EDITABLE_SERVICE_STATUSES
    moves = services.SERVICE_TRANSITIONS[ServiceStatus(order.status)] if writable else set()
    calls = list(
        scope(request.user, FollowUpCall.objects.filter(service_order=order)).select_related(
            "caller", "complaint"
        )
    )
    return render(
        request,
        "web/aftersales/service_order_detail.html",
        {
            "order": order,
            "title": order.number,
            "show_cost": can_see_cost(request.user),
            "writable": writable,
            "editable": editable,
            "may_start": ServiceStatus.IN_PROGRESS in moves and order.status == ServiceStatus.OPEN,
            "may_ready": ServiceStatus.READY in moves,
            "may_reopen": ServiceStatus.IN_PROGRESS in moves and order.status == ServiceStatus.READY,
            "may_close": ServiceStatus.CLOSED in moves,
            "may_cancel": ServiceStatus.CANCELLED in moves,
            "may_pay": writable and order.status not in (ServiceStatus.CLOSED, ServiceStatus.CANCELLED),
            "job_form": JobForm(
                initial={"is_warranty": order.kind == ServiceKind.WARRANTY}, auto_id="job_%s"
            ),
            "part_form": PartForm(
                initial={"is_warranty": order.kind == ServiceKind.WARRANTY}, auto_id="part_%s"
            ),
            "amount_form": AmountForm(initial={"amount": order.balance_due}),
            "discount_form": DiscountForm(initial={"discount": order.discount}),
            "calls": calls,
            "history": history_for(order, user=request.user, states=ServiceStatus),
        },
    )


SERVICE_ACTIONS = {
    "start": (
        None,
        lambda o, a, d: services.service_order_start(service_order=o, actor=a),
        _("Work started."),
    ),
    "ready": (
        None,
        lambda o, a, d: services.service_order_mark_ready(service_order=o, actor=a),
        _("Ready for pick-up."),
    ),
    "reopen": (
        ReasonForm,
        lambda o, a, d: services.service_order_reopen(service_order=o, actor=a, reason=d["reason"]),
        _("Back in the workshop."),
    ),
    "close": (
        None,
        lambda o, a, d: services.service_order_close(service_order=o, actor=a),
        _("Service order closed."),
    ),
    "cancel": (
        ReasonForm,
        lambda o, a, d: services.service_order_cancel(service_order=o, actor=a, reason=d["reason"]),
        _("Service order cancelled."),
    ),
    "add-job": (
        JobForm,
        lambda o, a, d: services.service_job_add(
            service_order=o, actor=a, **{**d, "cost_rate": d["cost_rate"] or 0}
        ),
        _("Job added."),
    ),
    "add-part": (
        PartForm,
        lambda o, a, d: services.service_part_add(service_order=o, actor=a, **d),
        _("Part added."),
    ),
    "discount": (
        DiscountForm,
        lambda o, a, d: services.service_order_set_discount(service_order=o, actor=a, discount=d["discount"]),
        _("Discount saved."),
    ),
    "pay": (
        AmountForm,
        lambda o, a, d: services.service_order_record_payment(service_order=o, actor=a, amount=d["amount"]),
        _("Payment recorded."),
    ),
}


@login_required
@require_POST
def service_order_action(request, pk, action):
    order = _get(request, ServiceOrder, pk)
    if action not in SERVICE_ACTIONS:
        raise Http404
    form_class, call, success = SERVICE_ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    _run(request, order, lambda data: call(order, request.user, data), form, success)
    return HttpResponseRedirect(reverse("web:service_order_detail", args=[order.pk]))


@login_required
@require_POST
def service_line_action(request, pk, line_kind, line_pk, action):
    order = _get(request, ServiceOrder, pk)
    related = {"job": order.jobs, "part": order.parts}.get(line_kind)
    line = related.filter(pk=line_pk).first() if related is not None else None
    if line is None:
        raise Http404
    if action == "remove":
        call = services.service_job_remove if line_kind == "job" else services.service_part_remove
        _run(
            request,
            order,
            lambda data: call(**{line_kind: line, "actor": request.user}),
            success=_("Removed."),
        )
    elif action == "paid" and line_kind == "part":
        _run(
            request,
            order,
            lambda data: services.service_part_mark_paid(part=line, actor=request.user),
            success=_("Part marked as paid."),
        )
    else:
        raise Http404
    return HttpResponseRedirect(reverse("web:service_order_detail", args=[order.pk]))
