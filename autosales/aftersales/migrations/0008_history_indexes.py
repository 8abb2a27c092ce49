"""History tables keep an index on the object's id only (besides history date and user)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from autosales.core.schema import indexes_dropped


class Migration(migrations.Migration):

    dependencies = [
        ('aftersales', '0007_aftersales_settings'),
        ('core', '0003_exportlog'),
        ('inventory', '0003_history'),
        ('parties', '0004_customer_store_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        indexes_dropped(
            'aftersales',
            [
        migrations.AlterField(
            model_name='historicalserviceorder',
            name='advisor',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='service advisor'),
        ),
        migrations.AlterField(
            model_name='historicalserviceorder',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalserviceorder',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.AlterField(
            model_name='historicalserviceorder',
            name='customer',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.customer', verbose_name='customer'),
        ),
        migrations.AlterField(
            model_name='historicalserviceorder',
            name='number',
            field=models.CharField(max_length=30, verbose_name='number'),
        ),
        migrations.AlterField(
            model_name='historicalserviceorder',
            name='opened_at',
            field=models.DateTimeField(verbose_name='opened at'),
        ),
        migrations.AlterField(
            model_name='historicalserviceorder',
            name='status',
            field=models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('ready', 'Ready for pick-up'), ('closed', 'Closed (paid)'), ('cancelled', 'Cancelled')], default='open', max_length=12, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='historicalserviceorder',
            name='store',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.store', verbose_name='store'),
        ),
        migrations.AlterField(
            model_name='historicalserviceorder',
            name='vehicle',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inventory.vehicle', verbose_name='vehicle'),
        ),
                ],
        ),
    ]
