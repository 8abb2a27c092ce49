"""Prepared querysets give what the ORM gives, compile once per connection and refuse what they cannot run."""

import datetime
from unittest import mock

import pytest
from django.db import connection, connections, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from autosales.core.prepared import prepared
from autosales.core.tests.factories import StoreFactory
from autosales.parties.models import Customer
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales.models import TaxRule

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {k: v for k, v in instance.__dict__.items() if k != "_state"}


def _same(ours, theirs):
    assert [type(o) for o in ours] == [type(t) for t in theirs]
    for o, t in zip(ours, theirs, strict=True):
        assert _fields(o) == _fields(t)
        assert (o._state.adding, o._state.db) == (t._state.adding, t._state.db) == (False, "default")
        assert o._state.fields_cache.keys() == t._state.fields_cache.keys()
        for name, related in t._state.fields_cache.items():
            assert _fields(o._state.fields_cache[name]) == _fields(related)


@pytest.fixture
def customers():
    store, other = StoreFactory(), StoreFactory()
    return [CustomerFactory(store=store) for _ in range(3)] + [CustomerFactory(store=other)]


def test_rows_with_related_rows_and_annotations_are_the_orms(customers):
    def build(store_id):
        return (
            Customer.objects.select_related("store", "owner")
            .filter(store_id=store_id)
            .annotate(label=Concat(F("name"), Value("/"), F("store__code")))
            .order_by("-id")
        )

    shape = prepared(build)
    store_id = customers[0].store_id
    ours, theirs = shape.list(store_id), list(build(store_id))
    assert len(ours) == 3
    _same(ours, theirs)
    assert [c.label for c in ours] == [c.label for c in theirs]
    assert ours[0].store.code == customers[0].store.code
    other = customers[-1].store_id
    _same(shape.list(other), list(build(other)))
    assert shape.list(0) == []


def test_get_answers_as_queryset_get(customers):
    one = prepared(lambda pk: Customer.objects.filter(pk=pk))
    _same([one.get(customers[1].pk)], [Customer.objects.get(pk=customers[1].pk)])
    with pytest.raises(Customer.DoesNotExist, match="Customer matching query does not exist"):
        one.get(0)
    of_store = prepared(lambda store_id: Customer.objects.filter(store_id=store_id))
    with pytest.raises(Customer.MultipleObjectsReturned, match="it returned 3!"):
        of_store.get(customers[0].store_id)
    assert of_store.get(customers[-1].store_id).pk == customers[-1].pk


def test_texts_reach_the_statement(customers):
    target = customers[2]
    by_mobile = prepared(
        lambda mobile, name: Customer.objects.filter(Q(mobile=mobile) | Q(name=name)), str, str
    )
    assert [c.pk for c in by_mobile.list(target.mobile, "nobody")] == [target.pk]
    assert by_mobile.list("0", "nobody") == []


def test_dates_reach_the_statement_as_the_database_takes_them():
    TaxRule.objects.all().delete()
    rule = TaxRule.objects.create(
        name="2026", valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2026, 12, 31)
    )
    current = prepared(
        lambda on: TaxRule.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on),
        datetime.date,
    )
    assert [r.pk for r in current.list(datetime.date(2026, 3, 1))] == [rule.pk]
    assert [r.pk for r in current.list(datetime.date(2026, 12, 31))] == [rule.pk]
    assert current.list(datetime.date(2025, 12, 31)) == []
    assert current.list(datetime.date(2027, 1, 1)) == []


def test_the_statement_is_compiled_once_per_connection_and_runs_as_one_query(customers):
    shape = prepared(lambda pk: Customer.objects.select_related("store").filter(pk=pk))
    compiled = mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql)
    with compiled as as_sql, CaptureQueriesContext(connection) as queries:
        for customer in customers:
            assert shape.get(customer.pk).store.pk == customer.store_id
    # Once with marks and once with ordinary values to check the shape, then never again.
    assert as_sql.call_count == 2
    assert len(queries) == len(customers)
    assert str(customers[0].pk) in queries[0]["sql"] and str(customers[1].pk) in queries[1]["sql"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_locking_reads_need_a_transaction(customers):
    locked = prepared(lambda pk: Customer.objects.select_for_update().filter(pk=pk))
    with transaction.atomic():
        assert locked.get(customers[0].pk).pk == customers[0].pk
    if connection.features.has_select_for_update:
        for read in (locked.get, lambda pk: Customer.objects.select_for_update().get(pk=pk)):
            with pytest.raises(TransactionManagementError, match="outside of a transaction"):
                read(customers[0].pk)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda pk: Customer.objects.filter(pk=pk).values("name"), "model instances"),
        (lambda pk: Customer.objects.filter(pk=pk).prefetch_related("contacts"), "prefetch"),
        (lambda name: Customer.objects.filter(name__icontains=name), "unchanged"),
        (lambda name: Customer.objects.filter(name__startswith=name), "unchanged"),
    ],
)
def test_shapes_it_cannot_run_are_refused(customers, build, message):
    kinds = (str,) if "name" in build.__code__.co_varnames else ()
    with pytest.raises((TypeError, ValueError), match=message):
        prepared(build, *kinds).list(*(["x"] if kinds else [customers[0].pk]))


def test_values_of_another_type_are_refused(customers):
    one = prepared(lambda pk: Customer.objects.filter(pk=pk))
    by_name = prepared(lambda name: Customer.objects.filter(name=name), str)
    on_day = prepared(lambda on: TaxRule.objects.filter(valid_from__lte=on), datetime.date)
    for shape, value in [
        (one, None),
        (one, "1"),
        (one, True),
        (by_name, None),
        (by_name, 1),
        (on_day, datetime.datetime(2026, 1, 1, 12, 0)),
        (on_day, "2026-01-01"),
    ]:
        with pytest.raises(TypeError, match="prepared parameters are"):
            shape.list(value)
    with pytest.raises(TypeError):
        one.list()
    assert [c.pk for c in by_name.list(customers[0].name)] == [customers[0].pk]


def test_statements_go_with_their_connection(customers):
    shape = prepared(lambda pk: Customer.objects.filter(pk=pk))
    shape.get(customers[0].pk)
    statements = connections["default"].__dict__["prepared_statements"]
    assert (shape, True) in statements and (shape, False) not in statements
    shape.list(customers[0].pk)
    assert (shape, False) in statements


def test_a_value_the_database_would_escape_is_never_sent_as_it_is(customers):
    Customer.objects.filter(pk=customers[0].pk).update(name="AxB")
    # SQLite compares iexact with LIKE and escapes the value; the marks have nothing to escape,
    # the second compile with ordinary values finds it out.
    shape = prepared(lambda name: Customer.objects.filter(name__iexact=name), str)
    if connection.vendor == "sqlite":
        with pytest.raises(ValueError, match="unchanged"):
            shape.list("a_b")
    else:
        assert shape.list("a_b") == []
        assert [c.pk for c in shape.list("axb")] == [customers[0].pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's limit of bound parameters")
def test_statements_with_more_parameters_than_postgresql_binds_still_run(customers):
    ids = [c.pk for c in customers]
    many = list(range(-70_000, 0)) + ids
    assert Customer.objects.filter(pk__in=many).count() == len(customers)
    with connection.cursor() as cursor:
        assert type(cursor.cursor).__module__ == "autosales.core.postgresql_backend.base"
