import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from autosales.core.models import Store, User
from autosales.core.search import text_contains

from .choices import (
    ActivityKind,
    ApprovalDecision,
    LeadSource,
    LeadStage,
    LostReason,
    LostRequestStatus,
    OrderStatus,
    PaymentKind,
    QuoteStatus,
)
from .models import (
    Activity,
    Delivery,
    FleetAgreement,
    Lead,
    Order,
    Payment,
    Quote,
    QuoteApproval,
    SalesTarget,
    TradeInAppraisal,
)


class LeadFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    stage = django_filters.MultipleChoiceFilter(choices=LeadStage.choices, label=_("stage"))
    source = django_filters.ChoiceFilter(choices=LeadSource.choices, label=_("source"))
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all(), label=_("store"))
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("salesperson"))
    lost_request = django_filters.ChoiceFilter(choices=LostRequestStatus.choices[1:], label=_("lost request"))
    lost_reason = django_filters.ChoiceFilter(choices=LostReason.choices, label=_("lost reason"))
    follow_up_before = django_filters.DateFilter(
        field_name="next_follow_up", lookup_expr="lte", label=_("follow-up due by")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("id", "id"), ("next_follow_up", "next_follow_up"), ("expected_value", "expected_value")),
        field_labels={"id": _("number"), "next_follow_up": _("next follow-up"), "expected_value": _("value")},
        label=_("sort"),
    )

    class Meta:
        model = Lead
        fields = ["q", "stage", "source", "store", "owner", "lost_request", "lost_reason"]

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(text_contains("customer__name", value) | Q(customer__mobile__startswith=value))


class ActivityFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("kind"))
    after = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte", label=_("from"))
    before = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte", label=_("until"))
    open_tasks = django_filters.BooleanFilter(
        field_name="completed_at", lookup_expr="isnull", label=_("open")
    )

    class Meta:
        model = Activity
        fields = ["kind", "customer", "lead", "user"]


class _DocumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all(), label=_("store"))
    salesperson = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("salesperson"))

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            text_contains("number", value)
            | text_contains("customer__name", value)
            | Q(customer__mobile__startswith=value)
        )


class QuoteFilterSet(_DocumentFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=QuoteStatus.choices, label=_("status"))
    ordering = django_filters.OrderingFilter(
        fields=(("id", "id"), ("valid_until", "valid_until"), ("total", "total")),
        field_labels={"id": _("number"), "valid_until": _("valid until"), "total": _("total")},
        label=_("sort"),
    )

    class Meta:
        model = Quote
        fields = ["q", "status", "store", "salesperson", "customer", "lead"]


class OrderFilterSet(_DocumentFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=OrderStatus.choices, label=_("status"))
    date_from = django_filters.DateFilter(field_name="order_date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="order_date", lookup_expr="lte", label=_("until"))
    ordering = django_filters.OrderingFilter(
        fields=(("id", "id"), ("order_date", "order_date"), ("total", "total")),
        field_labels={"id": _("number"), "order_date": _("order date"), "total": _("total")},
        label=_("sort"),
    )

    class Meta:
        model = Order
        fields = ["q", "status", "store", "salesperson", "customer", "is_fleet"]


class PaymentFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PaymentKind.choices, label=_("kind"))
    after = django_filters.DateFilter(field_name="paid_at", lookup_expr="date__gte", label=_("from"))
    before = django_filters.DateFilter(field_name="paid_at", lookup_expr="date__lte", label=_("until"))

    class Meta:
        model = Payment
        fields = ["kind", "order", "method"]


class DeliveryFilterSet(django_filters.FilterSet):
    pending = django_filters.BooleanFilter(
        field_name="handed_over_at", lookup_expr="isnull", label=_("pending")
    )

    class Meta:
        model = Delivery
        fields = ["order", "pending"]


class QuoteApprovalFilterSet(django_filters.FilterSet):
    decision = django_filters.ChoiceFilter(choices=ApprovalDecision.choices, label=_("decision"))

    class Meta:
        model = QuoteApproval
        fields = ["decision", "quote", "required_role"]


class TradeInFilterSet(django_filters.FilterSet):
    class Meta:
        model = TradeInAppraisal
        fields = ["customer", "status"]


class FleetAgreementFilterSet(django_filters.FilterSet):
    class Meta:
        model = FleetAgreement
        fields = ["customer", "status", "store"]


class SalesTargetFilterSet(django_filters.FilterSet):
    class Meta:
        model = SalesTarget
        fields = ["store", "salesperson", "month"]
