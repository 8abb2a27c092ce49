"""The group's after-sales settings."""

from django.db import transaction

from autosales.core.services import model_update

from ..models import AfterSalesSettings


def aftersales_settings_update(*, actor, **data) -> AfterSalesSettings:
    """Change the after-sales settings under a row lock, so two managers saving at once cannot
    combine into days out of order; the change is recorded with old and new values."""
    current = AfterSalesSettings.current()
    with transaction.atomic():
        locked = AfterSalesSettings.objects.select_for_update().get(pk=current.pk)
        return model_update(locked, actor=actor, data=data)
