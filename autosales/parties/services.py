from django.db import transaction
from django.utils.translation import gettext_lazy as _

from autosales.core.access import can_anonymise, can_write
from autosales.core.choices import Role
from autosales.core.events import event_record
from autosales.core.exceptions import DomainError
from autosales.core.models import Event, content_type_for
from autosales.core.services import model_create, model_update

from .models import Contact, Customer

# Cleared by anonymisation, on the rows, in their history and in their events' data.
CUSTOMER_PERSONAL_FIELDS = ("mobile", "resident_id", "credit_code", "email", "address", "notes")
CONTACT_PERSONAL_FIELDS = ("name", "title", "mobile", "email", "notes")
ANONYMOUS_CONTACT_NAME = "—"


def anonymous_customer_name(customer_id) -> str:
    # Stored, not translated: the name is data and must read the same for every user.
    return f"已匿名客户 #{customer_id}"


def customer_create(*, actor, **data) -> Customer:
    """Create a customer after the model's checks (identity numbers, duplicates)."""
    data.setdefault("store", getattr(actor, "store", None))
    return model_create(Customer, actor=actor, data=data)


def _refuse_if_anonymised(customer):
    # Asks the database: the caller's copy of the customer may predate the anonymisation.
    if customer.is_anonymised or Customer.objects.filter(pk=customer.pk, is_anonymised=True).exists():
        raise DomainError(_("This customer has been anonymised; the record can no longer be changed."))


def customer_update(*, customer: Customer, actor, **data) -> Customer:
    _refuse_if_anonymised(customer)
    return model_update(customer, actor=actor, data=data)


def contact_create(*, actor, **data) -> Contact:
    customer = data.get("customer")
    if customer is not None:
        _refuse_if_anonymised(customer)
    return model_create(Contact, actor=actor, data=data)


def contact_update(*, contact: Contact, actor, **data) -> Contact:
    _refuse_if_anonymised(contact.customer)
    return model_update(contact, actor=actor, data=data)


def _scrub_event_data(model, ids, fields):
    events = Event.objects.filter(content_type=content_type_for(model), object_id__in=ids)
    changed = []
    for event in events.only("id", "data"):
        data = event.data if isinstance(event.data, dict) else {}
        if any(name in data for name in fields):
            event.data = {key: value for key, value in data.items() if key not in fields}
            changed.append(event)
    if changed:
        Event.objects.bulk_update(changed, ["data"])


def customer_anonymise(*, customer: Customer, actor, reason: str) -> Customer:
    """Erase a customer's personal data for good (PIPL), keeping their orders, payments and services.

    The name becomes "已匿名客户 #<id>"; mobile, ID and credit code, email, address and notes are
    cleared, and so are the contacts' names and personal fields, in the rows, in every historical
    version of them and in their events. Only general managers and admins may do it; it cannot be
    undone, and it is recorded as an event with the reason.
    """
    if not can_anonymise(actor):
        raise DomainError(_("Only a general manager or an administrator may anonymise a customer."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": _("Give the reason for anonymising this customer.")})
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        if locked.is_anonymised:
            raise DomainError(_("This customer has already been anonymised."))
        name = anonymous_customer_name(customer.pk)
        cleared = dict.fromkeys(CUSTOMER_PERSONAL_FIELDS, "")
        # Direct updates on purpose: a person without a mobile fails clean(), and no historical
        # version may keep the personal values, so no new version is written with them either.
        Customer.objects.filter(pk=customer.pk).update(name=name, is_anonymised=True, **cleared)
        Customer.history.filter(id=customer.pk).update(name=name, **cleared)
        contact_ids = list(Contact.objects.filter(customer=customer).values_list("id", flat=True))
        contact_cleared = dict.fromkeys(CONTACT_PERSONAL_FIELDS, "")
        contact_cleared["name"] = ANONYMOUS_CONTACT_NAME
        Contact.objects.filter(id__in=contact_ids).update(**contact_cleared)
        Contact.history.filter(customer_id=customer.pk).update(**contact_cleared)
        _scrub_event_data(Customer, [customer.pk], {"name", *CUSTOMER_PERSONAL_FIELDS})
        _scrub_event_data(Contact, contact_ids, set(CONTACT_PERSONAL_FIELDS))
        customer.refresh_from_db()
        event_record(target=customer, action="anonymised", actor=actor, reason=reason)
    return customer


def customer_personal_data_export(*, customer: Customer, user) -> str:
    """One JSON document with everything held about ``customer`` (PIPL access request), logged.

    The caller passes a customer from the user's scope; the user must also be allowed to see the
    customer's personal data in full.
    """
    from autosales.core.access import can_see_personal_data
    from autosales.core.services import export_log

    from .selectors import customer_personal_data, personal_data_row_count

    if not can_see_personal_data(user, customer):
        raise DomainError(_("You may not export this customer's personal data."))
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    data = customer_personal_data(customer=customer)
    export_log(
        user=user,
        what=f"personal data of customer #{customer.pk}",
        rows=personal_data_row_count(data),
        file_format="json",
        filters={"customer": customer.pk},
    )
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


HAND_OVER_ROLES = frozenset({Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN})
OWNER_ROLES = frozenset({Role.SALESPERSON, Role.SALES_MANAGER})


def customer_may_hand_over(user, customer) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or user.role in HAND_OVER_ROLES)
        and can_write(user, customer)
    )


def customer_hand_over(*, customer: Customer, new_owner, actor, reason: str = "") -> Customer:
    """Give the customer to another salesperson of the customer's store (managers only); one event."""
    if not customer_may_hand_over(actor, customer):
        raise DomainError(_("Only a manager of the customer's store may hand the customer over."))
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        _refuse_if_anonymised(customer)
        if (
            new_owner is None
            or not new_owner.is_active
            or new_owner.role not in OWNER_ROLES
            or new_owner.store_id != customer.store_id
        ):
            raise DomainError({"new_owner": _("Choose an active salesperson of the customer's store.")})
        if new_owner.pk == customer.owner_id:
            raise DomainError({"new_owner": _("The customer already belongs to this salesperson.")})
        previous = customer.owner
        customer.owner = new_owner
        customer.save(update_fields=["owner", "updated_at"])
        event_record(
            target=customer,
            action="hand_over",
            actor=actor,
            from_state=previous.username if previous else "",
            to_state=new_owner.username,
            reason=reason,
        )
    return customer
