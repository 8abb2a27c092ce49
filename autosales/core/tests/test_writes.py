"""Rows saved through compiled statements (core.writes) are the rows Django saves."""

import datetime
import decimal
import uuid
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Now, Upper
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.functional import lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from autosales.core import writes
from autosales.core.models import Event, Store
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.parties.models import Customer
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales.models import Quote

pytestmark = pytest.mark.django_db


def _project_models():
    """Every concrete model of the project, historical models included."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("autosales.") and not model._meta.proxy and model._meta.managed
    ]


class _Choice(models.IntegerChoices):
    ONE = 1


_lazy_text = lazy(lambda: "lazy text", str)


def _values(field):
    """Values of the Python types a field meets: plain ones and the others Django also accepts."""
    if isinstance(field, models.ForeignKey):
        return st.sampled_from([None, 7, 2**40, "8"])
    if isinstance(field, models.AutoField | models.BigAutoField):
        return st.sampled_from([None, 5, "6"])
    if isinstance(field, models.BooleanField):
        return st.sampled_from([True, False, 1, 0] + ([None] if field.null else []))
    if isinstance(field, models.DecimalField):
        return st.one_of(
            st.none(),
            st.decimals(min_value=-(10**8), max_value=10**8, places=field.decimal_places),
            st.integers(-(10**6), 10**6),
            st.floats(min_value=-(10**6), max_value=10**6),
            st.sampled_from(["12.50", decimal.Decimal("0")]),
        )
    if isinstance(field, models.DateTimeField):
        return st.one_of(
            st.none(),
            st.datetimes(
                min_value=datetime.datetime(2000, 1, 1),
                max_value=datetime.datetime(2100, 1, 1),
                timezones=st.sampled_from([datetime.UTC, ZoneInfo("Asia/Shanghai")]),
            ),
        )
    if isinstance(field, models.DateField):
        return st.one_of(st.none(), st.dates(), st.just("2026-03-04"))
    if isinstance(field, models.IntegerField):
        return st.one_of(st.none(), st.integers(0, 2**31 - 1), st.just(_Choice.ONE), st.just("9"))
    if isinstance(field, models.JSONField):
        return st.sampled_from([{}, {"a": [1, "b"]}, [1, 2], None])
    if isinstance(field, models.UUIDField):
        return st.just(uuid.UUID(int=5))
    if isinstance(field, models.CharField | models.TextField):
        return st.one_of(
            st.none(), st.text(max_size=20), st.just(_lazy_text()), st.just(Quote.status.field.default)
        )
    return st.just(field.get_default())


def _model_rows():
    def row(model):
        fields = [field for field in model._meta.local_concrete_fields if field is not model._meta.auto_field]
        return st.tuples(st.just(model), st.fixed_dictionaries({f.attname: _values(f) for f in fields}))

    return st.sampled_from(_project_models()).flatmap(row)


class SameAsDjango(TestCase):
    @settings(max_examples=500)
    @given(_model_rows())
    def test_statements_and_parameters_are_djangos_for_every_model_and_value(self, model_row):
        """For every project model and values of every type its fields accept, the compiled INSERT
        and UPDATE take the same statement and the same parameters (values and types) as Django's."""
        _same_as_django(*model_row)


def _same_as_django(model, values):
    obj = model(**values)
    meta = model._meta
    fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
    insert = writes._Insert(model, fields, list(meta.db_returning_fields), connection)
    for field in fields:
        if type(field).pre_save is not models.Field.pre_save:
            field.pre_save(obj, True)
    params = insert.params(obj)
    assert insert.compile(obj, params, connection), (model, values)

    raw = [getattr(obj, field.attname) for field in fields]
    params, key = writes.update_params(model, fields, raw, 42, connection)
    update = writes._Update(fields)
    assert update.compile(model._base_manager.using("default"), 42, raw, params, connection), (model, values)


@pytest.mark.parametrize(
    "value", [decimal.Decimal("NaN"), decimal.Decimal("-Infinity"), decimal.Decimal("sNaN")]
)
def test_values_django_refuses_are_refused(value):
    field = Quote._meta.get_field("total")
    with pytest.raises(ValidationError):
        field.get_db_prep_save(value, connection)
    with pytest.raises(ValidationError):
        writes._preparer(field, connection)(value)


def test_history_user_of_another_model_is_refused_as_by_the_library():
    customer = CustomerFactory()
    customer._history_user = StoreFactory()
    customer.name = "Other"
    with pytest.raises(ValueError, match="must be a"), transaction.atomic():
        customer.save()


def _columns(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_rows_saved_are_the_rows_django_saves():
    store = StoreFactory()
    user = UserFactory(store=store)
    customer = CustomerFactory(store=store, created_by=user, owner=user)
    with (
        mock.patch.object(writes, "insert_row", return_value=None),
        mock.patch.object(writes, "update_row", return_value=None),
    ):
        theirs = CustomerFactory(store=store, created_by=user, owner=user, name=customer.name + " (2)")
    ours = Customer.objects.get(pk=customer.pk)
    django = Customer.objects.get(pk=theirs.pk)
    a, b = _columns(ours), _columns(django)
    for name in ("id", "created_at", "updated_at", "name", "mobile", "number"):
        a.pop(name, None)
        b.pop(name, None)
    assert a == b

    ours.name = "Renamed"
    ours.save()
    assert Customer.objects.get(pk=ours.pk).name == "Renamed"


def test_history_rows_are_the_librarys():
    store = StoreFactory()
    user = UserFactory(store=store)
    customer = CustomerFactory(store=store, created_by=user)
    customer._change_reason = "checked"
    customer._history_user = user
    customer.name = "Second name"
    customer.save()
    ours = customer.history.order_by("-history_id").first()
    records = Customer._meta.simple_history_manager_attribute
    assert records == "history"
    with mock.patch.object(writes, "insert_row", return_value=None):
        customer._history_date = ours.history_date
        customer.save()
    theirs = customer.history.order_by("-history_id").first()
    assert theirs.history_id != ours.history_id
    a, b = _columns(ours), _columns(theirs)
    a.pop("history_id"), b.pop("history_id")
    a.pop("updated_at"), b.pop("updated_at")
    assert a == b
    assert ours.history_change_reason == "checked" and ours.history_user_id == user.pk
    assert ours.history_type == "~" and ours.name == "Second name"


def _forget_shapes():
    connections["default"].__dict__.pop("compiled_writes", None)


def test_shapes_are_compiled_once_per_connection_and_used():
    _forget_shapes()
    store = StoreFactory()
    CustomerFactory(store=store)
    with CaptureQueriesContext(connection) as first:
        CustomerFactory(store=store)
    with (
        mock.patch.object(writes._Insert, "compile", side_effect=AssertionError("compiled again")),
        CaptureQueriesContext(connection) as second,
    ):
        CustomerFactory(store=store)
    assert len(first.captured_queries) == len(second.captured_queries)
    shapes = connections["default"].__dict__["compiled_writes"]
    assert any(key[:2] == ("insert", Customer) and statement for key, statement in shapes.items())


def test_expressions_are_saved_by_django():
    store = StoreFactory()
    customer = CustomerFactory(store=store, name="lower")
    customer.name = Upper(Value("changed"))
    customer.save(update_fields=["name"])
    customer.refresh_from_db()
    assert customer.name == "CHANGED"
    event = Event(content_type=ContentType.objects.get_for_model(Store), object_id=store.pk, action="x")
    event.created_at = Now()
    event.save()
    event.refresh_from_db()
    assert abs(event.created_at - timezone.now()) < datetime.timedelta(minutes=5)
    store.name = F("code")
    store.save(update_fields=["name"])
    store.refresh_from_db()
    assert store.name == store.code


def test_a_shape_django_compiles_otherwise_is_left_to_django():
    _forget_shapes()
    store = StoreFactory()
    with mock.patch.object(writes, "_same", return_value=False):
        customer = CustomerFactory(store=store)
    assert Customer.objects.filter(pk=customer.pk).exists()
    shapes = connections["default"].__dict__["compiled_writes"]
    assert [statement for key, statement in shapes.items() if key[:2] == ("insert", Customer)] == [False]
    CustomerFactory(store=store)
    assert Customer.objects.filter(store=store).count() == 2


def test_saving_a_row_gone_is_refused_or_inserts_it_again_as_by_django():
    customer = CustomerFactory()
    Customer.objects.filter(pk=customer.pk).delete()
    customer.name = "Gone"
    with pytest.raises(DatabaseError, match="did not affect any rows"), transaction.atomic():
        customer.save(update_fields=["name"])
    customer.save()
    assert Customer.objects.get(pk=customer.pk).name == "Gone"


def test_history_tables_index_only_the_objects_id_date_and_user():
    from autosales.parties.models import Contact

    def indexed_columns(model):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
        return {
            tuple(c["columns"])
            for c in constraints.values()
            if c["index"] and not c["primary_key"] and not c["unique"]
        }

    assert indexed_columns(Quote.history.model) == {("id",), ("history_date",), ("history_user_id",)}
    assert indexed_columns(Contact.history.model) == {
        ("id",),
        ("history_date",),
        ("history_user_id",),
        ("customer_id",),
    }
    # The tracked table itself keeps its indexes.
    assert ("customer_id", "id") in indexed_columns(Quote)


def test_automatic_dates_follow_the_field_at_each_save():
    """The demo loader turns ``auto_now_add`` off for a while to write past dates: a shape compiled
    meanwhile must still stamp rows once it is back on."""
    _forget_shapes()
    field = Store._meta.get_field("created_at")
    past = timezone.now() - datetime.timedelta(days=400)
    field.auto_now_add = False
    try:
        old = StoreFactory(created_at=past)
    finally:
        field.auto_now_add = True
    new = StoreFactory()
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.created_at == past
    assert new.created_at is not None and new.created_at > past + datetime.timedelta(days=399)
