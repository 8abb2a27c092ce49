"""Querysets compiled once per database connection and run again with new values.

Compiling a queryset is most of the cost of a small query: for a row locked with three related
rows it is 1.0 ms of 1.1 ms, the statement itself a tenth of a millisecond. A workflow step reads
the same few shapes every time (the document it locks, its lines, its related rows), so those
reads are declared once with ``prepared`` and compiled once per connection, then run with the
step's values:

    _quote_locked = prepared(lambda pk: Quote.objects.select_for_update().filter(pk=pk))
    quote = _quote_locked.get(pk)

The builder is called with marks in place of its arguments; each mark must reach the statement's
parameters unchanged (an integer, a text or a date compared with ``exact``, ``gte``, ``in`` of one
value and the like), else ``prepared`` refuses the shape when it is first compiled. Rows are
built the way ``QuerySet`` builds them: the same converters, ``from_db``, ``select_related``
populators and annotations, so the instances are the ORM's. Querysets that need more
(``prefetch_related``, ``values()``, rows known to a related manager) are refused.
"""

import datetime
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import MAX_GET_RESULTS, ModelIterable, get_related_populators
from django.db.transaction import TransactionManagementError

# Marks are values no statement holds as a constant: integers near the top of a 32-bit column's
# range (so no field treats them as out of range), long texts and dates far ahead.
_INT_MARK = 2_147_000_000
_TEXT_MARK = "autosales-prepared-parameter-{}"
_DATE_MARK = datetime.date(9000, 1, 1)


def _marks(kinds) -> list:
    marks = []
    for position, kind in enumerate(kinds):
        if kind is int:
            marks.append(_INT_MARK + position)
        elif kind is str:
            marks.append(_TEXT_MARK.format(position))
        elif kind is datetime.date:
            marks.append(_DATE_MARK + datetime.timedelta(days=position))
        else:
            raise TypeError(f"prepared parameters are int, str or date, not {kind!r}")
    return marks


def _probes(kinds) -> list:
    """Ordinary values, with the characters a lookup would escape, to compile the shape a second time."""
    probes = []
    for position, kind in enumerate(kinds):
        if kind is int:
            probes.append(1 + position)
        elif kind is str:
            probes.append(f"a_%\\B{position}")
        else:
            probes.append(datetime.date(2001, 2, 3) + datetime.timedelta(days=position))
    return probes


def _accepts(kind, value) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is str:
        return isinstance(value, str)
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _adapted(connection, value):
    return connection.ops.adapt_datefield_value(value) if isinstance(value, datetime.date) else value


def _compile(queryset: QuerySet, connection, *, single: bool):
    query = queryset.query
    limit = None
    if single:
        # As QuerySet.get(): no ordering, and a limit that tells one row from several.
        if query.can_filter() and not query.distinct_fields:
            query.clear_ordering(force=True)
        if not query.select_for_update or connection.features.supports_select_for_update_with_limit:
            limit = MAX_GET_RESULTS
            query.set_limits(high=limit)
    compiler = query.get_compiler(using=queryset.db, connection=connection)
    sql, params = compiler.as_sql()
    return compiler, sql, list(params), limit


def converters_of(compiler, columns) -> list:
    """The ORM's converters of a compiled statement's ``columns``: ``(position, converters, expression)``."""
    return [
        (index, converters, expression)
        for index, (converters, expression) in compiler.get_converters(columns).items()
    ]


def converted(row: list, converters: list, connection) -> list:
    """``row`` with each column's converters applied in place, as the ORM applies them."""
    for index, functions, expression in converters:
        value = row[index]
        for function in functions:
            value = function(value, expression, connection)
        row[index] = value
    return row


class _Statement:
    """One shape compiled for one connection: its SQL, where the values go, how rows are built."""

    def __init__(self, build, kinds, *, single: bool):
        marks = _marks(kinds)
        queryset = build(*marks)
        connection = connections[queryset.db]
        if queryset._iterable_class is not ModelIterable:
            raise TypeError("prepared querysets return model instances (no values() or values_list())")
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise TypeError("prepared querysets cannot prefetch or come from a related manager")
        self.alias = queryset.db
        self.model = queryset.model
        self.kinds = kinds
        self.locks = bool(queryset.query.select_for_update) and connection.features.has_select_for_update
        compiler, self.sql, self.params, self.limit = _compile(queryset, connection, single=single)
        # Where each value goes, and whether it goes as the database adapts a date (a text on SQLite).
        self.slots = []
        for mark in marks:
            adapted = _adapted(connection, mark)
            places = [i for i, value in enumerate(self.params) if value in (mark, adapted)]
            if not places:
                raise ValueError(
                    f"a prepared parameter must reach the statement unchanged: {self.sql} {self.params!r}"
                )
            self.slots.append((places, adapted is not mark and self.params[places[0]] == adapted))
        # The same shape with ordinary values must give the same statement with those values in the
        # same places, as they are: a lookup that escapes, wraps or otherwise changes a value, or
        # whose statement depends on it, cannot be run this way.
        probes = _probes(kinds)
        _, sql, params, _ = _compile(build(*probes), connection, single=single)
        expected = list(self.params)
        for (places, adapt), probe in zip(self.slots, probes, strict=True):
            for place in places:
                expected[place] = _adapted(connection, probe) if adapt else probe
        if sql != self.sql or params != expected:
            raise ValueError(f"a prepared parameter must reach the statement unchanged: {sql} {params!r}")
        self.width = compiler.col_count if compiler.has_extra_select else None
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = converters_of(compiler, columns)
        klass_info = compiler.klass_info
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in compiler.select[self.start : self.end]]
        self.row_model = klass_info["model"]
        self.populators = get_related_populators(klass_info, compiler.select, self.alias)
        self.annotations = list((compiler.annotation_col_map or {}).items())

    def run(self, connection, values) -> list:
        if self.locks and connection.get_autocommit() and connection.features.supports_transactions:
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        if len(values) != len(self.kinds) or not all(map(_accepts, self.kinds, values)):
            raise TypeError(f"prepared parameters are {self.kinds!r}, not {values!r}")
        params = list(self.params)
        for (places, adapt), value in zip(self.slots, values, strict=True):
            if adapt:
                value = connection.ops.adapt_datefield_value(value)
            for place in places:
                params[place] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        objects = []
        for row in rows:
            if self.width is not None or self.converters:
                row = converted(
                    list(row[: self.width] if self.width is not None else row), self.converters, connection
                )
            obj = self.row_model.from_db(self.alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


class Prepared:
    """A queryset shape, compiled on first use on each connection (so per thread and database)."""

    def __init__(self, build: Callable[..., QuerySet], kinds: tuple):
        self.build = build
        self.kinds = kinds
        self.alias = None

    def _statement(self, single: bool):
        # Kept on the connection, so that they go with it.
        if self.alias is not None:
            connection = connections[self.alias]
            statement = connection.__dict__.get("prepared_statements", {}).get((self, single))
            if statement is not None:
                return statement, connection
        statement = _Statement(self.build, self.kinds, single=single)
        self.alias = statement.alias
        connection = connections[self.alias]
        connection.__dict__.setdefault("prepared_statements", {})[(self, single)] = statement
        return statement, connection

    def list(self, *values) -> list:
        """All rows, as ``list(queryset)`` would give them."""
        statement, connection = self._statement(False)
        return statement.run(connection, values)

    def get(self, *values):
        """The one row, as ``queryset.get()``: ``DoesNotExist`` or ``MultipleObjectsReturned`` otherwise."""
        statement, connection = self._statement(True)
        rows = statement.run(connection, values)
        if len(rows) == 1:
            return rows[0]
        model = statement.model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        limit = statement.limit
        count = len(rows) if not limit or len(rows) < limit else f"more than {limit - 1}"
        raise model.MultipleObjectsReturned(
            f"get() returned more than one {model._meta.object_name} -- it returned {count}!"
        )


def prepared(build: Callable[..., QuerySet], *kinds) -> Prepared:
    """Declare a queryset shape; ``kinds`` are the types of ``build``'s arguments (``int`` by default)."""
    if not kinds:
        kinds = (int,) * build.__code__.co_argcount
    return Prepared(build, kinds)
