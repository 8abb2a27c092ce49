"""History tables keep an index on the object's id only (besides history date and user)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from autosales.core.schema import indexes_dropped


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_exportlog'),
        ('inventory', '0003_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        indexes_dropped(
            'inventory',
            [
        migrations.AlterField(
            model_name='historicaltrim',
            name='car_model',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inventory.carmodel', verbose_name='model'),
        ),
        migrations.AlterField(
            model_name='historicaltrim',
            name='code',
            field=models.CharField(max_length=30, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='historicaltrim',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalvehicle',
            name='colour',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inventory.colour', verbose_name='colour'),
        ),
        migrations.AlterField(
            model_name='historicalvehicle',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalvehicle',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.AlterField(
            model_name='historicalvehicle',
            name='status',
            field=models.CharField(choices=[('ordered', 'Ordered from maker'), ('in_transit', 'In transit'), ('in_stock', 'In stock'), ('reserved', 'Reserved'), ('sold', 'Sold'), ('delivered', 'Delivered'), ('external', 'Customer vehicle (bought elsewhere)')], default='in_stock', max_length=12, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='historicalvehicle',
            name='store',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.store', verbose_name='store'),
        ),
        migrations.AlterField(
            model_name='historicalvehicle',
            name='trim',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inventory.trim', verbose_name='trim'),
        ),
        migrations.AlterField(
            model_name='historicalvehicle',
            name='vin',
            field=models.CharField(max_length=17, verbose_name='VIN'),
        ),
        migrations.AlterField(
            model_name='historicalvehicle',
            name='vin_tail',
            field=models.CharField(editable=False, max_length=6, verbose_name='last 6 of VIN'),
        ),
                ],
        ),
    ]
