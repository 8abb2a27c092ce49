"""Indexes that another index already serves (its leading columns) are dropped."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from autosales.core.schema import indexes_dropped


class Migration(migrations.Migration):

    dependencies = [
        ('parties', '0006_customer_name_trigram_plain'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        indexes_dropped(
            'parties',
            [
            migrations.AlterField(
                model_name='customer',
                name='owner',
                field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='owned_customers', to=settings.AUTH_USER_MODEL, verbose_name='owner salesperson'),
            ),
            ],
        ),
    ]
