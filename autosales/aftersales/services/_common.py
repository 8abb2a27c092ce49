"""Helpers shared by the after-sales services: dates, workflow checks, numbers and row locks."""

import calendar
import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from autosales.core.exceptions import DomainError


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _check_transition(table, current, target, label):
    if target not in table.get(current, set()):
        raise DomainError(
            _("A %(what)s cannot go from “%(from)s” to “%(to)s”.")
            % {
                "what": label,
                "from": current.label if hasattr(current, "label") else current,
                "to": target.label,
            }
        )


def _decimal(value, field):
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError) as exc:
        raise DomainError({field: _("Enter a number.")}) from exc
    if not number.is_finite():
        raise DomainError({field: _("Enter a number.")})
    return number


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)
