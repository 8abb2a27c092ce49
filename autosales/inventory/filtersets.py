import django_filters
from django.utils.translation import gettext_lazy as _

from autosales.core.models import Store
from autosales.core.search import ContainsFilter, text_contains

from .choices import BodyType, FuelType, VehicleStatus
from .models import Brand, CarModel, Colour, Trim, Vehicle


class BrandFilterSet(django_filters.FilterSet):
    q = ContainsFilter(field_name="name", label=_("Search"))
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("id", "id")), label=_("sort"))

    class Meta:
        model = Brand
        fields = ["q", "country"]


class CarModelFilterSet(django_filters.FilterSet):
    q = ContainsFilter(field_name="name", label=_("Search"))
    body_type = django_filters.ChoiceFilter(choices=BodyType.choices, label=_("body type"))
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("id", "id")), label=_("sort"))

    class Meta:
        model = CarModel
        fields = ["q", "brand", "body_type", "is_active"]


class ColourFilterSet(django_filters.FilterSet):
    q = ContainsFilter(field_name="name", label=_("Search"))

    class Meta:
        model = Colour
        fields = ["q"]


class TrimFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    brand = django_filters.ModelChoiceFilter(
        field_name="car_model__brand", queryset=Brand.objects.all(), label=_("brand")
    )
    fuel_type = django_filters.ChoiceFilter(choices=FuelType.choices, label=_("fuel type"))
    msrp_min = django_filters.NumberFilter(field_name="msrp", lookup_expr="gte", label=_("price from"))
    msrp_max = django_filters.NumberFilter(field_name="msrp", lookup_expr="lte", label=_("price up to"))
    ordering = django_filters.OrderingFilter(
        fields=(("msrp", "msrp"), ("name", "name"), ("model_year", "model_year"), ("id", "id")),
        label=_("sort"),
    )

    class Meta:
        model = Trim
        fields = ["q", "brand", "car_model", "fuel_type", "model_year", "is_active"]

    def search(self, queryset, name, value):

        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            text_contains("name", value)
            | text_contains("code", value)
            | text_contains("car_model__name", value)
            | text_contains("car_model__brand__name", value)
        )


class VehicleFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("VIN"))
    status = django_filters.MultipleChoiceFilter(choices=VehicleStatus.choices, label=_("status"))
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all(), label=_("store"))
    brand = django_filters.ModelChoiceFilter(
        field_name="trim__car_model__brand", queryset=Brand.objects.all(), label=_("brand")
    )
    car_model = django_filters.ModelChoiceFilter(
        field_name="trim__car_model", queryset=CarModel.objects.all(), label=_("model")
    )
    fuel_type = django_filters.ChoiceFilter(
        field_name="trim__fuel_type", choices=FuelType.choices, label=_("fuel type")
    )
    arrived_after = django_filters.DateFilter(
        field_name="arrival_date", lookup_expr="gte", label=_("arrived from")
    )
    arrived_before = django_filters.DateFilter(
        field_name="arrival_date", lookup_expr="lte", label=_("arrived until")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("id", "id"), ("arrival_date", "arrival_date"), ("list_price", "list_price"), ("vin", "vin")),
        field_labels={
            "id": _("number"),
            "arrival_date": _("arrival date"),
            "list_price": _("list price"),
            "vin": _("VIN"),
        },
        label=_("sort"),
    )

    class Meta:
        model = Vehicle
        fields = ["q", "status", "store", "brand", "car_model", "trim", "colour", "fuel_type", "is_demo"]

    def search(self, queryset, name, value):
        value = value.strip().upper()
        if not value:
            return queryset
        if len(value) == 17:
            return queryset.filter(vin=value)
        if len(value) == 6:
            return queryset.filter(vin_tail=value)
        return queryset.filter(vin__endswith=value)
