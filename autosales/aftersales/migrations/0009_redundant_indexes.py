"""Indexes that another index already serves (its leading columns) are dropped."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from autosales.core.schema import indexes_dropped


class Migration(migrations.Migration):

    dependencies = [
        ('aftersales', '0008_history_indexes'),
        ('inventory', '0005_redundant_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        indexes_dropped(
            'aftersales',
            [
            migrations.AlterField(
                model_name='reminder',
                name='advisor',
                field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='service advisor'),
            ),
            migrations.AlterField(
                model_name='serviceorder',
                name='vehicle',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='service_orders', to='inventory.vehicle', verbose_name='vehicle'),
            ),
            ],
        ),
    ]
