from django.db import migrations


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS parties_customer_name_trgm "
            "ON parties_customer USING gin (upper(name) gin_trgm_ops)"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS parties_customer_mobile_prefix "
            "ON parties_customer (mobile text_pattern_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS parties_customer_name_trgm")
        cursor.execute("DROP INDEX IF EXISTS parties_customer_mobile_prefix")


class Migration(migrations.Migration):
    """Substring search on names (icontains compares UPPER(name)) and prefix search on mobiles stay fast on millions of rows."""

    dependencies = [("parties", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
