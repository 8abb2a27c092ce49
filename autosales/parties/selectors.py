"""Reads of customers and contacts, always within what the user may see."""

from django.db.models import Q, QuerySet

from autosales.core.access import scope
from autosales.core.search import text_contains

from .models import Contact, Customer


def customer_list(*, user) -> QuerySet:
    """Customers the user may see, with store and owner joined (one query for a page)."""
    return scope(user, Customer.objects.select_related("store", "owner"))


def customer_get(*, user, pk) -> Customer:
    """A customer the user may see; ``Customer.DoesNotExist`` otherwise (never another store's row)."""
    return customer_list(user=user).get(pk=pk)


def customer_search(*, user, query: str, limit: int = 10) -> list[Customer]:
    """Customers found by exact mobile, credit code or resident ID, or by part of the name."""
    query = (query or "").strip()
    if not query:
        return []
    upper = query.upper()
    if query.isdigit() and len(query) == 11:
        condition = Q(mobile=query)
    elif len(upper) == 18 and upper.isalnum():
        condition = Q(credit_code=upper) | Q(resident_id=upper)
    else:
        condition = text_contains("name", query)
        if query.isdigit() and len(query) >= 3:
            condition |= Q(mobile__startswith=query)
    return list(customer_list(user=user).filter(condition).order_by("-id")[:limit])


def customer_newest(*, user, limit: int = 5) -> list[Customer]:
    return list(customer_list(user=user).order_by("-id")[:limit])


def contact_list(*, user) -> QuerySet:
    return scope(user, Contact.objects.select_related("customer"))


def contacts_of(*, user, customer: Customer) -> QuerySet:
    return contact_list(user=user).filter(customer=customer).order_by("name", "id")


# What a customer's personal data export holds: (section, model label, lookup to the customer).
# By label, because the sales and after-sales apps depend on this one, not the other way round.
PERSONAL_DATA_SECTIONS = (
    ("contacts", "parties.Contact", "customer"),
    ("leads", "sales.Lead", "customer"),
    ("activities", "sales.Activity", "customer"),
    ("trade_ins", "sales.TradeInAppraisal", "customer"),
    ("quotes", "sales.Quote", "customer"),
    ("quote_lines", "sales.QuoteLine", "quote__customer"),
    ("orders", "sales.Order", "customer"),
    ("order_lines", "sales.OrderLine", "order__customer"),
    ("payments", "sales.Payment", "order__customer"),
    ("deliveries", "sales.Delivery", "order__customer"),
    ("service_orders", "aftersales.ServiceOrder", "customer"),
    ("reminders", "aftersales.Reminder", "customer"),
    ("complaints", "aftersales.Complaint", "customer"),
    ("follow_up_calls", "aftersales.FollowUpCall", "customer"),
)
# Internal figures of the dealer, not the customer's personal data.
PERSONAL_DATA_EXCLUDED_FIELDS = frozenset(
    {"cost_total", "unit_cost", "gross_profit", "margin", "margin_floor"}
)


def customer_personal_data(*, customer: Customer) -> dict:
    """Everything the dealer holds about one customer, as plain values (one query per section).

    The caller checks that the user may see this customer's personal data.
    """
    from django.apps import apps
    from django.forms.models import model_to_dict

    def plain(obj):
        return {k: v for k, v in model_to_dict(obj).items() if k not in PERSONAL_DATA_EXCLUDED_FIELDS}

    data = {"customer": {"id": customer.pk, **plain(customer)}}
    for section, label, lookup in PERSONAL_DATA_SECTIONS:
        model = apps.get_model(label)
        rows = model._default_manager.filter(**{lookup: customer}).order_by("pk")
        data[section] = [{"id": row.pk, **plain(row)} for row in rows]
    return data


def personal_data_row_count(data: dict) -> int:
    return sum(len(rows) if isinstance(rows, list) else 1 for rows in data.values())
