"""Column names of the exchange files (English and Chinese) and the parsing of cell values."""

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .readers import FileRefused


@dataclass(frozen=True)
class Column:
    key: str  # the English header, also the name used in code
    zh: str  # the Chinese header
    aliases: tuple[str, ...] = ()
    required: bool = False
    cost: bool = False  # shown and accepted only for users who may see cost

    def header(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.key


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-*:：()（）]", "", (name or "").replace("\ufeff", "")).lower()


def map_header(header: list[str], columns: tuple[Column, ...], *, require=None) -> tuple[dict, list[str]]:
    """Map each known column key to its index in ``header``.

    Returns (mapping, ignored header names). Missing required columns and a column given twice
    refuse the whole file.
    """
    lookup = {}
    for column in columns:
        for name in (column.key, column.zh, *column.aliases):
            lookup[_norm(name)] = column.key
    mapping: dict[str, int] = {}
    ignored = []
    for index, name in enumerate(header):
        key = lookup.get(_norm(name))
        if key is None:
            if name.strip():
                ignored.append(name.strip())
            continue
        if key in mapping:
            raise FileRefused(
                _("The column %(name)s appears twice (as %(first)s and %(second)s).")
                % {"name": key, "first": header[mapping[key]], "second": name}
            )
        mapping[key] = index
    required = [c for c in columns if c.required] if require is None else require
    missing = [c for c in required if c.key not in mapping]
    if missing:
        raise FileRefused(
            _("Required columns are missing: %(columns)s. The first row must name the columns.")
            % {"columns": ", ".join(f"{c.key} / {c.zh}" for c in missing)}
        )
    return mapping, ignored


def header_names(columns, lang: str) -> list[str]:
    return [c.header(lang) for c in columns]


# Parsers: text in, value out, ValidationError with a message for the user on bad input.

_MONEY_STRIP = re.compile(r"[,\s¥￥]|元$|CNY", re.IGNORECASE)
CENT = Decimal("0.01")


def parse_decimal(text: str, *, places: Decimal = CENT, max_digits: int = 14) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        # Thousands separators and currency signs, as spreadsheets format money.
        text = _MONEY_STRIP.sub("", text)
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValidationError(_("%(value)s is not a number.") % {"value": text}) from exc
    if not value.is_finite():
        raise ValidationError(_("%(value)s is not a number.") % {"value": text})
    value = value.quantize(places, rounding=ROUND_HALF_UP)
    if len(value.as_tuple().digits) > max_digits:
        raise ValidationError(_("%(value)s is too large.") % {"value": text})
    return value


def parse_int(text: str) -> int | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("%(value)s is not a whole number.") % {"value": text}) from exc
    if not value.is_finite() or value != value.to_integral_value():
        raise ValidationError(_("%(value)s is not a whole number.") % {"value": text})
    return int(value)


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%d.%m.%Y")


def parse_date(text: str) -> datetime.date | None:
    text = (text or "").strip()
    if not text:
        return None
    # A date exported with a midnight time ("2024-03-05 00:00:00") keeps only its date.
    text = re.sub(r"[ T]00:00(:00)?(\.0+)?$", "", text)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no zone
        except ValueError:
            continue
    raise ValidationError(_("%(value)s is not a date; write it as 2024-03-05.") % {"value": text})


_TRUE = {"1", "y", "yes", "true", "t", "是", "有", "√", "x"}
_FALSE = {"0", "n", "no", "false", "f", "否", "无", ""}


def parse_bool(text: str) -> bool:
    value = (text or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValidationError(_("%(value)s is not yes or no.") % {"value": text})


# Everyday Chinese words for the commonest choices, accepted besides the labels of the interface.
CHOICE_ALIASES = {
    "个人": "person",
    "企业": "company",
    "公司": "company",
    "单位": "company",
    "在库": "in_stock",
    "在途": "in_transit",
    "已交车": "delivered",
    "交车": "delivered",
    "已关闭": "closed",
    "关闭": "closed",
    "整车": "vehicle",
    "车辆": "vehicle",
    "精品": "accessory",
    "配件": "accessory",
    "保险": "insurance",
    "金融": "financing",
    "贷款": "financing",
    "保养套餐": "service_package",
    "上牌费": "fee",
    "加装": "upfitting",
}


def choice_lookup(choices) -> dict[str, str]:
    """Every accepted spelling of a choice (value, English label, Chinese label) → value."""
    values = set(choices.values)
    lookup = {_norm(word): value for word, value in CHOICE_ALIASES.items() if value in values}
    for language in ("en", "zh-hans", translation.get_language() or "en"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup[_norm(str(label))] = value
    for value, _label in choices.choices:
        lookup[_norm(value)] = value
    return lookup


def parse_choice(text: str, choices, lookup: dict | None = None) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    lookup = lookup or choice_lookup(choices)
    value = lookup.get(_norm(text))
    if value is None:
        allowed = ", ".join(str(v) for v in choices.values)
        raise ValidationError(
            _("%(value)s is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
        )
    return value
