from django.contrib import admin

from autosales.core.admin import AuditedAdmin

from .models import Complaint, FollowUpCall, MaintenanceRule, Reminder, ServiceJob, ServiceOrder, ServicePart


class ServiceJobInline(admin.TabularInline):
    model = ServiceJob
    extra = 0


class ServicePartInline(admin.TabularInline):
    model = ServicePart
    extra = 0


@admin.register(ServiceOrder)
class ServiceOrderAdmin(AuditedAdmin):
    list_display = ("number", "customer", "vehicle", "kind", "status", "mileage_km", "opened_at", "closed_at")
    list_filter = ("kind", "status", "store")
    search_fields = ("number", "customer__name", "vehicle__vin")
    raw_id_fields = ("customer", "vehicle", "advisor", "created_by")
    list_select_related = ("customer", "vehicle")
    inlines = [ServiceJobInline, ServicePartInline]
    show_full_result_count = False


@admin.register(ServiceJob)
class ServiceJobAdmin(admin.ModelAdmin):
    list_display = ("service_order", "description", "labour_hours", "labour_rate", "is_warranty")
    raw_id_fields = ("service_order",)


@admin.register(ServicePart)
class ServicePartAdmin(admin.ModelAdmin):
    list_display = ("service_order", "part_number", "name", "quantity", "unit_cost", "unit_price", "is_paid")
    raw_id_fields = ("service_order",)


@admin.register(MaintenanceRule)
class MaintenanceRuleAdmin(admin.ModelAdmin):
    list_display = ("car_model", "interval_km", "interval_months")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("vehicle", "customer", "advisor", "due_date", "due_mileage_km", "status")
    list_filter = ("status", "store")
    raw_id_fields = ("customer", "vehicle", "advisor", "created_by", "service_order")


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("id", "customer", "category", "severity", "owner", "status", "due_date")
    list_filter = ("category", "severity", "status", "store")
    search_fields = ("customer__name", "description")
    raw_id_fields = ("customer", "order", "service_order", "owner", "created_by", "follow_up_call")


@admin.register(FollowUpCall)
class FollowUpCallAdmin(admin.ModelAdmin):
    list_display = ("customer", "kind", "due_date", "status", "score", "caller")
    list_filter = ("kind", "status", "score")
    raw_id_fields = ("customer", "order", "service_order", "caller", "created_by")
