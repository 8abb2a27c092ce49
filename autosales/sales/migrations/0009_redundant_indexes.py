"""Indexes that another index already serves (its leading columns) are dropped."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from autosales.core.schema import indexes_dropped


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_redundant_indexes'),
        ('parties', '0007_redundant_indexes'),
        ('sales', '0008_history_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='order',
            name='sales_order_order_d_0a2432_idx',
        ),
        indexes_dropped(
            'sales',
            [
            migrations.AlterField(
                model_name='activity',
                name='user',
                field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='activities', to=settings.AUTH_USER_MODEL, verbose_name='by'),
            ),
            migrations.AlterField(
                model_name='fleetagreementline',
                name='agreement',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='sales.fleetagreement', verbose_name='agreement'),
            ),
            migrations.AlterField(
                model_name='lead',
                name='owner',
                field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='leads', to=settings.AUTH_USER_MODEL, verbose_name='salesperson'),
            ),
            migrations.AlterField(
                model_name='order',
                name='customer',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='parties.customer', verbose_name='customer'),
            ),
            migrations.AlterField(
                model_name='quote',
                name='customer',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='parties.customer', verbose_name='customer'),
            ),
            migrations.AlterField(
                model_name='salestarget',
                name='store',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.store', verbose_name='store'),
            ),
            ],
        ),
    ]
