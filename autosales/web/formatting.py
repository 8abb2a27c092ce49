"""How values are shown to people: money, numbers and dates in the active language and time zone."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.translation import get_language

CURRENCY_SYMBOL = "¥"


def _group(digits: str) -> str:
    # Both interface languages group money by thousands with commas (¥1,234,567.00).
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return ",".join(parts)


def format_number(value, places: int = 0) -> str:
    """A number with thousands separators and ``places`` decimals, rounded half up; '' for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    quantum = Decimal(1).scaleb(-places) if places else Decimal(1)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _sep, fraction = text.partition(".")
    result = sign + _group(whole)
    if places:
        result += "." + fraction.ljust(places, "0")
    return result


def format_money(value) -> str:
    """¥ with thousands separators and two decimals: ¥1,234,567.00 (negative: -¥1,234.50)."""
    if value is None or value == "":
        return ""
    text = format_number(value, 2)
    if text.startswith("-"):
        return f"-{CURRENCY_SYMBOL}{text[1:]}"
    return f"{CURRENCY_SYMBOL}{text}"


def _date_format() -> str:
    return "Y-m-d" if (get_language() or "").startswith("zh") else "M j, Y"


def format_date(value) -> str:
    """A date (or the local date of a datetime) in the active language."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return formats.date_format(value, _date_format())


def format_datetime(value) -> str:
    """A moment in the local time zone, e.g. 2026-11-27 16:05 (zh) or Nov 27, 2026 16:05 (en)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, _date_format() + " H:i")
