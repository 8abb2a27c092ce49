"""Reads of customers and contacts, always within what the user may see."""

from django.db.models import Q, QuerySet

from autosales.core.access import scope

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
        condition = Q(name__icontains=query)
        if query.isdigit() and len(query) >= 3:
            condition |= Q(mobile__startswith=query)
    return list(customer_list(user=user).filter(condition).order_by("-id")[:limit])


def customer_newest(*, user, limit: int = 5) -> list[Customer]:
    return list(customer_list(user=user).order_by("-id")[:limit])


def contact_list(*, user) -> QuerySet:
    return scope(user, Contact.objects.select_related("customer"))


def contacts_of(*, user, customer: Customer) -> QuerySet:
    return contact_list(user=user).filter(customer=customer).order_by("name", "id")
