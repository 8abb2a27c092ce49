"""Model validation trusts foreign keys that hold an object read from the database, and checks the rest."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autosales.core.models import Store, loaded_relations
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.parties.models import Customer

pytestmark = pytest.mark.django_db


def test_a_loaded_foreign_key_is_not_looked_up_again():
    store = StoreFactory(code="VL01")
    owner = UserFactory(username="vl", store=store)
    customer = Customer(name="赵先生", mobile="13800138000", store=store, owner=owner)
    assert loaded_relations(customer) == {"store", "owner"}
    with CaptureQueriesContext(connection) as ctx:
        customer.full_clean()
    lookups = [q["sql"] for q in ctx.captured_queries if "core_store" in q["sql"] or "core_user" in q["sql"]]
    assert lookups == []


def test_a_foreign_key_given_by_id_is_still_checked():
    store = StoreFactory(code="VL02")
    customer = Customer(name="钱女士", mobile="13800138001", store_id=store.pk + 1000)
    assert loaded_relations(customer) == set()
    with pytest.raises(ValidationError) as error:
        customer.full_clean()
    assert "store" in error.value.message_dict


def test_an_unsaved_or_mismatched_object_is_checked():
    store = StoreFactory(code="VL03")
    unsaved = Store(code="VL04", name="未保存")
    customer = Customer(name="孙先生", mobile="13800138002", store=unsaved)
    assert "store" not in loaded_relations(customer)
    customer = Customer(name="孙先生", mobile="13800138002", store=store)
    customer.store_id = store.pk + 1000
    assert "store" not in loaded_relations(customer)
    with pytest.raises(ValidationError) as error:
        customer.full_clean()
    assert "store" in error.value.message_dict
