"""Indexes that another index already serves (its leading columns) are dropped."""

import django.db.models.deletion
from django.db import migrations, models

from autosales.core.schema import indexes_dropped


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_exportlog'),
    ]

    operations = [
        indexes_dropped(
            'core',
            [
            migrations.AlterField(
                model_name='event',
                name='content_type',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype'),
            ),
            migrations.AlterField(
                model_name='numbersequence',
                name='store',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.store'),
            ),
            ],
        ),
    ]
