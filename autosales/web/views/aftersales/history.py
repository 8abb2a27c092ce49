"""Service histories of a customer and of a vehicle."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from autosales.aftersales import selectors
from autosales.aftersales.models import ServiceOrder
from autosales.core.access import can_see_cost, can_write_model
from autosales.inventory.models import Vehicle
from autosales.parties.models import Customer
from autosales.web.generic import url_or_none


@login_required
def customer_history_view(request, pk):
    customer = selectors.history_subject(user=request.user, model=Customer, pk=pk)
    if customer is None:
        raise Http404
    history = selectors.customer_history(user=request.user, customer=customer)
    return render(
        request,
        "web/aftersales/history.html",
        {
            "subject": customer,
            "customer": customer,
            "history": history,
            "title": gettext("History of %(name)s") % {"name": customer},
            "show_cost": can_see_cost(request.user),
            "back_url": url_or_none("web:customer_detail", customer.pk),
            "open_url": reverse("web:service_order_create") + f"?customer={customer.pk}"
            if can_write_model(request.user, ServiceOrder)
            else None,
        },
    )


@login_required
def vehicle_history_view(request, pk):
    vehicle = selectors.history_subject(user=request.user, model=Vehicle, pk=pk)
    if vehicle is None:
        raise Http404
    history = selectors.vehicle_history(user=request.user, vehicle=vehicle)
    return render(
        request,
        "web/aftersales/history.html",
        {
            "subject": vehicle,
            "vehicle": vehicle,
            "history": history,
            "title": gettext("History of vehicle %(vin)s") % {"vin": vehicle.vin},
            "show_cost": can_see_cost(request.user),
            "back_url": url_or_none("web:vehicle_detail", vehicle.pk),
            "open_url": reverse("web:service_order_create") + f"?vin={vehicle.vin}"
            if can_write_model(request.user, ServiceOrder)
            else None,
        },
    )
