from django.contrib import admin

from autosales.core.admin import AuditedAdmin

from .models import Brand, CarModel, Colour, StockTransfer, Trim, Vehicle


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "country")
    search_fields = ("name", "name_en")


@admin.register(CarModel)
class CarModelAdmin(admin.ModelAdmin):
    list_display = ("name", "brand", "body_type", "is_active")
    list_filter = ("brand", "body_type", "is_active")
    search_fields = ("name", "name_en", "brand__name")


@admin.register(Colour)
class ColourAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "hex_code")
    search_fields = ("name", "name_en")


@admin.register(Trim)
class TrimAdmin(AuditedAdmin):
    list_display = ("code", "__str__", "model_year", "fuel_type", "msrp", "standard_cost", "is_active")
    list_filter = ("fuel_type", "is_active", "car_model__brand")
    search_fields = ("code", "name", "car_model__name")
    list_select_related = ("car_model__brand",)
    filter_horizontal = ("colours",)


@admin.register(Vehicle)
class VehicleAdmin(AuditedAdmin):
    list_display = (
        "vin",
        "trim",
        "colour",
        "store",
        "status",
        "cost",
        "list_price",
        "arrival_date",
        "stock_age",
    )
    list_filter = ("status", "store", "is_demo")
    search_fields = ("vin", "plate_number")
    list_select_related = ("trim__car_model__brand", "colour", "store")
    raw_id_fields = ("trim", "created_by")
    show_full_result_count = False


@admin.register(StockTransfer)
class StockTransferAdmin(admin.ModelAdmin):
    list_display = ("vehicle", "from_store", "to_store", "status", "shipped_on", "received_on")
    list_filter = ("status",)
    raw_id_fields = ("vehicle", "created_by")
