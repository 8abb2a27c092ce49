from rest_framework import serializers

from autosales.core.models import User
from autosales.keyaccounts.choices import AccountType, ActionStatus, Indicator, RelationshipStage, ValueGroup
from autosales.keyaccounts.models import (
    AccountPlan,
    AnalysisSettings,
    CostToServeRate,
    PlanAction,
    PlanObjective,
    ScorecardIndicator,
)
from autosales.parties.models import Contact


class AnalysisQuery(serializers.Serializer):
    store = serializers.IntegerField(required=False, min_value=1)
    months = serializers.IntegerField(required=False, min_value=1, max_value=240)


class CustomerListQuery(AnalysisQuery):
    ordering = serializers.CharField(required=False, default="-net_profit")
    tier = serializers.CharField(required=False)
    grade = serializers.CharField(required=False)
    account_type = serializers.CharField(required=False)
    key_only = serializers.BooleanField(required=False, default=False)
    disputed_only = serializers.BooleanField(required=False, default=False)
    pitfall = serializers.CharField(required=False)
    search = serializers.CharField(required=False)
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500, default=50)


class AnalysisSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnalysisSettings
        exclude = ["id", "created_at"]
        read_only_fields = ["updated_at"]

    def get_validators(self):
        return []


class CostToServeRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = CostToServeRate
        fields = ["activity_kind", "rate"]


class ScorecardIndicatorSerializer(serializers.ModelSerializer):
    indicator = serializers.ChoiceField(choices=Indicator.choices)
    group = serializers.ChoiceField(choices=ValueGroup.choices)

    class Meta:
        model = ScorecardIndicator
        fields = ["indicator", "group", "weight", "is_active"]


class ScorecardInput(serializers.Serializer):
    indicators = ScorecardIndicatorSerializer(many=True)


class CostRatesInput(serializers.Serializer):
    rates = CostToServeRateSerializer(many=True)


class AccountTypeInput(serializers.Serializer):
    account_type = serializers.ChoiceField(choices=AccountType.choices)
    note = serializers.CharField(allow_blank=True)


class PlanObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanObjective
        fields = ["id", "title", "measure", "target", "due_date", "achieved"]


class PlanActionSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    customer = serializers.IntegerField(source="plan.customer_id", read_only=True)

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "plan",
            "customer",
            "objective",
            "title",
            "owner",
            "owner_name",
            "due_date",
            "status",
            "completed_at",
            "outcome",
        ]
        read_only_fields = ["plan", "status", "completed_at", "outcome"]


class BuyingCentreContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "title", "buying_role", "stance", "is_executive"]


class AccountPlanSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    objectives = PlanObjectiveSerializer(many=True, read_only=True)
    actions = PlanActionSerializer(many=True, read_only=True)
    contacts = BuyingCentreContactSerializer(source="customer.contacts", many=True, read_only=True)

    class Meta:
        model = AccountPlan
        fields = [
            "id",
            "customer",
            "customer_name",
            "owner",
            "stage",
            "summary",
            "last_review",
            "next_review",
            "objectives",
            "actions",
            "contacts",
        ]
        read_only_fields = ["last_review"]


class PlanCreateInput(serializers.Serializer):
    customer = serializers.IntegerField()
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False)
    stage = serializers.ChoiceField(
        choices=RelationshipStage.choices, required=False, default=RelationshipStage.DEVELOP
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    next_review = serializers.DateField(required=False, allow_null=True, default=None)


class PlanUpdateInput(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False)
    stage = serializers.ChoiceField(choices=RelationshipStage.choices, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    next_review = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ObjectiveInput(serializers.Serializer):
    title = serializers.CharField()
    measure = serializers.CharField(required=False, allow_blank=True, default="")
    target = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class ActionInput(serializers.Serializer):
    title = serializers.CharField()
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_date = serializers.DateField()
    objective = serializers.IntegerField(required=False, allow_null=True, default=None)


class ReviewInput(serializers.Serializer):
    next_review = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ActionStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
