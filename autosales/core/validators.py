"""Identity checks shared by models, forms, the API and imports."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_RE = re.compile(r"^[0-9A-HJ-NPR-Z]{17}$")


def vin_check_digit(vin: str) -> str:
    """The check digit (position 9) of a 17-character VIN, per ISO 3779 / GB 16735 (mod 11, X for 10)."""
    total = sum(_VIN_VALUES[ch] * w for ch, w in zip(vin, _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def normalize_vin(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_vin(value: str) -> None:
    vin = normalize_vin(value)
    if len(vin) != 17:
        raise ValidationError(
            _("A VIN has 17 characters; this one has %(n)d."), code="vin_length", params={"n": len(vin)}
        )
    if not _VIN_RE.match(vin):
        raise ValidationError(
            _("A VIN uses only digits and capital letters other than I, O and Q."), code="vin_chars"
        )
    expected = vin_check_digit(vin)
    if vin[8] != expected:
        raise ValidationError(
            _("The VIN check digit (9th character) should be %(expected)s, not %(found)s."),
            code="vin_check",
            params={"expected": expected, "found": vin[8]},
        )


def normalize_mobile(value: str) -> str:
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mobile(value: str) -> None:
    number = normalize_mobile(value)
    if not re.fullmatch(r"1\d{10}", number):
        raise ValidationError(
            _("A mainland mobile number has 11 digits and starts with 1."), code="mobile_format"
        )
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a valid mobile number."), code="mobile_invalid") from exc
    if not phonenumbers.is_valid_number(parsed) or phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(_("This is not a valid mobile number."), code="mobile_invalid")


def normalize_code(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_resident_id(value: str) -> None:
    code = normalize_code(value)
    if len(code) != 18:
        raise ValidationError(_("A resident ID number has 18 characters."), code="ric_length")
    try:
        ric.validate(code)
    except StdnumError as exc:
        raise ValidationError(
            _("This resident ID number is not valid (check digit, birth date or region code)."),
            code="ric_invalid",
        ) from exc
    if ric.get_birth_date(code) > timezone.localdate():
        raise ValidationError(
            _("The birth date in this resident ID number is in the future."), code="ric_invalid"
        )


def validate_credit_code(value: str) -> None:
    code = normalize_code(value)
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="uscc_length")
    try:
        uscc.validate(code)
    except StdnumError as exc:
        raise ValidationError(
            _("This unified social credit code is not valid (check the last character)."), code="uscc_invalid"
        ) from exc
