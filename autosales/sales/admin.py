from django.contrib import admin

from autosales.core.admin import AuditedAdmin

from .models import (
    Activity,
    ApprovalRule,
    Delivery,
    FleetAgreement,
    FleetAgreementLine,
    Lead,
    LeadStageSetting,
    MarginFloor,
    Order,
    OrderLine,
    Payment,
    Quote,
    QuoteApproval,
    QuoteLine,
    SalesTarget,
    TaxRule,
    TradeInAppraisal,
    VehicleAllocation,
)

RAW = ("customer", "created_by")


@admin.register(LeadStageSetting)
class LeadStageSettingAdmin(admin.ModelAdmin):
    list_display = ("stage", "probability")


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "customer",
        "store",
        "owner",
        "source",
        "stage",
        "probability",
        "expected_value",
        "next_follow_up",
    )
    list_filter = ("stage", "source", "store", "lost_request")
    search_fields = ("customer__name", "customer__mobile")
    raw_id_fields = (*RAW, "owner", "interested_trim")
    list_select_related = ("customer", "store", "owner")


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "kind", "customer", "user", "due_date", "completed_at")
    list_filter = ("kind", "store")
    search_fields = ("customer__name",)
    raw_id_fields = (*RAW, "lead", "vehicle", "user")
    list_select_related = ("customer", "user")


@admin.register(TradeInAppraisal)
class TradeInAppraisalAdmin(admin.ModelAdmin):
    list_display = ("description", "customer", "mileage_km", "appraised_value", "status")
    list_filter = ("status",)
    raw_id_fields = (*RAW, "appraiser")


class FleetAgreementLineInline(admin.TabularInline):
    model = FleetAgreementLine
    extra = 0
    raw_id_fields = ("trim",)


@admin.register(FleetAgreement)
class FleetAgreementAdmin(AuditedAdmin):
    list_display = ("number", "customer", "status", "starts_on", "ends_on", "volume_target")
    list_filter = ("status",)
    search_fields = ("number", "customer__name")
    raw_id_fields = RAW
    inlines = [FleetAgreementLineInline]


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(AuditedAdmin):
    list_display = ("role", "max_discount_rate", "max_discount_amount", "may_go_below_floor")


@admin.register(MarginFloor)
class MarginFloorAdmin(AuditedAdmin):
    list_display = ("customer_tier", "account_type", "car_model", "min_margin")


@admin.register(TaxRule)
class TaxRuleAdmin(AuditedAdmin):
    list_display = (
        "name",
        "valid_from",
        "valid_to",
        "purchase_tax_rate",
        "purchase_tax_reduction",
        "reduction_cap",
    )


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    extra = 0
    raw_id_fields = ("trim", "vehicle", "trade_in")


class QuoteApprovalInline(admin.TabularInline):
    model = QuoteApproval
    extra = 0
    raw_id_fields = ("decided_by", "created_by")


@admin.register(Quote)
class QuoteAdmin(AuditedAdmin):
    list_display = ("number", "customer", "store", "salesperson", "status", "total", "valid_until")
    list_filter = ("status", "store")
    search_fields = ("number", "customer__name")
    raw_id_fields = (*RAW, "lead", "salesperson", "approved_by", "fleet_agreement")
    list_select_related = ("customer", "store", "salesperson")
    inlines = [QuoteLineInline, QuoteApprovalInline]
    show_full_result_count = False


@admin.register(QuoteApproval)
class QuoteApprovalAdmin(AuditedAdmin):
    list_display = (
        "quote",
        "required_role",
        "decision",
        "discount_total",
        "margin",
        "below_floor",
        "decided_by",
        "decided_at",
    )
    list_filter = ("decision", "required_role")
    raw_id_fields = ("quote", "decided_by", "created_by")


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ("trim", "vehicle", "trade_in")


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    raw_id_fields = ("received_by", "created_by")


@admin.register(Order)
class OrderAdmin(AuditedAdmin):
    list_display = (
        "number",
        "customer",
        "store",
        "salesperson",
        "status",
        "order_date",
        "total",
        "paid_total",
    )
    list_filter = ("status", "store", "is_fleet", "is_historical")
    search_fields = ("number", "customer__name")
    raw_id_fields = (*RAW, "quote", "salesperson")
    list_select_related = ("customer", "store", "salesperson")
    inlines = [OrderLineInline, PaymentInline]
    show_full_result_count = False


@admin.register(OrderLine)
class OrderLineAdmin(AuditedAdmin):
    list_display = ("order", "kind", "description", "quantity", "unit_price", "unit_discount", "unit_cost")
    list_filter = ("kind",)
    raw_id_fields = ("order", "trim", "vehicle", "trade_in")
    show_full_result_count = False


@admin.register(QuoteLine)
class QuoteLineAdmin(AuditedAdmin):
    list_display = ("quote", "kind", "description", "quantity", "unit_price", "unit_discount", "unit_cost")
    list_filter = ("kind",)
    raw_id_fields = ("quote", "trim", "vehicle", "trade_in")
    show_full_result_count = False


@admin.register(VehicleAllocation)
class VehicleAllocationAdmin(admin.ModelAdmin):
    list_display = ("vehicle", "order", "status", "delivery", "released_at")
    list_filter = ("status",)
    raw_id_fields = ("order", "line", "vehicle", "delivery", "created_by")


@admin.register(Payment)
class PaymentAdmin(AuditedAdmin):
    list_display = ("order", "kind", "method", "amount", "paid_at", "due_date")
    list_filter = ("kind", "method")
    search_fields = ("order__number", "reference")
    raw_id_fields = ("order", "received_by", "created_by")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("order", "scheduled_for", "handed_over_at", "handed_over_by")
    raw_id_fields = ("order", "handed_over_by", "created_by")


@admin.register(SalesTarget)
class SalesTargetAdmin(admin.ModelAdmin):
    list_display = ("month", "store", "salesperson", "units", "revenue", "gross_profit")
    list_filter = ("store",)
    raw_id_fields = ("salesperson", "created_by")
