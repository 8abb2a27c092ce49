"""Document numbers unique per store, kind and year: SH01-2026-000123."""

from django.db import IntegrityError, connection, transaction

from .models import NumberSequence, Store


def _increment_sql() -> str:
    table, value = (
        connection.ops.quote_name(NumberSequence._meta.db_table),
        connection.ops.quote_name("last_value"),
    )
    where = "store_id = %s AND kind = %s AND year = %s"
    return f"UPDATE {table} SET {value} = {value} + 1 WHERE {where} RETURNING {value}"  # noqa: S608 - names from the model


def number_next(*, store: Store, kind: str, year: int, width: int = 6) -> str:
    """Issue the next number for (store, kind, year).

    The increment is one ``UPDATE … RETURNING`` (SQLite and PostgreSQL), so the row stays locked
    until the caller's transaction ends: two concurrent callers never receive the same number, and
    a number of a rolled-back transaction is issued again.
    """
    sql = _increment_sql()
    with transaction.atomic(savepoint=False):
        for _attempt in range(5):
            with connection.cursor() as cursor:
                cursor.execute(sql, [store.pk, kind, year])
                row = cursor.fetchone()
            if row is not None:
                return f"{store.code}-{year}-{row[0]:0{width}d}"
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(store=store, kind=kind, year=year, last_value=0)
            except IntegrityError:
                # Another transaction created the row first; take the update path.
                continue
        raise RuntimeError("could not issue a document number")
