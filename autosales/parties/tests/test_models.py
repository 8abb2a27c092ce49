import random

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from autosales.core.identity import make_credit_code, make_mobile, make_resident_id
from autosales.core.tests.factories import StoreFactory
from autosales.parties.choices import CustomerKind
from autosales.parties.models import Customer
from autosales.parties.tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

rng = random.Random(2026)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def new_person(**fields):
    fields.setdefault("name", "张伟")
    fields.setdefault("mobile", make_mobile(rng))
    return Customer(kind=CustomerKind.PERSON, store=fields.pop("store", None) or StoreFactory(), **fields)


def new_company(**fields):
    fields.setdefault("name", "上海新客运输有限公司")
    fields.setdefault("credit_code", make_credit_code(rng))
    return Customer(kind=CustomerKind.COMPANY, store=fields.pop("store", None) or StoreFactory(), **fields)


def test_valid_person_and_company_pass_full_clean():
    new_person(resident_id=make_resident_id(rng)).full_clean()
    new_company().full_clean()


def test_mobile_is_stored_normalised():
    customer = new_person(mobile="+86 138 0013 8000")
    customer.full_clean()
    assert customer.mobile == "13800138000"


def test_duplicate_mobile_is_refused_naming_the_existing_customer():
    existing = CustomerFactory(name="王芳", mobile="13800138000", owner=None)
    duplicate = new_person(name="王小芳", mobile="13800138000")
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    message = " ".join(exc.value.message_dict["mobile"])
    assert "王芳" in message
    assert str(existing.pk) in message


def test_duplicate_resident_id_is_refused_naming_the_existing_customer():
    resident_id = make_resident_id(rng)
    existing = CustomerFactory(name="刘洋", resident_id=resident_id, owner=None)
    duplicate = new_person(name="刘阳", resident_id=resident_id.lower())
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    message = " ".join(exc.value.message_dict["resident_id"])
    assert "刘洋" in message
    assert str(existing.pk) in message


def test_duplicate_credit_code_is_refused_naming_the_existing_customer():
    existing = CustomerFactory(company=True, name="北京远途租车有限公司", owner=None)
    duplicate = new_company(name="远途租车", credit_code=existing.credit_code)
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    message = " ".join(exc.value.message_dict["credit_code"])
    assert "北京远途租车有限公司" in message
    assert str(existing.pk) in message


def test_saving_a_customer_again_is_not_a_duplicate_of_itself():
    customer = CustomerFactory(resident_id=make_resident_id(rng), owner=None)
    customer.name = "新名字"
    customer.full_clean()


@pytest.mark.parametrize("field", ["mobile", "resident_id", "credit_code"])
def test_database_refuses_duplicate_identity_inserted_without_clean(field):
    if field == "credit_code":
        first = CustomerFactory(company=True, owner=None)
        second = new_company(credit_code=first.credit_code)
    else:
        first = CustomerFactory(resident_id=make_resident_id(rng), owner=None)
        second = new_person(**{field: getattr(first, field)})
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_many_customers_may_leave_identity_numbers_empty():
    for _ in range(3):
        CustomerFactory(company=True, owner=None)  # no mobile, no resident ID
        CustomerFactory(owner=None)  # no credit code, no resident ID
    assert Customer.objects.filter(mobile="").count() == 3
    assert Customer.objects.filter(resident_id="").count() == 6


def test_company_without_credit_code_is_refused():
    with pytest.raises(ValidationError) as exc:
        new_company(credit_code="").full_clean()
    assert "credit_code" in exc.value.message_dict


def test_company_with_invalid_credit_code_is_refused():
    code = make_credit_code(rng)
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        new_company(credit_code=bad).full_clean()
    assert "credit_code" in exc.value.message_dict


def test_person_without_mobile_is_refused():
    with pytest.raises(ValidationError) as exc:
        new_person(mobile="").full_clean()
    assert "mobile" in exc.value.message_dict


def test_person_with_a_credit_code_is_refused_by_clean_and_database():
    person = new_person(credit_code=make_credit_code(rng))
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert "credit_code" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()


def test_company_with_a_resident_id_is_refused_by_the_database():
    company = new_company(resident_id=make_resident_id(rng))
    with pytest.raises(IntegrityError), transaction.atomic():
        company.save()


def test_contact_belongs_to_a_company():
    person = CustomerFactory(owner=None)
    contact = ContactFactory.build(customer=person)
    with pytest.raises(ValidationError) as exc:
        contact.full_clean()
    assert "customer" in exc.value.message_dict
    ContactFactory(customer__owner=None).full_clean()
