"""History tables keep an index on the object's id only (besides history date and user)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from autosales.core.schema import indexes_dropped


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_exportlog'),
        ('inventory', '0004_history_indexes'),
        ('parties', '0005_history_indexes'),
        ('sales', '0007_order_not_overpaid_half_cent'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        indexes_dropped(
            'sales',
            [
        migrations.AlterField(
            model_name='historicalapprovalrule',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalapprovalrule',
            name='role',
            field=models.CharField(choices=[('salesperson', 'Salesperson'), ('sales_manager', 'Sales manager'), ('general_manager', 'General manager'), ('finance', 'Finance'), ('aftersales', 'After-sales advisor'), ('admin', 'Administrator')], max_length=20, verbose_name='role'),
        ),
        migrations.AlterField(
            model_name='historicalfleetagreement',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalfleetagreement',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.AlterField(
            model_name='historicalfleetagreement',
            name='customer',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.customer', verbose_name='customer'),
        ),
        migrations.AlterField(
            model_name='historicalfleetagreement',
            name='number',
            field=models.CharField(max_length=30, verbose_name='number'),
        ),
        migrations.AlterField(
            model_name='historicalfleetagreement',
            name='store',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.store', verbose_name='store'),
        ),
        migrations.AlterField(
            model_name='historicalfleetagreementline',
            name='agreement',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sales.fleetagreement', verbose_name='agreement'),
        ),
        migrations.AlterField(
            model_name='historicalfleetagreementline',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalfleetagreementline',
            name='trim',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inventory.trim', verbose_name='trim'),
        ),
        migrations.AlterField(
            model_name='historicalmarginfloor',
            name='car_model',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, help_text='Empty applies to every model.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inventory.carmodel', verbose_name='model'),
        ),
        migrations.AlterField(
            model_name='historicalmarginfloor',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalorder',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalorder',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.AlterField(
            model_name='historicalorder',
            name='customer',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.customer', verbose_name='customer'),
        ),
        migrations.AlterField(
            model_name='historicalorder',
            name='number',
            field=models.CharField(max_length=30, verbose_name='number'),
        ),
        migrations.AlterField(
            model_name='historicalorder',
            name='order_date',
            field=models.DateField(verbose_name='order date'),
        ),
        migrations.AlterField(
            model_name='historicalorder',
            name='quote',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sales.quote', verbose_name='quote'),
        ),
        migrations.AlterField(
            model_name='historicalorder',
            name='salesperson',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='salesperson'),
        ),
        migrations.AlterField(
            model_name='historicalorder',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('confirmed', 'Confirmed'), ('deposit_paid', 'Deposit paid'), ('allocated', 'Vehicle allocated'), ('paid', 'Paid in full'), ('delivered', 'Delivered'), ('closed', 'Closed'), ('cancelled', 'Cancelled')], default='draft', max_length=15, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='historicalorder',
            name='store',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.store', verbose_name='store'),
        ),
        migrations.AlterField(
            model_name='historicalorderline',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalorderline',
            name='order',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sales.order', verbose_name='order'),
        ),
        migrations.AlterField(
            model_name='historicalorderline',
            name='trade_in',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sales.tradeinappraisal', verbose_name='trade-in'),
        ),
        migrations.AlterField(
            model_name='historicalorderline',
            name='trim',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inventory.trim', verbose_name='trim'),
        ),
        migrations.AlterField(
            model_name='historicalorderline',
            name='vehicle',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inventory.vehicle', verbose_name='vehicle'),
        ),
        migrations.AlterField(
            model_name='historicalpayment',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalpayment',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.AlterField(
            model_name='historicalpayment',
            name='order',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sales.order', verbose_name='order'),
        ),
        migrations.AlterField(
            model_name='historicalpayment',
            name='paid_at',
            field=models.DateTimeField(verbose_name='paid at'),
        ),
        migrations.AlterField(
            model_name='historicalpayment',
            name='received_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AlterField(
            model_name='historicalquote',
            name='approved_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by'),
        ),
        migrations.AlterField(
            model_name='historicalquote',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalquote',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.AlterField(
            model_name='historicalquote',
            name='customer',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.customer', verbose_name='customer'),
        ),
        migrations.AlterField(
            model_name='historicalquote',
            name='fleet_agreement',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sales.fleetagreement', verbose_name='fleet agreement'),
        ),
        migrations.AlterField(
            model_name='historicalquote',
            name='lead',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sales.lead', verbose_name='lead'),
        ),
        migrations.AlterField(
            model_name='historicalquote',
            name='number',
            field=models.CharField(max_length=30, verbose_name='number'),
        ),
        migrations.AlterField(
            model_name='historicalquote',
            name='salesperson',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='salesperson'),
        ),
        migrations.AlterField(
            model_name='historicalquote',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('pending_approval', 'Pending approval'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('sent', 'Sent to customer'), ('accepted', 'Accepted'), ('expired', 'Expired'), ('cancelled', 'Cancelled')], default='draft', max_length=20, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='historicalquote',
            name='store',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.store', verbose_name='store'),
        ),
        migrations.AlterField(
            model_name='historicalquoteapproval',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalquoteapproval',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.AlterField(
            model_name='historicalquoteapproval',
            name='decided_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by'),
        ),
        migrations.AlterField(
            model_name='historicalquoteapproval',
            name='quote',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sales.quote', verbose_name='quote'),
        ),
        migrations.AlterField(
            model_name='historicalquoteline',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='historicalquoteline',
            name='quote',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sales.quote', verbose_name='quote'),
        ),
        migrations.AlterField(
            model_name='historicalquoteline',
            name='trade_in',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sales.tradeinappraisal', verbose_name='trade-in'),
        ),
        migrations.AlterField(
            model_name='historicalquoteline',
            name='trim',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inventory.trim', verbose_name='trim'),
        ),
        migrations.AlterField(
            model_name='historicalquoteline',
            name='vehicle',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inventory.vehicle', verbose_name='vehicle'),
        ),
        migrations.AlterField(
            model_name='historicaltaxrule',
            name='created_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='created at'),
        ),
                ],
        ),
    ]
