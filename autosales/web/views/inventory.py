"""Stock (vehicles by VIN) and the catalogue: brands, models, trims and colours."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from autosales.core.access import can_read_model, can_write_model, scope
from autosales.core.models import Store
from autosales.core.selectors import history_for
from autosales.core.services import model_update
from autosales.inventory import selectors
from autosales.inventory.filtersets import (
    BrandFilterSet,
    CarModelFilterSet,
    ColourFilterSet,
    TrimFilterSet,
    VehicleFilterSet,
)
from autosales.inventory.models import Brand, CarModel, Colour, Trim, Vehicle
from autosales.inventory.services import (
    brand_create,
    car_model_create,
    colour_create,
    trim_create,
    vehicle_create,
    vehicle_update,
)
from autosales.web.forms import ServiceModelForm
from autosales.web.generic import Column, ObjectDetailView, ObjectEditView, ObjectListView, url_or_none


class StockAgeQuerysetMixin:
    """Vehicles come from the selector, which computes the stock age in SQL."""

    queryset = Vehicle.objects.all()

    def get_queryset(self, request):
        return selectors.vehicle_list(user=request.user)


class VehicleForm(ServiceModelForm):
    class Meta:
        model = Vehicle
        fields = [
            "vin",
            "trim",
            "colour",
            "store",
            "status",
            "cost",
            "list_price",
            "arrival_date",
            "is_demo",
            "description",
            "plate_number",
        ]
        widgets = {"arrival_date": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = scope(self.user, Store.objects.all())
        # Trims no longer on sale stay selectable for the vehicle that already has one.
        self.fields["trim"].queryset = Trim.objects.select_related("car_model__brand").filter(
            Q(is_active=True) | Q(pk=self.instance.trim_id)
        )
        self.fields["vin"].widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})
        if self.user is not None and not self.user.can_see_cost:
            del self.fields["cost"]
        if self.instance.pk is None and not self.is_bound and self.user is not None:
            self.initial.setdefault("store", self.user.store_id)


VEHICLE_COLUMNS = [
    Column("vin", link=True, order="vin"),
    Column("trim.car_model.brand", _("brand")),
    Column("trim.car_model", _("model")),
    Column("trim.name", _("trim")),
    Column("trim.fuel_type", _("fuel type")),
    Column("colour.name", _("colour")),
    Column("store.name", _("store")),
    Column("status"),
    Column("arrival_date", kind="date", order="arrival_date"),
    Column("stock_age_sql", _("stock age (days)"), kind="days"),
    Column("list_price", kind="money", order="list_price"),
    Column("cost", kind="money", cost=True),
]


class VehicleListView(StockAgeQuerysetMixin, ObjectListView):
    filterset = VehicleFilterSet
    filter_fields = [
        "status",
        "store",
        "brand",
        "car_model",
        "fuel_type",
        "is_demo",
        "arrived_after",
        "arrived_before",
    ]
    columns = VEHICLE_COLUMNS
    title = _("Stock")
    detail_url_name = "web:vehicle_detail"
    add_url_name = "web:vehicle_create"
    export_name = "vehicles"
    search_placeholder = _("Full VIN or last 6 characters")

    def get_filterset(self, request, queryset):
        filterset = super().get_filterset(request, queryset)
        filterset.form.fields["car_model"].queryset = CarModel.objects.select_related("brand")
        return filterset


class VehicleDetailView(StockAgeQuerysetMixin, ObjectDetailView):
    template_name = "web/inventory/vehicle_detail.html"
    edit_url_name = "web:vehicle_edit"
    list_url_name = "web:vehicle_list"
    fields = [
        Column("trim", _("trim")),
        Column("trim.fuel_type", _("fuel type")),
        Column("colour"),
        Column("store"),
        Column("status"),
        Column("arrival_date", kind="date"),
        Column("stock_age_sql", _("stock age (days)"), kind="days"),
        Column("list_price", kind="money"),
        Column("cost", kind="money", cost=True),
        Column("is_demo", kind="bool"),
        Column("description"),
        Column("plate_number"),
        Column("created_at", kind="datetime"),
    ]

    def get_object(self, request, pk):
        from django.http import Http404

        try:
            return selectors.vehicle_get(user=request.user, pk=pk)
        except Vehicle.DoesNotExist as exc:
            raise Http404 from exc

    def get_extra_context(self, request, obj):
        return {"history": history_for(obj, user=request.user)}


class VehicleEditView(ObjectEditView):
    queryset = Vehicle.objects.select_related("trim", "store")
    form_class = VehicleForm
    detail_url_name = "web:vehicle_detail"
    list_url_name = "web:vehicle_list"

    def create(self, request, form, data):
        return vehicle_create(actor=request.user, **data)

    def update(self, request, obj, form, data):
        return vehicle_update(vehicle=obj, actor=request.user, **data)


# --- catalogue ------------------------------------------------------------------------------


class BrandForm(ServiceModelForm):
    class Meta:
        model = Brand
        fields = ["name", "name_en", "country"]


class CarModelForm(ServiceModelForm):
    class Meta:
        model = CarModel
        fields = ["brand", "name", "name_en", "body_type", "is_active"]


class ColourForm(ServiceModelForm):
    class Meta:
        model = Colour
        fields = ["name", "name_en", "hex_code"]
        widgets = {"hex_code": forms.TextInput(attrs={"type": "color"})}


class TrimForm(ServiceModelForm):
    class Meta:
        model = Trim
        fields = [
            "car_model",
            "name",
            "code",
            "model_year",
            "fuel_type",
            "msrp",
            "standard_cost",
            "colours",
            "is_active",
        ]
        widgets = {"colours": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["car_model"].queryset = CarModel.objects.select_related("brand")
        self.fields["colours"].widget.attrs["class"] = ""
        if self.user is not None and not self.user.can_see_cost:
            del self.fields["standard_cost"]


class CatalogueEditView(ObjectEditView):
    """Create through the inventory service; edits use the shared update service (validate, save, event)."""

    create_service = None
    list_url_name = "web:catalogue"

    def create(self, request, form, data):
        return type(self).create_service(actor=request.user, **data)

    def update(self, request, obj, form, data):
        return model_update(obj, actor=request.user, data=data)

    def success_url(self, obj):
        return url_or_none(self.list_url_name)


class BrandEditView(CatalogueEditView):
    queryset = Brand.objects.all()
    form_class = BrandForm
    create_service = brand_create
    list_url_name = "web:brand_list"


class CarModelEditView(CatalogueEditView):
    queryset = CarModel.objects.select_related("brand")
    form_class = CarModelForm
    create_service = car_model_create
    list_url_name = "web:carmodel_list"


class ColourEditView(CatalogueEditView):
    queryset = Colour.objects.all()
    form_class = ColourForm
    create_service = colour_create
    list_url_name = "web:colour_list"


class TrimEditView(CatalogueEditView):
    queryset = Trim.objects.select_related("car_model__brand")
    form_class = TrimForm
    list_url_name = "web:trim_list"

    def create(self, request, form, data):
        return trim_create(actor=request.user, colours=form.cleaned_data.get("colours"), **data)

    def update(self, request, obj, form, data):
        from django.db import transaction

        with transaction.atomic():
            trim = model_update(obj, actor=request.user, data=data)
            trim.colours.set(form.cleaned_data.get("colours") or [])
        return trim

    def success_url(self, obj):
        return url_or_none("web:trim_detail", obj.pk)


class BrandListView(ObjectListView):
    queryset = Brand.objects.all()
    filterset = BrandFilterSet
    columns = [
        Column("name", link=True, order="name"),
        Column("name_en"),
        Column("country"),
        Column("model_count", _("models"), kind="number"),
    ]
    title = _("Brands")
    detail_url_name = "web:brand_edit"
    link_requires_write = True
    add_url_name = "web:brand_create"
    export_name = "brands"

    def get_queryset(self, request):
        return selectors.brand_list(user=request.user)


class CarModelListView(ObjectListView):
    queryset = CarModel.objects.all()
    filterset = CarModelFilterSet
    columns = [
        Column("brand"),
        Column("name", link=True, order="name"),
        Column("name_en"),
        Column("body_type"),
        Column("trim_count", _("trims"), kind="number"),
        Column("is_active", kind="bool"),
    ]
    title = _("Models")
    detail_url_name = "web:carmodel_edit"
    link_requires_write = True
    add_url_name = "web:carmodel_create"
    export_name = "models"

    def get_queryset(self, request):
        return selectors.car_model_list(user=request.user)


class ColourListView(ObjectListView):
    queryset = Colour.objects.all()
    filterset = ColourFilterSet
    columns = [Column("name", link=True), Column("name_en"), Column("hex_code")]
    title = _("Colours")
    detail_url_name = "web:colour_edit"
    link_requires_write = True
    add_url_name = "web:colour_create"
    export_name = "colours"


class TrimListView(ObjectListView):
    queryset = Trim.objects.select_related("car_model__brand")
    filterset = TrimFilterSet
    filter_fields = ["brand", "fuel_type", "model_year", "is_active"]
    columns = [
        Column("car_model.brand", _("brand")),
        Column("car_model", _("model")),
        Column("name", link=True, order="name"),
        Column("code"),
        Column("model_year", order="model_year"),
        Column("fuel_type"),
        Column("msrp", kind="money", order="msrp"),
        Column("standard_cost", kind="money", cost=True),
        Column("is_active", kind="bool"),
    ]
    title = _("Trims")
    detail_url_name = "web:trim_detail"
    add_url_name = "web:trim_create"
    export_name = "trims"
    search_placeholder = _("Brand, model, trim or code")


class TrimDetailView(ObjectDetailView):
    queryset = Trim.objects.select_related("car_model__brand").prefetch_related("colours")
    template_name = "web/inventory/trim_detail.html"
    edit_url_name = "web:trim_edit"
    list_url_name = "web:trim_list"
    fields = [
        Column("car_model.brand", _("brand")),
        Column("car_model", _("model")),
        Column("code"),
        Column("model_year"),
        Column("fuel_type"),
        Column("msrp", kind="money"),
        Column("standard_cost", kind="money", cost=True),
        Column("is_active", kind="bool"),
    ]

    def get_extra_context(self, request, obj):
        stock = selectors.vehicle_list(user=request.user).filter(trim=obj)
        return {
            "history": history_for(obj, user=request.user),
            "colours": list(obj.colours.all()),
            "stock_url": url_or_none("web:vehicle_list"),
            "stock": stock,
        }


@login_required
def catalogue(request):
    """The catalogue at a glance: how many brands, models, trims and colours, with links to each list."""
    if not can_read_model(request.user, Trim):
        raise PermissionDenied
    sections = [
        (_("Brands"), "web:brand_list", "web:brand_create", Brand, selectors.brand_list(user=request.user)),
        (
            _("Models"),
            "web:carmodel_list",
            "web:carmodel_create",
            CarModel,
            selectors.car_model_list(user=request.user),
        ),
        (_("Trims"), "web:trim_list", "web:trim_create", Trim, selectors.trim_list(user=request.user)),
        (
            _("Colours"),
            "web:colour_list",
            "web:colour_create",
            Colour,
            selectors.colour_list(user=request.user),
        ),
    ]
    cards = [
        {
            "label": label,
            "url": url_or_none(list_name),
            "add_url": url_or_none(add_name) if can_write_model(request.user, model) else None,
            "count": queryset.order_by().count(),
        }
        for label, list_name, add_name, model, queryset in sections
    ]
    return render(request, "web/inventory/catalogue.html", {"cards": cards})


urlpatterns = [
    path("", VehicleListView.as_view(), name="vehicle_list"),
    path("add/", VehicleEditView.as_view(), name="vehicle_create"),
    path("<int:pk>/", VehicleDetailView.as_view(), name="vehicle_detail"),
    path("<int:pk>/edit/", VehicleEditView.as_view(), name="vehicle_edit"),
    path("catalogue/", catalogue, name="catalogue"),
    path("catalogue/brands/", BrandListView.as_view(), name="brand_list"),
    path("catalogue/brands/add/", BrandEditView.as_view(), name="brand_create"),
    path("catalogue/brands/<int:pk>/edit/", BrandEditView.as_view(), name="brand_edit"),
    path("catalogue/models/", CarModelListView.as_view(), name="carmodel_list"),
    path("catalogue/models/add/", CarModelEditView.as_view(), name="carmodel_create"),
    path("catalogue/models/<int:pk>/edit/", CarModelEditView.as_view(), name="carmodel_edit"),
    path("catalogue/colours/", ColourListView.as_view(), name="colour_list"),
    path("catalogue/colours/add/", ColourEditView.as_view(), name="colour_create"),
    path("catalogue/colours/<int:pk>/edit/", ColourEditView.as_view(), name="colour_edit"),
    path("catalogue/trims/", TrimListView.as_view(), name="trim_list"),
    path("catalogue/trims/add/", TrimEditView.as_view(), name="trim_create"),
    path("catalogue/trims/<int:pk>/", TrimDetailView.as_view(), name="trim_detail"),
    path("catalogue/trims/<int:pk>/edit/", TrimEditView.as_view(), name="trim_edit"),
]
