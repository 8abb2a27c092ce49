from autosales.core.services import model_create, model_update

from .models import Contact, Customer


def customer_create(*, actor, **data) -> Customer:
    """Create a customer after the model's checks (identity numbers, duplicates)."""
    data.setdefault("store", getattr(actor, "store", None))
    return model_create(Customer, actor=actor, data=data)


def customer_update(*, customer: Customer, actor, **data) -> Customer:
    return model_update(customer, actor=actor, data=data)


def contact_create(*, actor, **data) -> Contact:
    return model_create(Contact, actor=actor, data=data)


def contact_update(*, contact: Contact, actor, **data) -> Contact:
    return model_update(contact, actor=actor, data=data)
