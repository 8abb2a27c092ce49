import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from autosales.core.models import Store, User
from autosales.core.search import ContainsFilter, text_contains

from .choices import (
    ComplaintCategory,
    ComplaintStatus,
    FollowUpKind,
    FollowUpStatus,
    ReminderStatus,
    ServiceKind,
    ServiceStatus,
    Severity,
)
from .models import Complaint, FollowUpCall, MaintenanceRule, Reminder, ServiceOrder


class ServiceOrderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=ServiceStatus.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=ServiceKind.choices, label=_("kind"))
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all(), label=_("store"))
    advisor = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("service advisor"))
    opened_after = django_filters.DateFilter(
        field_name="opened_at", lookup_expr="date__gte", label=_("opened from")
    )
    opened_before = django_filters.DateFilter(
        field_name="opened_at", lookup_expr="date__lte", label=_("opened until")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("opened_at", "opened_at"), ("closed_at", "closed_at"), ("mileage_km", "mileage_km")),
        field_labels={"opened_at": _("opened at"), "closed_at": _("closed at"), "mileage_km": _("mileage")},
        label=_("sort"),
    )

    class Meta:
        model = ServiceOrder
        fields = ["q", "status", "kind", "store", "advisor", "customer", "vehicle"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        upper = value.upper()
        return queryset.filter(
            text_contains("number", value)
            | Q(vehicle__vin=upper)
            | Q(vehicle__vin_tail=upper)
            | text_contains("vehicle__plate_number", value)
            | text_contains("customer__name", value)
            | Q(customer__mobile=value)
        )


class MaintenanceRuleFilterSet(django_filters.FilterSet):
    class Meta:
        model = MaintenanceRule
        fields = ["car_model"]


class ReminderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=ReminderStatus.choices, label=_("status"))
    advisor = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("service advisor"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("due until"))
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("due from"))
    ordering = django_filters.OrderingFilter(fields=(("due_date", "due_date"), ("id", "id")), label=_("sort"))

    class Meta:
        model = Reminder
        fields = ["q", "status", "advisor", "store", "customer", "vehicle"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            text_contains("customer__name", value)
            | Q(vehicle__vin_tail=value.upper())
            | text_contains("vehicle__plate_number", value)
        )


class ComplaintFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=ComplaintStatus.choices, label=_("status"))
    category = django_filters.ChoiceFilter(choices=ComplaintCategory.choices, label=_("category"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("severity"))
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("owner"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    ordering = django_filters.OrderingFilter(fields=(("due_date", "due_date"), ("id", "id")), label=_("sort"))

    class Meta:
        model = Complaint
        fields = ["q", "status", "category", "severity", "owner", "store", "customer"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(text_contains("customer__name", value) | text_contains("description", value))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status__in=[ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS]) & Q(
            due_date__lt=timezone.localdate()
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class FollowUpCallFilterSet(django_filters.FilterSet):
    q = ContainsFilter(field_name="customer__name", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=FollowUpStatus.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=FollowUpKind.choices, label=_("kind"))
    caller = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("caller"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("due until"))
    score_max = django_filters.NumberFilter(field_name="score", lookup_expr="lte", label=_("score up to"))
    ordering = django_filters.OrderingFilter(
        fields=(("due_date", "due_date"), ("called_at", "called_at"), ("id", "id")), label=_("sort")
    )

    class Meta:
        model = FollowUpCall
        fields = ["q", "status", "kind", "caller", "store", "customer", "order", "service_order"]
