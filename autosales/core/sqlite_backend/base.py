"""SQLite backend whose decimal results are exact to their field's places, and whose planner has
statistics.

SQLite keeps decimals as REAL, so ``Sum()`` of money comes back as float noise such as
99.9999999999986. Django rounds plain columns to their decimal places but not expressions;
here every decimal result with known places is rounded half up to them, so totals are exact
to the cent on SQLite as on PostgreSQL.

Without statistics SQLite's planner may pick the wrong index: for "this customer's quotes in
this store" it walked the store's index (15 ms at 100,000 customers) instead of the customer's
(0.1 ms). As SQLite advises for connections that come and go, each connection runs
``PRAGMA optimize`` before it closes, which analyses the tables it used that have no statistics
or have grown much since; ``analysis_limit`` (settings) keeps that to milliseconds on a large
database. After ``migrate`` a database that has statistics is analysed again at once
(``statistics_after_migrate``): a new index without them can be preferred to a better one.

Django rewrites every statement's ``%s`` marks to SQLite's ``?`` with a regular expression on each
run (10 µs for a quote's INSERT); the rewritten text of the statements run most is kept.
"""

import contextlib
import decimal
import functools

from django.db import connections
from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def get_decimalfield_converter(self, expression):
        places = getattr(expression.output_field, "decimal_places", None)
        if places is None:
            return super().get_decimalfield_converter(expression)
        create_decimal = decimal.Context(prec=15).create_decimal_from_float
        quantize_value = decimal.Decimal(1).scaleb(-places)

        def converter(value, expression, connection):
            if value is not None:
                return create_decimal(value).quantize(quantize_value, rounding=decimal.ROUND_HALF_UP)

        return converter


# Statements longer than this (bulk inserts, long IN lists) differ run to run and are not kept.
_KEPT_LENGTH = 8192


@functools.lru_cache(maxsize=2048)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None and len(query) <= _KEPT_LENGTH:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)

    def _close(self):
        if self.connection is not None and not self.in_atomic_block:
            with contextlib.suppress(base.Database.Error):
                # Statistics are not worth waiting for a writer: skip them while one is busy.
                self.connection.execute("PRAGMA busy_timeout=0")
                self.connection.execute("PRAGMA optimize")
        super()._close()


def statistics_after_migrate(using="default", **kwargs):
    """``post_migrate``: on SQLite, statistics for new indexes of a database that keeps them."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("ANALYZE")
