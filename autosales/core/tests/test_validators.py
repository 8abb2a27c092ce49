import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from autosales.core.identity import (
    CHINESE_WMIS,
    make_credit_code,
    make_mobile,
    make_resident_id,
    make_vin,
    model_year_code,
)
from autosales.core.validators import (
    normalize_mobile,
    normalize_vin,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
    validate_vin,
    vin_check_digit,
)

# Published examples with known check characters.
GOOD_VIN = "1M8GDM9AXKP042788"  # ISO 3779 worked example; check digit X
GOOD_RESIDENT_ID = "11010519491231002X"  # GB 11643 example
GOOD_CREDIT_CODE = "91110000600037341L"

seeds = st.integers(min_value=0, max_value=2**32 - 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def codes(exc: pytest.ExceptionInfo) -> set[str]:
    return {error.code for error in exc.value.error_list}


def with_wrong_last_char(value: str, alphabet: str) -> str:
    return value[:-1] + next(ch for ch in alphabet if ch != value[-1])


# VIN


def test_published_vin_is_accepted_and_its_check_digit_computed():
    assert vin_check_digit(GOOD_VIN) == "X"
    validate_vin(GOOD_VIN)


def test_vin_is_normalised_to_capitals_without_spaces():
    assert normalize_vin(" 1m8gdm9a xkp042788 ") == GOOD_VIN
    validate_vin(" 1m8gdm9a xkp042788 ")


@pytest.mark.parametrize("vin", ["", "1M8GDM9AXKP04278", "1M8GDM9AXKP0427888"])
def test_vin_of_wrong_length_is_refused_with_its_length(vin):
    with pytest.raises(ValidationError) as exc:
        validate_vin(vin)
    assert codes(exc) == {"vin_length"}
    assert str(len(vin)) in exc.value.messages[0]


@pytest.mark.parametrize("letter", ["I", "O", "Q"])
def test_vin_with_letters_i_o_q_is_refused(letter):
    vin = GOOD_VIN[:3] + letter + GOOD_VIN[4:]
    with pytest.raises(ValidationError) as exc:
        validate_vin(vin)
    assert codes(exc) == {"vin_chars"}


def test_vin_with_punctuation_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_vin("1M8GDM9AXKP04278-")
    assert codes(exc) == {"vin_chars"}


def test_vin_with_wrong_check_digit_names_the_expected_digit():
    wrong = GOOD_VIN[:8] + "5" + GOOD_VIN[9:]
    with pytest.raises(ValidationError) as exc:
        validate_vin(wrong)
    assert codes(exc) == {"vin_check"}
    message = exc.value.messages[0]
    assert "should be X" in message
    assert "not 5" in message


@given(seed=seeds)
def test_vin_with_any_other_check_digit_is_refused(seed):
    vin = make_vin(random.Random(seed))
    for digit in "0123456789X":
        candidate = vin[:8] + digit + vin[9:]
        if digit == vin[8]:
            validate_vin(candidate)
        else:
            with pytest.raises(ValidationError):
                validate_vin(candidate)


@given(seed=seeds, year=st.integers(min_value=2010, max_value=2039))
def test_generated_vins_are_always_valid(seed, year):
    vin = make_vin(random.Random(seed), year=year)
    validate_vin(vin)
    assert vin[:3] in CHINESE_WMIS
    assert vin[9] == model_year_code(year)


# Mobile numbers


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+86-138-0013-8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        (" 138 0013 8000 ", "13800138000"),
    ],
)
def test_mobile_prefix_and_spaces_are_normalised(raw, normal):
    assert normalize_mobile(raw) == normal
    validate_mobile(raw)


@pytest.mark.parametrize(
    "number",
    [
        "021-62345678",  # Shanghai landline
        "02162345678",
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "23800138000",  # does not start with 1
        "abcdefghijk",
        "",
    ],
)
def test_landlines_and_malformed_mobiles_are_refused(number):
    with pytest.raises(ValidationError) as exc:
        validate_mobile(number)
    assert codes(exc) == {"mobile_format"}


def test_unallocated_mobile_prefix_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_mobile("12000138000")
    assert codes(exc) == {"mobile_invalid"}


@given(seed=seeds)
def test_generated_mobiles_are_always_valid(seed):
    validate_mobile(make_mobile(random.Random(seed)))


# Resident ID numbers


def test_published_resident_id_is_accepted_in_either_case():
    validate_resident_id(GOOD_RESIDENT_ID)
    validate_resident_id(GOOD_RESIDENT_ID.lower())


def test_resident_id_with_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(with_wrong_last_char(GOOD_RESIDENT_ID, "0123456789X"))
    assert codes(exc) == {"ric_invalid"}


@pytest.mark.parametrize(
    "birth",
    [
        "19990230",
        "19991301",
        "20991231",
    ],
)
def test_resident_id_with_impossible_or_future_birth_date_is_refused(birth):
    body = f"110105{birth}002"
    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(number)
    assert codes(exc) == {"ric_invalid"}


def test_resident_id_of_wrong_length_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(GOOD_RESIDENT_ID[:-1])
    assert codes(exc) == {"ric_length"}


@given(seed=seeds)
def test_generated_resident_ids_are_always_valid(seed):
    validate_resident_id(make_resident_id(random.Random(seed)))


# Unified social credit codes


def test_published_credit_code_is_accepted():
    validate_credit_code(GOOD_CREDIT_CODE)
    validate_credit_code(" 91110000600037341l ")


def test_credit_code_with_wrong_check_character_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(with_wrong_last_char(GOOD_CREDIT_CODE, "0123456789ABCDEFGHJKLMNPQRTUWXY"))
    assert codes(exc) == {"uscc_invalid"}


def test_credit_code_of_wrong_length_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(GOOD_CREDIT_CODE + "1")
    assert codes(exc) == {"uscc_length"}


@settings(max_examples=200)
@given(seed=seeds)
def test_generated_credit_codes_are_always_valid(seed):
    code = make_credit_code(random.Random(seed))
    validate_credit_code(code)
    assert uscc.is_valid(code)
