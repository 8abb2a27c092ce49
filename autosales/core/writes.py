"""Saving one row with a statement compiled once per model, field list and database connection.

``Model.save()`` compiles its INSERT or UPDATE anew for every row and prepares each value through
the field's whole ``get_db_prep_save`` chain: for a quote (24 columns) that is 0.19 ms of Python
before the statement runs, the statement itself a tenth of that. A workflow step saves the same
shapes over and over, so the project's models save through the two hooks Django offers for it,
``Model._do_insert`` and ``Model._do_update`` (``insert_row`` and ``update_row`` below):

* the statement of a shape (model, columns, returned columns) is compiled by Django the first time
  it is used on a connection, and kept on that connection;
* values are prepared by the field's kind with the same backend operations Django calls
  (``adapt_decimalfield_value``, ``adapt_datetimefield_value`` …) when they are of the plain
  Python type the field stores (``str`` for text, ``int`` for integers and keys, ``Decimal``,
  ``date``, aware ``datetime``, ``bool``); any other value goes through ``get_db_prep_save``;
* the first row of each shape is compiled by Django as well, and the shape is used only when
  Django's statement and parameters (values and their types) are exactly the same; otherwise that
  shape is always saved by Django on that connection;
* ``inserted`` writes a new row without ``save()`` at all (the audit trail, historical rows):
  built as ``Model.from_db`` builds one and inserted with ``insert_row``, for callers that checked
  that no save signal's receiver would see the difference (``save_observed``);
* a value that is an expression (``F()``, a database default, a subquery) makes Django save that
  row, as does anything else this module does not know (``raw`` saves, ``select_on_save``, a base
  manager with filters, a field with its own placeholder).
"""

import datetime
import decimal

from django.conf import settings
from django.db import connections, transaction
from django.db.models import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    EmailField,
    Field,
    ForeignKey,
    IntegerField,
    Model,
    OneToOneField,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SlugField,
    SmallAutoField,
    SmallIntegerField,
    TextField,
    URLField,
)
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery, UpdateQuery

from .loading import listened, row_instance
from .prepared import converted, converters_of

_TEXT = (CharField, TextField, SlugField, EmailField, URLField)
_INTEGER = (
    IntegerField,
    BigIntegerField,
    SmallIntegerField,
    PositiveIntegerField,
    PositiveBigIntegerField,
    PositiveSmallIntegerField,
)
_AUTO = (AutoField, BigAutoField, SmallAutoField)
_KEY = (ForeignKey, OneToOneField)


class _Unplain(Exception):
    """A value only Django's own path can save (an expression, a model instance)."""


def _general(field, connection):
    def prepare(value):
        if hasattr(value, "resolve_expression") or hasattr(value, "prepare_database_save"):
            raise _Unplain
        return field.get_db_prep_save(value, connection=connection)

    return prepare


def _preparer(field, connection):
    """What ``field.get_db_prep_save(value, connection)`` gives, by the field's kind."""
    general = _general(field, connection)
    kind = type(field)
    ops = connection.ops
    if kind in _TEXT:
        return lambda value: value if value is None or type(value) is str else general(value)
    if kind in _INTEGER:
        adapt, internal = ops.adapt_integerfield_value, field.get_internal_type()
        return lambda value: (
            None if value is None else adapt(value, internal) if type(value) is int else general(value)
        )
    if kind in _AUTO:
        validate = ops.validate_autopk_value
        return lambda value: (
            None if value is None else validate(value) if type(value) is int else general(value)
        )
    if kind in _KEY:
        target = _preparer(field.target_field, connection)
        return lambda value: (
            None if value is None else target(value) if type(value) is int else general(value)
        )
    if kind is BooleanField:
        return lambda value: value if type(value) is bool else general(value)
    if kind is DecimalField:
        adapt, digits, places = ops.adapt_decimalfield_value, field.max_digits, field.decimal_places
        return lambda value: (
            None
            if value is None
            else adapt(value, digits, places)
            if type(value) is decimal.Decimal and value.is_finite()
            else general(value)
        )
    if kind is DateField:
        adapt = ops.adapt_datefield_value
        return lambda value: (
            None if value is None else adapt(value) if type(value) is datetime.date else general(value)
        )
    if kind is DateTimeField and settings.USE_TZ:
        adapt = ops.adapt_datetimefield_value
        return lambda value: (
            None
            if value is None
            else adapt(value)
            if type(value) is datetime.datetime and value.utcoffset() is not None
            else general(value)
        )
    return general


def _reader(field):
    """How a row's value is taken for an INSERT: through ``pre_save`` where the field has its own
    (``auto_now`` and ``auto_now_add`` are read at each save: the demo loader turns them off for a
    while to write past dates)."""
    if type(field).pre_save is Field.pre_save:
        attname = field.attname
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.pre_save(obj, True)


def _attributes(value):
    """What a parameter object holds, for objects without ``==`` of their own (psycopg's ``Jsonb``)."""
    slots = []
    for klass in type(value).__mro__:
        names = getattr(klass, "__slots__", ())
        slots += [names] if isinstance(names, str) else list(names)
    return [getattr(value, name, None) for name in slots], getattr(value, "__dict__", None)


def _same(ours, django) -> bool:
    """The same parameters: values of the same types, equal (or holding equal values)."""
    return len(ours) == len(django) and all(
        type(a) is type(b) and (a == b or _attributes(a) == _attributes(b))
        for a, b in zip(ours, django, strict=True)
    )


def _own_placeholders(fields) -> bool:
    """Fields that write their own SQL around a value (``get_placeholder``): left to Django."""
    return any(hasattr(field, "get_placeholder") for field in fields)


def _statements(connection) -> dict:
    return connection.__dict__.setdefault("compiled_writes", {})


class _Insert:
    def __init__(self, model, fields, returning_fields, connection):
        self.model = model
        self.fields = fields
        self.returning_fields = returning_fields
        self.readers = [_reader(field) for field in fields]
        self.preparers = [_preparer(field, connection) for field in fields]
        self.sql = None

    def params(self, obj) -> list:
        return [prepare(read(obj)) for read, prepare in zip(self.readers, self.preparers, strict=True)]

    def compile(self, obj, params, connection) -> bool:
        """Django's statement for ``obj`` (its values already read): kept when ours is the same."""
        if _own_placeholders(self.fields):
            return False
        query = InsertQuery(self.model)
        query.insert_values(self.fields, [obj], raw=True)
        compiler = query.get_compiler(connection=connection)
        compiler.returning_fields = self.returning_fields
        statements = compiler.as_sql()
        if len(statements) != 1:
            return False
        sql, django_params = statements[0]
        if not _same(params, django_params):
            return False
        columns = [field.get_col(self.model._meta.db_table) for field in self.returning_fields]
        self.converters = converters_of(compiler, columns)
        self.returning_params = compiler.returning_params
        self.sql = sql
        return True

    def run(self, params, connection):
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            if not self.returning_fields:
                return []
            row = connection.ops.fetch_returned_insert_columns(cursor, self.returning_params)
        return [tuple(converted(list(row), self.converters, connection) if self.converters else row)]


def insert_row(obj, fields, returning_fields, using):
    """Insert ``obj`` as ``Model._do_insert`` does; ``None`` when Django must do it."""
    connection = connections[using]
    if not connection.features.can_return_columns_from_insert and returning_fields:
        return None
    model = type(obj)
    key = ("insert", model, tuple(fields), tuple(returning_fields or ()))
    statements = _statements(connection)
    statement = statements.get(key)
    if statement is False:
        return None
    fresh = statement is None
    if fresh:
        statement = _Insert(model, list(fields), list(returning_fields or ()), connection)
    try:
        params = statement.params(obj)
    except _Unplain:
        return None
    if fresh:
        compiled = statement.compile(obj, params, connection)
        statements[key] = statement if compiled else False
        if not compiled:
            return None
    return statement.run(params, connection)


def save_observed(model) -> bool:
    """Whether a receiver of ``model``'s save signals would see a row written without ``save()``."""
    return listened(pre_save, model) or listened(post_save, model)


def inserted(model, db, names, values, fields, returning_fields):
    """A new row of ``model`` (attnames ``names`` set to ``values``) built as ``Model.from_db``
    builds one and inserted with ``insert_row``: the instance, with its returned columns set, or
    ``None`` (nothing written) when Django must build or save it."""
    instance = row_instance(model, db, names, values)
    if instance is None:
        return None
    with transaction.mark_for_rollback_on_error(db):
        rows = insert_row(instance, fields, returning_fields, db)
    if rows is None:
        return None
    if returning_fields:
        for value, field in zip(rows[0], returning_fields, strict=True):
            setattr(instance, field.attname, value)
    return instance


class _Update:
    """One UPDATE shape: its columns, and (in its key) which of them are set to NULL, which Django
    writes as ``= NULL`` rather than as a parameter."""

    def __init__(self, fields):
        self.fields = fields
        self.sql = None

    def compile(self, base_qs, pk_val, values, params, connection) -> bool:
        if _own_placeholders(self.fields):
            return False
        query = base_qs.filter(pk=pk_val).query.chain(UpdateQuery)
        query.add_update_fields(
            [(field, None, value) for field, value in zip(self.fields, values, strict=True)]
        )
        query.annotations = {}
        if query.related_updates:
            return False
        sql, django_params = query.get_compiler(connection=connection).as_sql()
        if not _same(params, django_params):
            return False
        self.sql = sql
        return True

    def run(self, params, connection) -> int:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.rowcount


def _update_preparers(model, fields, connection):
    key = ("update preparers", model, tuple(fields))
    statements = _statements(connection)
    preparers = statements.get(key)
    if preparers is None:
        preparers = statements[key] = (
            [_preparer(field, connection) for field in fields],
            _preparer(model._meta.pk, connection),
        )
    return preparers


def update_params(model, fields, values, pk_val, connection):
    """The prepared values of an UPDATE (``None`` where the column is set to NULL) and its key."""
    preparers, pk = _update_preparers(model, fields, connection)
    prepared = [prepare(value) for prepare, value in zip(preparers, values, strict=True)]
    nulls = tuple(value is None for value in prepared)
    params = [value for value in prepared if value is not None]
    params.append(pk(pk_val))
    return params, ("update", model, tuple(fields), nulls)


def update_row(base_qs, pk_val, values, using):
    """``base_qs.filter(pk=pk_val)._update(values)`` as ``Model._do_update`` runs it, giving the
    number of rows changed; ``None`` when Django must do it."""
    model = base_qs.model
    if base_qs.query.where or base_qs.query.is_sliced or model._meta.select_on_save:
        return None
    if any(model_ is not None for _field, model_, _value in values):
        return None
    connection = connections[using]
    fields = [field for field, _model, _value in values]
    raw_values = [value for _field, _model, value in values]
    try:
        params, key = update_params(model, fields, raw_values, pk_val, connection)
    except _Unplain:
        return None
    statements = _statements(connection)
    statement = statements.get(key)
    if statement is False:
        return None
    if statement is None:
        statement = _Update(fields)
        compiled = statement.compile(base_qs, pk_val, raw_values, params, connection)
        statements[key] = statement if compiled else False
        if not compiled:
            return None
    return statement.run(params, connection)


def model_do_insert(self, manager, using, fields, returning_fields, raw):
    """``Model._do_insert`` through ``insert_row``; Django's own for what it does not take."""
    if not raw and manager.model is type(self):
        rows = insert_row(self, fields, returning_fields, using)
        if rows is not None:
            return rows
    return Model._do_insert(self, manager, using, fields, returning_fields, raw)


def model_do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
    """``Model._do_update`` through ``update_row``; Django's own for what it does not take."""
    if values:
        count = update_row(base_qs, pk_val, values, using)
        if count is not None:
            return count > 0
    return Model._do_update(self, base_qs, using, pk_val, values, update_fields, forced_update)
