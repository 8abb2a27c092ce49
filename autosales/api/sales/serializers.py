from rest_framework import serializers

from autosales.api.base import ScopedPrimaryKeyRelatedField, ServiceModelSerializer
from autosales.core import access
from autosales.core.models import Store, User
from autosales.inventory.models import Trim, Vehicle
from autosales.parties.choices import CustomerKind
from autosales.parties.models import Customer
from autosales.sales import services
from autosales.sales.choices import (
    PDI_ITEMS,
    ActivityKind,
    LeadSource,
    LeadStage,
    LineKind,
    LostReason,
    PaymentKind,
    PaymentMethod,
)
from autosales.sales.models import (
    Activity,
    Delivery,
    FleetAgreement,
    FleetAgreementLine,
    Lead,
    Order,
    OrderLine,
    Payment,
    Quote,
    QuoteApproval,
    QuoteLine,
    SalesTarget,
    TradeInAppraisal,
    VehicleAllocation,
)

COST_FIELDS = ("cost_total", "income_total", "gross_profit", "margin")


def _scoped(model):
    class Field(ScopedPrimaryKeyRelatedField):
        def __init__(self, **kwargs):
            kwargs.setdefault("queryset", model.objects.all())
            super().__init__(**kwargs)

    return Field


# --- leads ---------------------------------------------------------------------------------


class LeadSerializer(ServiceModelSerializer):
    update_service = staticmethod(services.lead_update)
    update_instance_arg = "lead"

    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner_name = serializers.CharField(source="owner", read_only=True, allow_null=True)
    weighted_value = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "store",
            "customer",
            "customer_name",
            "owner",
            "owner_name",
            "source",
            "stage",
            "probability",
            "interested_trim",
            "quantity",
            "expected_value",
            "weighted_value",
            "expected_close",
            "next_follow_up",
            "lost_reason",
            "lost_note",
            "lost_request",
            "closed_at",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "store",
            "customer",
            "owner",
            "stage",
            "lost_reason",
            "lost_note",
            "lost_request",
            "closed_at",
            "created_at",
            "updated_at",
        ]


class LeadCreateSerializer(serializers.Serializer):
    """A lead for an existing customer (``customer``) or a new one (``customer_name`` and mobile or credit code)."""

    store = _scoped(Store)(required=False)
    customer = _scoped(Customer)(required=False)
    customer_kind = serializers.ChoiceField(choices=CustomerKind.choices, default=CustomerKind.PERSON)
    customer_name = serializers.CharField(required=False, allow_blank=True)
    mobile = serializers.CharField(required=False, allow_blank=True)
    credit_code = serializers.CharField(required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=LeadSource.choices, default=LeadSource.WALK_IN)
    owner = _scoped(User)(required=False)
    interested_trim = serializers.PrimaryKeyRelatedField(queryset=Trim.objects.all(), required=False)
    quantity = serializers.IntegerField(min_value=1, default=1)
    expected_value = serializers.DecimalField(max_digits=14, decimal_places=2, default=0, min_value=0)
    expected_close = serializers.DateField(required=False)
    next_follow_up = serializers.DateField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    on_duplicate = serializers.ChoiceField(choices=["refuse", "merge"], default="refuse")

    def validate(self, attrs):
        if not attrs.get("customer") and not attrs.get("customer_name"):
            raise serializers.ValidationError(
                {"customer": "Choose a customer or give the new customer's name."}
            )
        return attrs

    def to_service_kwargs(self, actor):
        data = dict(self.validated_data)
        store = data.pop("store", None) or getattr(actor, "store", None)
        if store is None:
            raise serializers.ValidationError({"store": "Choose the store."})
        customer = data.pop("customer", None)
        customer_data = None
        kind = data.pop("customer_kind")
        name, mobile, code = (
            data.pop("customer_name", ""),
            data.pop("mobile", ""),
            data.pop("credit_code", ""),
        )
        if customer is None:
            customer_data = {"kind": kind, "name": name, "mobile": mobile, "credit_code": code}
        return {"store": store, "customer": customer, "customer_data": customer_data, **data}


class LeadStageInput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=LeadStage.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class LeadAssignInput(serializers.Serializer):
    owner = _scoped(User)()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class LostRequestInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=LostReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class LeadNoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ActivitySerializer(serializers.ModelSerializer):
    serializer_related_field = ScopedPrimaryKeyRelatedField
    user_name = serializers.CharField(source="user", read_only=True, allow_null=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "customer",
            "lead",
            "store",
            "user",
            "user_name",
            "kind",
            "occurred_at",
            "notes",
            "vehicle",
            "licence_number",
            "feedback",
            "due_date",
            "outcome",
            "completed_at",
            "next_follow_up",
        ]
        read_only_fields = ["store", "user", "due_date", "completed_at"]
        extra_kwargs = {"customer": {"required": False}, "occurred_at": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        fields["vehicle"] = serializers.PrimaryKeyRelatedField(
            queryset=Vehicle.objects.filter(is_demo=True), required=False, allow_null=True
        )
        return fields

    def create(self, validated_data):
        request = self.context["request"]
        return services.activity_log(actor=request.user, **validated_data)


class LeadActivityInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices, default=ActivityKind.CALL)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    vehicle = serializers.PrimaryKeyRelatedField(
        queryset=Vehicle.objects.filter(is_demo=True), required=False
    )
    licence_number = serializers.CharField(required=False, allow_blank=True, default="")
    feedback = serializers.CharField(required=False, allow_blank=True, default="")
    next_follow_up = serializers.DateField(required=False)


# --- quotes --------------------------------------------------------------------------------


class QuoteLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    gross_profit = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    vin = serializers.CharField(source="vehicle.vin", read_only=True, allow_null=True)

    class Meta:
        model = QuoteLine
        fields = [
            "id",
            "kind",
            "description",
            "trim",
            "vehicle",
            "vin",
            "trade_in",
            "quantity",
            "unit_price",
            "unit_discount",
            "unit_cost",
            "income",
            "is_free",
            "amount",
            "gross_profit",
            "finance_amount",
            "down_payment",
            "term_months",
            "annual_rate",
            "monthly_payment",
        ]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and not access.can_see_cost(request.user):
            for name in ("unit_cost", "income", "gross_profit"):
                fields.pop(name, None)
        return fields


class QuoteApprovalSerializer(serializers.ModelSerializer):
    decided_by_name = serializers.CharField(source="decided_by", read_only=True, allow_null=True)

    class Meta:
        model = QuoteApproval
        fields = [
            "id",
            "quote",
            "required_role",
            "decision",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "reason",
            "discount_total",
            "discount_rate",
            "margin",
            "margin_floor",
            "below_floor",
            "concessions_this_year",
            "request_note",
            "created_at",
        ]
        read_only_fields = fields


class QuoteSerializer(ServiceModelSerializer):
    cost_fields = COST_FIELDS
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    lines = QuoteLineSerializer(many=True, read_only=True)
    gross_profit = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    margin = serializers.DecimalField(max_digits=7, decimal_places=4, read_only=True)
    payable = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Quote
        fields = [
            "id",
            "number",
            "store",
            "customer",
            "customer_name",
            "lead",
            "salesperson",
            "status",
            "valid_until",
            "fleet_agreement",
            "list_total",
            "discount_total",
            "total",
            "trade_in_credit",
            "payable",
            "purchase_tax",
            "registration_fees",
            "cost_total",
            "income_total",
            "gross_profit",
            "margin",
            "required_role",
            "approved_by",
            "approved_at",
            "approval_reason",
            "notes",
            "lines",
            "created_at",
        ]
        read_only_fields = [
            f for f in fields if f not in ("customer", "lead", "valid_until", "notes", "salesperson", "store")
        ]
        extra_kwargs = {"valid_until": {"required": False}, "store": {"required": False}}

    def create(self, validated_data):
        return services.quote_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return services.quote_update(
            quote=instance,
            actor=self.actor,
            valid_until=validated_data.get("valid_until"),
            notes=validated_data.get("notes"),
        )


class QuoteLineInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LineKind.choices, default=LineKind.VEHICLE)
    trim = serializers.PrimaryKeyRelatedField(queryset=Trim.objects.all(), required=False)
    vehicle = _scoped(Vehicle)(required=False)
    vin = serializers.CharField(required=False, allow_blank=True)
    trade_in = _scoped(TradeInAppraisal)(required=False)
    quantity = serializers.IntegerField(min_value=1, default=1)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    unit_discount = serializers.DecimalField(max_digits=14, decimal_places=2, default=0, min_value=0)
    unit_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    income = serializers.DecimalField(max_digits=14, decimal_places=2, default=0, min_value=0)
    is_free = serializers.BooleanField(default=False)
    down_payment = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    finance_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    term_months = serializers.IntegerField(required=False, min_value=1, max_value=120)
    annual_rate = serializers.DecimalField(max_digits=6, decimal_places=4, required=False, min_value=0)

    def validate(self, attrs):
        vin = (attrs.pop("vin", "") or "").strip().upper()
        if vin:
            request = self.context["request"]
            vehicle = access.scope(request.user, Vehicle.objects.all()).filter(vin=vin).first()
            if vehicle is None:
                raise serializers.ValidationError({"vin": f"No vehicle {vin} in your stock."})
            attrs["vehicle"] = vehicle
        return attrs


class QuoteLineChangeInput(serializers.Serializer):
    line = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1, required=False)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    unit_discount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    unit_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    income = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    is_free = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class QuoteLineRef(serializers.Serializer):
    line = serializers.IntegerField()


class SalesReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SalesRequiredReasonInput(serializers.Serializer):
    reason = serializers.CharField()


# --- orders --------------------------------------------------------------------------------


class OrderLineSerializer(QuoteLineSerializer):
    class Meta(QuoteLineSerializer.Meta):
        model = OrderLine


class AllocationSerializer(serializers.ModelSerializer):
    vin = serializers.CharField(source="vehicle.vin", read_only=True)

    class Meta:
        model = VehicleAllocation
        fields = ["id", "order", "line", "vehicle", "vin", "status", "delivery", "released_at", "created_at"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = [
            "id",
            "order",
            "kind",
            "method",
            "amount",
            "paid_at",
            "reference",
            "received_by",
            "created_at",
        ]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    pdi_complete = serializers.BooleanField(read_only=True)
    vins = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id",
            "order",
            "scheduled_for",
            "handed_over_at",
            "handed_over_by",
            "pdi",
            "pdi_complete",
            "vins",
            "notes",
            "created_at",
        ]
        read_only_fields = fields

    def get_vins(self, obj) -> list[str]:
        return [a.vehicle.vin for a in obj.allocations.all()]


class OrderSerializer(ServiceModelSerializer):
    cost_fields = COST_FIELDS
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    lines = OrderLineSerializer(many=True, read_only=True)
    allocations = AllocationSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    gross_profit = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    margin = serializers.DecimalField(max_digits=7, decimal_places=4, read_only=True)
    payable = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    balance_due = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "store",
            "customer",
            "customer_name",
            "salesperson",
            "quote",
            "status",
            "order_date",
            "balance_due_date",
            "is_fleet",
            "list_total",
            "discount_total",
            "total",
            "trade_in_credit",
            "payable",
            "paid_total",
            "balance_due",
            "purchase_tax",
            "registration_fees",
            "cost_total",
            "income_total",
            "gross_profit",
            "margin",
            "cancel_reason",
            "refund_owed",
            "notes",
            "lines",
            "allocations",
            "payments",
            "created_at",
        ]
        read_only_fields = fields


class OrderFromQuoteInput(serializers.Serializer):
    quote = _scoped(Quote)()
    balance_due_date = serializers.DateField(required=False)


class OrderAllocateInput(serializers.Serializer):
    vehicle = _scoped(Vehicle)(required=False)
    vin = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        vin = (attrs.pop("vin", "") or "").strip().upper()
        if vin:
            vehicle = Vehicle.objects.filter(vin=vin).first()
            if vehicle is None:
                raise serializers.ValidationError({"vin": f"No vehicle {vin}."})
            attrs["vehicle"] = vehicle
        if "vehicle" not in attrs:
            raise serializers.ValidationError({"vehicle": "Choose the vehicle or give its VIN."})
        return attrs


class OrderPaymentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PaymentKind.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    method = serializers.ChoiceField(choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER)
    paid_at = serializers.DateTimeField(required=False)
    reference = serializers.CharField(required=False, allow_blank=True, default="")


class DeliveryScheduleInput(serializers.Serializer):
    allocations = serializers.ListField(child=serializers.IntegerField(), required=False)
    scheduled_for = serializers.DateField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DeliveryPdiInput(serializers.Serializer):
    items = serializers.DictField(child=serializers.BooleanField())

    def validate_items(self, value):
        known = {key for key, _label in PDI_ITEMS}
        unknown = set(value) - known
        if unknown:
            raise serializers.ValidationError(f"Unknown PDI item: {', '.join(sorted(unknown))}")
        return value


class DeliveryHandoverInput(serializers.Serializer):
    handed_over_at = serializers.DateTimeField(required=False)


class TradeInSerializer(ServiceModelSerializer):
    class Meta:
        model = TradeInAppraisal
        fields = [
            "id",
            "customer",
            "store",
            "appraiser",
            "vin",
            "description",
            "first_registration",
            "mileage_km",
            "condition",
            "appraised_value",
            "valid_until",
            "status",
            "created_at",
        ]
        read_only_fields = ["store", "appraiser", "status", "created_at"]

    def create(self, validated_data):
        return services.trade_in_appraise(actor=self.actor, **validated_data)


class SalesTargetSerializer(ServiceModelSerializer):
    class Meta:
        model = SalesTarget
        fields = ["id", "store", "salesperson", "month", "units", "revenue", "gross_profit"]

    def create(self, validated_data):
        return services.sales_target_set(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        data = {
            "store": instance.store,
            "salesperson": instance.salesperson,
            "month": instance.month,
            "units": instance.units,
            "revenue": instance.revenue,
            "gross_profit": instance.gross_profit,
            **validated_data,
        }
        return services.sales_target_set(actor=self.actor, **data)


class FleetAgreementLineSerializer(serializers.ModelSerializer):
    trim_name = serializers.CharField(source="trim", read_only=True)

    class Meta:
        model = FleetAgreementLine
        fields = ["id", "trim", "trim_name", "unit_price", "volume"]
        read_only_fields = fields


class FleetAgreementSerializer(ServiceModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    lines = FleetAgreementLineSerializer(many=True, read_only=True)

    class Meta:
        model = FleetAgreement
        fields = [
            "id",
            "number",
            "customer",
            "customer_name",
            "store",
            "status",
            "starts_on",
            "ends_on",
            "volume_target",
            "payment_terms_days",
            "notes",
            "lines",
            "created_at",
        ]
        read_only_fields = ["number", "status", "lines", "created_at"]
        extra_kwargs = {"store": {"required": False}}

    def create(self, validated_data):
        return services.fleet_agreement_create(actor=self.actor, **validated_data)


class AgreementPriceInput(serializers.Serializer):
    trim = serializers.PrimaryKeyRelatedField(queryset=Trim.objects.all())
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    volume = serializers.IntegerField(min_value=0, default=0)


class AgreementStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=["active", "expired", "terminated"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
