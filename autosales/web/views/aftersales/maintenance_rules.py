"""Maintenance rules (the service intervals per car model) and the after-sales settings."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from autosales.aftersales.filtersets import (
    MaintenanceRuleFilterSet,
)
from autosales.aftersales.models import AfterSalesSettings, MaintenanceRule
from autosales.aftersales.services import aftersales_settings_update
from autosales.core.access import can_read_model, can_write, can_write_model
from autosales.core.services import model_create, model_update
from autosales.inventory.models import CarModel
from autosales.web.forms import ServiceModelForm
from autosales.web.generic import Column, ObjectEditView, ObjectListView


class MaintenanceRuleForm(ServiceModelForm):
    class Meta:
        model = MaintenanceRule
        fields = ["car_model", "interval_km", "interval_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["car_model"].queryset = CarModel.objects.select_related("brand")


class MaintenanceRuleListView(ObjectListView):
    queryset = MaintenanceRule.objects.select_related("car_model__brand")
    filterset = MaintenanceRuleFilterSet
    columns = [
        Column(
            "car_model",
            _("model"),
            link=True,
            accessor=lambda r: r.car_model or gettext("Default (every model)"),
        ),
        Column("interval_km", kind="number"),
        Column("interval_months", kind="number"),
    ]
    title = _("Maintenance rules")
    detail_url_name = "web:maintenance_rule_edit"
    add_url_name = "web:maintenance_rule_create"
    link_requires_write = True

    def get_queryset(self, request):
        # Rules are group-wide configuration: everyone who may read them sees all of them.
        return self.queryset.all() if can_read_model(request.user, MaintenanceRule) else self.queryset.none()


class MaintenanceRuleEditView(ObjectEditView):
    queryset = MaintenanceRule.objects.select_related("car_model")
    form_class = MaintenanceRuleForm
    list_url_name = "web:maintenance_rule_list"

    def get_object(self, request, pk):
        try:
            return self.queryset.get(pk=pk)
        except MaintenanceRule.DoesNotExist as exc:
            raise Http404 from exc

    def success_url(self, obj):
        return reverse("web:maintenance_rule_list")

    def create(self, request, form, data):
        return model_create(MaintenanceRule, actor=request.user, data=data)

    def update(self, request, obj, form, data):
        return model_update(obj, actor=request.user, data=data)


class AfterSalesSettingsForm(ServiceModelForm):
    class Meta:
        model = AfterSalesSettings
        fields = list(AfterSalesSettings.FIELDS)


class AfterSalesSettingsView(ObjectEditView):
    """The one row of after-sales settings: general managers and administrators change it, the
    after-sales team and sales managers may read it."""

    queryset = AfterSalesSettings.objects.all()
    form_class = AfterSalesSettingsForm
    template_name = "web/aftersales/settings.html"

    def get_form(self, request, obj, data=None):
        form = super().get_form(request, obj, data)
        if not can_write(request.user, obj):
            for field in form.fields.values():
                field.disabled = True
        return form

    def get(self, request, pk=None, *args, **kwargs):
        if not can_read_model(request.user, AfterSalesSettings):
            raise PermissionDenied
        return super().get(request, AfterSalesSettings.current().pk)

    def post(self, request, pk=None, *args, **kwargs):
        if not can_write_model(request.user, AfterSalesSettings):
            raise PermissionDenied
        return super().post(request, AfterSalesSettings.current().pk)

    def check_permission(self, request, obj):
        if request.method != "GET":
            super().check_permission(request, obj)

    def get_extra_context(self, request, obj):
        return {"title": gettext("After-sales settings"), "read_only": not can_write(request.user, obj)}

    def success_url(self, obj):
        return reverse("web:aftersales_settings")

    def cancel_url(self, obj):
        return reverse("web:service_home")

    def update(self, request, obj, form, data):
        return aftersales_settings_update(actor=request.user, **data)
