from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from autosales.api.base import ServiceModelSerializer
from autosales.inventory.models import Brand, CarModel, Colour, Trim, Vehicle
from autosales.inventory.services import (
    brand_create,
    car_model_create,
    colour_create,
    trim_create,
    vehicle_create,
    vehicle_update,
)


class BrandSerializer(ServiceModelSerializer):
    create_service = staticmethod(brand_create)
    model_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Brand
        fields = ["id", "name", "name_en", "country", "model_count"]


class CarModelSerializer(ServiceModelSerializer):
    create_service = staticmethod(car_model_create)
    brand_name = serializers.CharField(source="brand.name", read_only=True)
    trim_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = CarModel
        fields = ["id", "brand", "brand_name", "name", "name_en", "body_type", "is_active", "trim_count"]


class ColourSerializer(ServiceModelSerializer):
    create_service = staticmethod(colour_create)

    class Meta:
        model = Colour
        fields = ["id", "name", "name_en", "hex_code"]


class TrimSerializer(ServiceModelSerializer):
    create_service = staticmethod(trim_create)
    cost_fields = ("standard_cost",)
    car_model_name = serializers.CharField(source="car_model", read_only=True)

    class Meta:
        model = Trim
        fields = [
            "id",
            "car_model",
            "car_model_name",
            "name",
            "code",
            "model_year",
            "fuel_type",
            "msrp",
            "standard_cost",
            "colours",
            "is_active",
        ]


class VehicleSerializer(ServiceModelSerializer):
    """A vehicle by VIN. ``cost`` is present only for roles that may see cost."""

    create_service = staticmethod(vehicle_create)
    update_service = staticmethod(vehicle_update)
    update_instance_arg = "vehicle"
    cost_fields = ("cost",)

    trim_name = serializers.CharField(source="trim", read_only=True, allow_null=True)
    colour_name = serializers.CharField(source="colour.name", read_only=True, allow_null=True)
    store_code = serializers.CharField(source="store.code", read_only=True)
    stock_age_days = serializers.SerializerMethodField(
        help_text="Days since arrival while the vehicle is in stock or reserved; null otherwise."
    )

    class Meta:
        model = Vehicle
        fields = [
            "id",
            "vin",
            "vin_tail",
            "trim",
            "trim_name",
            "colour",
            "colour_name",
            "store",
            "store_code",
            "status",
            "cost",
            "list_price",
            "arrival_date",
            "stock_age_days",
            "is_demo",
            "description",
            "plate_number",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["vin_tail", "created_at", "updated_at"]
        extra_kwargs = {"store": {"required": False}}

    @extend_schema_field(OpenApiTypes.INT)
    def get_stock_age_days(self, vehicle) -> int | None:
        age = getattr(vehicle, "stock_age_sql", None)
        if age is not None:
            return max(age.days, 0)
        if hasattr(vehicle, "stock_age_sql"):
            return None
        return vehicle.stock_age_days()

    def create(self, validated_data):
        store = getattr(self.actor, "store", None)
        if "store" not in validated_data and store is not None:
            validated_data["store"] = store
        return super().create(validated_data)
