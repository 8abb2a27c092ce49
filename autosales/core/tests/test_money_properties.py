from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autosales.core.money import CENT, ratio, to_money

amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=6)


@given(amounts)
def test_money_has_two_places_and_is_within_half_a_cent(value):
    rounded = to_money(value)
    assert rounded == rounded.quantize(CENT)
    assert abs(rounded - value) <= Decimal("0.005")


@given(amounts)
def test_rounding_is_idempotent_and_accepts_the_text_form(value):
    assert to_money(to_money(value)) == to_money(value)
    assert to_money(str(value)) == to_money(value)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_half_cents_round_away_from_zero(cents):
    half = Decimal(cents) / 100 + (Decimal("0.005") if cents >= 0 else Decimal("-0.005"))
    expected = Decimal(cents + (1 if cents >= 0 else -1)) / 100
    assert to_money(half) == expected


@given(st.floats(allow_nan=False))
def test_floats_are_refused(value):
    with pytest.raises(TypeError):
        to_money(value)


@given(amounts, amounts)
def test_ratio_is_zero_for_a_zero_denominator_and_close_otherwise(numerator, denominator):
    assert ratio(numerator, 0) == 0
    if abs(denominator) >= 1:
        assert abs(ratio(numerator, denominator) - numerator / denominator) <= Decimal("0.00005")
