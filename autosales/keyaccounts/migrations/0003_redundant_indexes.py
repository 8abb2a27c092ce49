"""Indexes that another index already serves (its leading columns) are dropped."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from autosales.core.schema import indexes_dropped


class Migration(migrations.Migration):

    dependencies = [
        ('keyaccounts', '0002_defaults'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        indexes_dropped(
            'keyaccounts',
            [
            migrations.AlterField(
                model_name='planaction',
                name='owner',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='account_plan_actions', to=settings.AUTH_USER_MODEL, verbose_name='owner'),
            ),
            ],
        ),
    ]
