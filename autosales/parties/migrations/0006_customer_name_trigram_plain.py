from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS parties_customer_name_trgm_plain "
            "ON parties_customer USING gin (name gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS parties_customer_name_trgm_plain")


class Migration(migrations.Migration):
    """A search without letters of either case (a Chinese name, digits) compares ``name LIKE …``
    (``autosales.core.search``); this index finds those rows among every store's customers, as
    ``parties_customer_name_trgm`` does for ``UPPER(name) LIKE …``."""

    dependencies = [("parties", "0005_history_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
