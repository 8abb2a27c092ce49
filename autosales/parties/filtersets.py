import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from autosales.core.models import Store, User
from autosales.core.search import text_contains

from .choices import BuyingRole, CustomerKind, Industry, SourceChannel
from .models import Contact, Customer


class CustomerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=CustomerKind.choices, label=_("kind"))
    industry = django_filters.ChoiceFilter(choices=Industry.choices, label=_("industry"))
    source = django_filters.ChoiceFilter(choices=SourceChannel.choices, label=_("source channel"))
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all(), label=_("store"))
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("owner salesperson"))
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("created from")
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("created until")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("id", "id"), ("name", "name"), ("created_at", "created_at"), ("fleet_size", "fleet_size")),
        field_labels={
            "id": _("number"),
            "name": _("name"),
            "created_at": _("created at"),
            "fleet_size": _("fleet size"),
        },
        label=_("sort"),
    )

    class Meta:
        model = Customer
        fields = ["q", "kind", "industry", "source", "store", "owner", "marketing_consent"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        upper = value.upper()
        if value.isdigit() and len(value) == 11:
            return queryset.filter(mobile=value)
        if len(upper) == 18:
            return queryset.filter(Q(credit_code=upper) | Q(resident_id=upper) | text_contains("name", value))
        return queryset.filter(text_contains("name", value) | Q(mobile__startswith=value))


class ContactFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    buying_role = django_filters.ChoiceFilter(choices=BuyingRole.choices, label=_("part in buying"))
    ordering = django_filters.OrderingFilter(fields=(("id", "id"), ("name", "name")), label=_("sort"))

    class Meta:
        model = Contact
        fields = ["q", "customer", "buying_role", "stance", "is_executive"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            text_contains("name", value) | Q(mobile__startswith=value) | text_contains("title", value)
        )
