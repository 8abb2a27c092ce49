"""Money is Decimal with two places, rounded half up, never float."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value) -> Decimal:
    """Round any number (int, str, Decimal) to cents, half up. Floats are refused."""
    if isinstance(value, float):
        raise TypeError("money must not be a float; pass a str or Decimal")
    if value is None:
        return ZERO
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(numerator, denominator, places="0.0001") -> Decimal:
    """A safe ratio (0 when the denominator is 0), rounded half up."""
    numerator, denominator = Decimal(numerator or 0), Decimal(denominator or 0)
    if denominator == 0:
        return Decimal("0")
    return (numerator / denominator).quantize(Decimal(places), rounding=ROUND_HALF_UP)
