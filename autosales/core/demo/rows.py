"""Light rows for bulk loading: plain objects with a model's column values, written in one statement.

Building Django model instances costs more than generating the data itself when millions of rows
are loaded, so the seed builds ``Row`` objects instead: the same attribute names (``customer``
and ``customer_id``, defaults filled in), a key given up front, and nothing else. Save hooks and
validation do not run; the seed fills every column itself (timestamps, ``vin_tail``).
"""

import datetime

from django.db import connection

BATCH_SIZE = 2000


class Row:
    """Column values of one row of ``_model``; related rows are kept under the field name too."""

    @property
    def pk(self):
        return self.__dict__["id"]

    @pk.setter
    def pk(self, value):
        self.__dict__["id"] = value

    def __repr__(self):
        return f"<Row {self._model.__name__} {self.__dict__.get('id')}>"


class RowFactory:
    """Called like the model's constructor; returns a ``Row`` with defaults and foreign key ids set."""

    def __init__(self, model):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.generated]
        self.foreign_keys = {f.name: f.attname for f in self.fields if f.is_relation}
        self.constants = {"_model": model}
        self.callables = {}
        for field in self.fields:
            if field.primary_key or field.is_relation:
                self.constants[field.attname] = None
                if field.is_relation:
                    self.constants[field.name] = None
            elif field.has_default() and callable(field.default):
                self.callables[field.attname] = field.default
            else:
                self.constants[field.attname] = field.get_default()

    def __call__(self, **values):
        row = Row()
        data = row.__dict__
        data.update(self.constants)
        for attname, default in self.callables.items():
            data[attname] = default()
        for name, value in values.items():
            attname = self.foreign_keys.get(name)
            if attname is not None and attname != name:
                data[name] = value
                data[attname] = value.pk if value is not None else None
            else:
                data[name] = value
        return row


_FACTORIES: dict = {}


def rows_of(model) -> RowFactory:
    factory = _FACTORIES.get(model)
    if factory is None:
        factory = _FACTORIES[model] = RowFactory(model)
    return factory


def _utc_text(value):
    # What Django's SQLite backend stores for an aware datetime: naive UTC as text.
    return str(value.replace(tzinfo=None) - value.utcoffset())


def _converter(field):
    internal = field.get_internal_type()
    if internal == "JSONField":
        return lambda value: field.get_db_prep_save(value, connection)
    if connection.vendor == "sqlite":
        if internal == "DateTimeField":
            return _utc_text
        if internal == "DateField":
            return datetime.date.isoformat
        return None
    if internal == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if internal == "DateField":
        return connection.ops.adapt_datefield_value
    return None


def insert_rows(model, rows):
    """Insert rows (``Row`` objects or model instances) whose primary keys are set."""
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    attnames = [f.attname for f in fields]
    converters = [(i, convert) for i, f in enumerate(fields) if (convert := _converter(f)) is not None]
    values = []
    for row in rows:
        data = row.__dict__
        record = [data[name] for name in attnames]
        for i, convert in converters:
            if record[i] is not None:
                record[i] = convert(record[i])
        values.append(record)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one command, several times faster than INSERTs.
            copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for record in values:
                    copy.write_row(record)
            return
        for start in range(0, len(values), BATCH_SIZE):
            cursor.executemany(sql, values[start : start + BATCH_SIZE])
