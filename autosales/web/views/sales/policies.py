"""Discount policy (approval matrix, margin floors, tax rules) and fleet agreements."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from autosales.core.access import can_write, can_write_model, scope
from autosales.core.choices import Role
from autosales.core.selectors import history_for
from autosales.inventory.choices import FuelType
from autosales.inventory.models import Trim
from autosales.keyaccounts.choices import AccountType, Tier
from autosales.parties.choices import CustomerKind
from autosales.parties.models import Customer
from autosales.sales import services
from autosales.sales.choices import (
    AgreementStatus,
)
from autosales.sales.models import (
    ApprovalRule,
    FleetAgreement,
    MarginFloor,
    Quote,
    TaxRule,
)
from autosales.sales.workflows import allowed
from autosales.web.forms import ServiceModelForm

from ._common import Form, _get, _is_manager, _run


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
