"""Sales performance by salesperson or store, and the targets it is measured against."""

from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from autosales.core.access import can_see_cost, scope
from autosales.core.choices import Role
from autosales.core.models import Store, User
from autosales.sales import selectors, services
from autosales.sales.models import (
    Lead,
    Order,
    SalesTarget,
)

from ._common import Form, _date, _is_manager, _run


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
