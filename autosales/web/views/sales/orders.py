"""Sales pages for orders: the order list and page, payments, vehicle allocation and delivery."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from autosales.core.access import can_see_cost, can_write, can_write_model, scope
from autosales.core.choices import Role
from autosales.core.selectors import history_for
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Vehicle
from autosales.sales import pricing, selectors, services
from autosales.sales.choices import (
    PDI_ITEMS,
    AllocationStatus,
    LineKind,
    OrderStatus,
    PaymentKind,
    PaymentMethod,
)
from autosales.sales.filtersets import OrderFilterSet
from autosales.sales.models import (
    Delivery,
    Order,
)
from autosales.sales.workflows import allowed
from autosales.web.generic import Column, ObjectListView

from ._common import MANAGERS, _back, _date, _get, _run, _writable


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
