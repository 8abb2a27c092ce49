"""Status columns are compared whole: PostgreSQL keeps their index without its ``LIKE`` twin."""

from django.db import migrations

from autosales.core.schema import like_indexes_dropped


class Migration(migrations.Migration):

    dependencies = [
        ('aftersales', '0009_redundant_indexes'),
    ]

    operations = [
        like_indexes_dropped('aftersales', [('serviceorder', 'status'), ('complaint', 'status'), ('reminder', 'status')]),
    ]
