"""Rows loaded by ``core.loading`` are the instances Django's own ``from_db`` builds."""

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Model
from django.db.models.signals import post_init, pre_init
from django.test.utils import isolate_apps

from autosales.core import loading
from autosales.core.models import Store, TimeStampedModel, User
from autosales.core.tests.factories import StoreFactory
from autosales.parties.models import Customer
from autosales.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    return StoreFactory()


def _django(cls, db, names, values):
    return Model.from_db.__func__(cls, db, names, values)


def _same(ours, theirs):
    assert type(ours) is type(theirs)
    attributes = [{k: v for k, v in i.__dict__.items() if k != "_state"} for i in (ours, theirs)]
    assert attributes[0] == attributes[1]
    states = ours._state, theirs._state
    assert (states[0].adding, states[0].db) == (states[1].adding, states[1].db) == (False, "default")
    assert ours.get_deferred_fields() == theirs.get_deferred_fields()


def test_every_project_model_is_loaded_directly():
    slow = [
        model
        for model in apps.get_models()
        if issubclass(model, (TimeStampedModel, User)) and not loading._stores_plainly(model)
    ]
    assert slow == []


@pytest.mark.parametrize("only", [None, ("name", "store__code", "owner__username")])
def test_a_loaded_row_is_the_instance_django_builds(store, only):
    CustomerFactory(store=store)
    queryset = Customer.objects.select_related("store", "owner")
    if only:
        queryset = queryset.only(*only)
    ours = queryset.get()
    names = [field.attname for field in Customer._meta.concrete_fields if field.attname in ours.__dict__]
    theirs = _django(Customer, "default", names, [getattr(ours, name) for name in names])
    assert ours.store._state.db == "default" and not ours.store._state.adding
    ours.__dict__["_state"] = type(ours._state)()  # without the cached store and owner
    ours._state.adding, ours._state.db = False, "default"
    _same(ours, theirs)
    if only:
        assert ours.get_deferred_fields() >= {"mobile", "created_at"}
        assert ours.mobile == Customer.objects.get().mobile  # a deferred field is still read on access


def test_direct_loading_builds_the_same_instance_as_django(store):
    names = [field.attname for field in Store._meta.concrete_fields]
    values = [getattr(store, name) for name in names]
    _same(loading.row_instance(Store, "default", names, values), _django(Store, "default", names, values))
    partial = names[:1] + names[3:]
    values = [getattr(store, name) for name in partial]
    _same(
        loading.row_instance(Store, "default", partial, values),
        _django(Store, "default", partial, values),
    )


@pytest.mark.parametrize("signal", [pre_init, post_init])
def test_rows_go_through_init_when_a_signal_receiver_listens(store, signal):
    seen = []

    def receiver(sender, **kwargs):
        seen.append(sender)

    signal.connect(receiver, sender=Store)
    try:
        assert loading.row_instance(Store, "default", ["id"], [store.pk]) is None
        assert Store.objects.get(pk=store.pk).pk == store.pk
        assert seen == [Store]
        assert loading.row_instance(Customer, "default", ["id"], [1]) is not None
    finally:
        signal.disconnect(receiver, sender=Store)


@isolate_apps("autosales.core")
def test_models_with_their_own_init_or_descriptors_are_left_to_django():
    class WithFile(TimeStampedModel):
        scan = models.FileField()

    class WithInit(TimeStampedModel):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.seen = True

    assert not loading._stores_plainly(WithFile)
    assert not loading._stores_plainly(WithInit)
    assert loading.row_instance(WithInit, "default", ["id"], [1]) is None
    assert WithInit.from_db("default", ["id"], [1]).seen


def test_page_rows_of_an_unfiltered_list_with_joins_read_ids_first(django_assert_num_queries):
    CustomerFactory.create_batch(6)
    joined = Customer.objects.select_related("store").order_by("-created_at", "-id")
    expected = list(joined.values_list("id", flat=True)[1:4])
    with django_assert_num_queries(2) as captured:
        rows = loading.page_rows(joined, 1, 4)
    assert [row.pk for row in rows] == expected
    assert all(Customer.store.field.is_cached(row) for row in rows)
    assert "JOIN" not in captured.captured_queries[0]["sql"]
    with django_assert_num_queries(1):
        assert [row.pk for row in loading.page_rows(joined.filter(pk__gt=0), 1, 4)] == expected
    with django_assert_num_queries(1):
        assert [
            row.pk for row in loading.page_rows(Customer.objects.order_by("-created_at", "-id"), 1, 4)
        ] == expected
