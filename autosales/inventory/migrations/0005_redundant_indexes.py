"""Indexes that another index already serves (its leading columns) are dropped."""

import django.db.models.deletion
from django.db import migrations, models

from autosales.core.schema import indexes_dropped


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0004_history_indexes'),
    ]

    operations = [
        indexes_dropped(
            'inventory',
            [
            migrations.AlterField(
                model_name='carmodel',
                name='brand',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='models', to='inventory.brand', verbose_name='brand'),
            ),
            migrations.AlterField(
                model_name='vehicle',
                name='status',
                field=models.CharField(choices=[('ordered', 'Ordered from maker'), ('in_transit', 'In transit'), ('in_stock', 'In stock'), ('reserved', 'Reserved'), ('sold', 'Sold'), ('delivered', 'Delivered'), ('external', 'Customer vehicle (bought elsewhere)')], default='in_stock', max_length=12, verbose_name='status'),
            ),
            ],
        ),
    ]
