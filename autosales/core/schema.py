"""Schema changes carried out the way the database does them cheapest."""

import copy

from django.db import migrations


def indexes_dropped(app_label: str, state_operations: list):
    """A migration operation: the ``AlterField`` operations that turn ``db_index`` off on columns,
    carried out by dropping those indexes.

    Django would carry each of them out on SQLite by copying the whole table, once per field;
    dropping the index is what actually changes, on every database.
    """
    fields = [(operation.model_name, operation.name) for operation in state_operations]

    def forwards(apps, schema_editor):
        for model_name, field_name in fields:
            model = apps.get_model(app_label, model_name)
            column = model._meta.get_field(field_name).column
            for name in schema_editor._constraint_names(
                model, [column], index=True, unique=False, primary_key=False
            ):
                schema_editor.execute(schema_editor._delete_index_sql(model, name))

    def backwards(apps, schema_editor):
        for model_name, field_name in fields:
            model = apps.get_model(app_label, model_name)
            field = copy.copy(model._meta.get_field(field_name))
            field.db_index = True
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))
            like = getattr(schema_editor, "_create_like_index_sql", None)
            statement = like(model, field) if like else None
            if statement is not None:
                schema_editor.execute(statement)

    return migrations.SeparateDatabaseAndState(
        state_operations=state_operations,
        database_operations=[migrations.RunPython(forwards, backwards, elidable=False)],
    )


def like_indexes_dropped(app_label: str, fields: list[tuple[str, str]]):
    """A migration operation: on PostgreSQL, drop the ``varchar_pattern_ops`` index Django adds
    beside the index of an indexed text column (``…_like``, for ``LIKE 'prefix%'``), for columns
    only ever compared whole (a status); the column's own index stays. Nothing on other databases.
    """

    def _like_index(schema_editor, model, field):
        return schema_editor._create_index_name(model._meta.db_table, [field.column], suffix="_like")

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for model_name, field_name in fields:
            model = apps.get_model(app_label, model_name)
            name = _like_index(schema_editor, model, model._meta.get_field(field_name))
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for model_name, field_name in fields:
            model = apps.get_model(app_label, model_name)
            statement = schema_editor._create_like_index_sql(model, model._meta.get_field(field_name))
            if statement is not None:
                schema_editor.execute(statement)

    return migrations.RunPython(forwards, backwards, elidable=False)
