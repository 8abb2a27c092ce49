from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from autosales.aftersales.choices import FollowUpStatus, ServiceKind
from autosales.aftersales.models import (
    AfterSalesSettings,
    Complaint,
    FollowUpCall,
    MaintenanceRule,
    Reminder,
    ServiceJob,
    ServiceOrder,
    ServicePart,
)
from autosales.aftersales.services import aftersales_settings_update, complaint_open, service_order_open
from autosales.api.base import ScopedPrimaryKeyRelatedField, ServiceModelSerializer
from autosales.core.access import can_see_cost
from autosales.core.models import User


class _CostHidingMixin:
    def _hide_cost(self, fields, names):
        request = self.context.get("request")
        view = self.context.get("view")
        if getattr(view, "swagger_fake_view", False):
            return fields
        if request is None or not can_see_cost(request.user):
            for name in names:
                fields.pop(name, None)
        return fields


class ServiceJobSerializer(_CostHidingMixin, serializers.ModelSerializer):
    class Meta:
        model = ServiceJob
        fields = ["id", "description", "labour_hours", "labour_rate", "cost_rate", "is_warranty"]
        read_only_fields = fields

    def get_fields(self):
        return self._hide_cost(super().get_fields(), ["cost_rate"])


class ServicePartSerializer(_CostHidingMixin, serializers.ModelSerializer):
    class Meta:
        model = ServicePart
        fields = [
            "id",
            "part_number",
            "name",
            "quantity",
            "unit_cost",
            "unit_price",
            "is_warranty",
            "is_paid",
        ]
        read_only_fields = fields

    def get_fields(self):
        return self._hide_cost(super().get_fields(), ["unit_cost"])


class ServiceOrderSerializer(ServiceModelSerializer):
    """A service order. Open it for a known ``vehicle`` or by ``vin``; an unknown VIN registers the
    customer's outside vehicle. Totals are kept by the services; costs and gross profit only for roles
    that may see cost."""

    cost_fields = ("labour_cost", "parts_cost", "warranty_claim", "gross_profit")

    vin = serializers.CharField(write_only=True, required=False, allow_blank=True)
    vehicle_description = serializers.CharField(write_only=True, required=False, allow_blank=True)
    plate_number = serializers.CharField(write_only=True, required=False, allow_blank=True)
    vehicle_vin = serializers.CharField(source="vehicle.vin", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    advisor_name = serializers.CharField(source="advisor", read_only=True, allow_null=True)
    store_code = serializers.CharField(source="store.code", read_only=True)
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    gross_profit = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    balance_due = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    jobs = ServiceJobSerializer(many=True, read_only=True)
    parts = ServicePartSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceOrder
        fields = [
            "id",
            "number",
            "store",
            "store_code",
            "customer",
            "customer_name",
            "vehicle",
            "vehicle_vin",
            "vin",
            "vehicle_description",
            "plate_number",
            "advisor",
            "advisor_name",
            "kind",
            "status",
            "mileage_km",
            "opened_at",
            "closed_at",
            "complaint_text",
            "discount",
            "labour_revenue",
            "labour_cost",
            "parts_revenue",
            "parts_cost",
            "warranty_claim",
            "revenue",
            "gross_profit",
            "paid_total",
            "balance_due",
            "jobs",
            "parts",
        ]
        read_only_fields = [
            "number",
            "status",
            "opened_at",
            "closed_at",
            "discount",
            "labour_revenue",
            "labour_cost",
            "parts_revenue",
            "parts_cost",
            "warranty_claim",
            "paid_total",
        ]
        extra_kwargs = {
            "store": {"required": False},
            "vehicle": {"required": False, "allow_null": True},
            "kind": {"required": False},
        }

    def create(self, validated_data):
        data = dict(validated_data)
        store = data.pop("store", None) or getattr(self.actor, "store", None)
        if store is None:
            raise serializers.ValidationError(
                {"store": [serializers.Field.default_error_messages["required"]]}
            )
        return service_order_open(
            store=store,
            customer=data["customer"],
            vehicle=data.get("vehicle"),
            vin=data.get("vin", ""),
            mileage_km=data["mileage_km"],
            kind=data.get("kind", ServiceKind.MAINTENANCE),
            advisor=data.get("advisor"),
            complaint_text=data.get("complaint_text", ""),
            vehicle_description=data.get("vehicle_description", ""),
            plate_number=data.get("plate_number", ""),
            actor=self.actor,
        )


class JobInput(serializers.Serializer):
    description = serializers.CharField(max_length=200)
    labour_hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    labour_rate = serializers.DecimalField(max_digits=14, decimal_places=2)
    cost_rate = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, default=0)
    is_warranty = serializers.BooleanField(required=False, allow_null=True, default=None)


class PartInput(serializers.Serializer):
    part_number = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=120)
    quantity = serializers.DecimalField(max_digits=8, decimal_places=2)
    unit_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    is_warranty = serializers.BooleanField(required=False, allow_null=True, default=None)


class LineRefInput(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id of the job or part on this order.")


class DiscountInput(serializers.Serializer):
    discount = serializers.DecimalField(max_digits=14, decimal_places=2)


class AmountInput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class ReminderSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_mobile = serializers.CharField(source="customer.mobile", read_only=True)
    vehicle_vin = serializers.CharField(source="vehicle.vin", read_only=True)
    advisor_name = serializers.CharField(source="advisor", read_only=True, allow_null=True)
    effective_date = serializers.DateField(read_only=True)

    class Meta:
        model = Reminder
        fields = [
            "id",
            "customer",
            "customer_name",
            "customer_mobile",
            "vehicle",
            "vehicle_vin",
            "store",
            "advisor",
            "advisor_name",
            "due_date",
            "due_mileage_km",
            "last_service_date",
            "last_mileage_km",
            "status",
            "postponed_to",
            "effective_date",
            "reason",
            "service_order",
            "completed_at",
        ]
        read_only_fields = fields


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PostponeInput(serializers.Serializer):
    postponed_to = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class FollowUpCallSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_mobile = serializers.CharField(source="customer.mobile", read_only=True)
    caller_name = serializers.CharField(source="caller", read_only=True, allow_null=True)
    complaint = serializers.SerializerMethodField()

    class Meta:
        model = FollowUpCall
        fields = [
            "id",
            "customer",
            "customer_name",
            "customer_mobile",
            "store",
            "order",
            "service_order",
            "kind",
            "due_date",
            "status",
            "caller",
            "caller_name",
            "called_at",
            "score",
            "outcome",
            "complaint",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_complaint(self, call) -> int | None:
        complaint = getattr(call, "complaint", None)
        return complaint.pk if complaint else None


class FollowUpRecordInput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[FollowUpStatus.DONE, FollowUpStatus.UNREACHABLE], default=FollowUpStatus.DONE
    )
    # Range is checked by the service so the message is the same everywhere.
    score = serializers.IntegerField(required=False, allow_null=True, default=None)
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


class ComplaintSerializer(ServiceModelSerializer):
    """A complaint; its due date follows from the severity. Status moves through the actions."""

    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner_name = serializers.CharField(source="owner", read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "customer",
            "customer_name",
            "store",
            "order",
            "service_order",
            "follow_up_call",
            "category",
            "severity",
            "owner",
            "owner_name",
            "status",
            "description",
            "due_date",
            "is_overdue",
            "resolution",
            "resolved_at",
            "customer_accepted",
            "escalated_at",
            "created_at",
        ]
        read_only_fields = [
            "store",
            "follow_up_call",
            "status",
            "due_date",
            "resolution",
            "resolved_at",
            "customer_accepted",
            "escalated_at",
            "created_at",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, complaint) -> bool:
        return complaint.is_open and complaint.due_date < timezone.localdate()

    def create(self, validated_data):
        return complaint_open(actor=self.actor, **validated_data)


class OwnerInput(serializers.Serializer):
    owner = ScopedPrimaryKeyRelatedField(queryset=User.objects.all())


class ResolutionInput(serializers.Serializer):
    resolution = serializers.CharField(allow_blank=True)


class AcceptanceInput(serializers.Serializer):
    accepted = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MaintenanceRuleSerializer(ServiceModelSerializer):
    car_model_name = serializers.CharField(source="car_model", read_only=True, allow_null=True)

    class Meta:
        model = MaintenanceRule
        fields = ["id", "car_model", "car_model_name", "interval_km", "interval_months"]


class KpiSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    closed_orders = serializers.IntegerField()
    active_orders = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=16, decimal_places=2)
    gross_profit = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, help_text="Null for roles that may not see cost."
    )
    vehicles_sold = serializers.IntegerField()
    vehicles_retained = serializers.IntegerField()
    retention = serializers.DecimalField(max_digits=6, decimal_places=4)
    average_satisfaction = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    surveys = serializers.IntegerField()
    open_complaints = serializers.IntegerField()
    overdue_complaints = serializers.IntegerField()


class HistoryOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    order_date = serializers.DateField()
    status = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    vehicles = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_vehicles(self, order):
        return [line.vehicle.vin for line in order.lines.all() if line.vehicle_id]


class HistorySerializer(serializers.Serializer):
    orders = HistoryOrderSerializer(many=True)
    service_orders = ServiceOrderSerializer(many=True)
    complaints = ComplaintSerializer(many=True)
    follow_up_calls = FollowUpCallSerializer(many=True)
    reminders = ReminderSerializer(many=True)


class AfterSalesSettingsSerializer(ServiceModelSerializer):
    """Days to resolve a complaint by severity, the follow-up score at or below which a complaint
    opens, and the days until each follow-up call; general managers and administrators change them."""

    def update(self, instance, validated_data):
        return aftersales_settings_update(actor=self.actor, **validated_data)

    class Meta:
        model = AfterSalesSettings
        fields = [*AfterSalesSettings.FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]
