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
"""

import contextlib
import decimal

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


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

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
