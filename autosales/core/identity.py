"""Valid identity numbers for demo data and tests (VINs, resident IDs, credit codes, mobiles)."""

import datetime
import random

from stdnum.cn import ric, uscc

from .validators import VIN_ALPHABET, vin_check_digit

# Real World Manufacturer Identifiers of makers building in China.
CHINESE_WMIS = (
    "LGX",
    "LFV",
    "LSV",
    "LVS",
    "LHG",
    "LFM",
    "LGB",
    "LSG",
    "LVG",
    "LRW",
    "LB3",
    "LDC",
    "LNB",
    "LJ1",
)
MODEL_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"


def model_year_code(year: int) -> str:
    return MODEL_YEAR_CODES[(year - 2010) % 30]


def make_vin(rng: random.Random, *, wmi: str | None = None, year: int = 2025) -> str:
    """A VIN with a correct check digit."""
    wmi = wmi or rng.choice(CHINESE_WMIS)
    vds = "".join(rng.choice(VIN_ALPHABET) for _ in range(5))
    serial = "".join(rng.choice("0123456789") for _ in range(6))
    plant = rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")
    draft = f"{wmi}{vds}0{model_year_code(year)}{plant}{serial}"
    return draft[:8] + vin_check_digit(draft) + draft[9:]


# Region codes that python-stdnum knows (a sample of prefecture-level codes).
RESIDENT_REGIONS = (
    "110101",
    "110102",
    "110105",
    "110108",
    "310101",
    "310104",
    "310105",
    "310106",
    "310107",
    "310109",
    "310110",
    "440103",
    "440104",
    "440105",
    "440106",
    "440303",
    "330102",
    "330103",
    "330106",
    "320102",
    "320104",
    "420102",
    "610102",
    "370102",
    "350203",
    "120101",
)


def make_resident_id(rng: random.Random, *, born: datetime.date | None = None) -> str:
    """A resident ID number whose region existed at the birth date and whose check digit is right."""
    for _attempt in range(200):
        birth = born or datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 38))
        body = f"{rng.choice(RESIDENT_REGIONS)}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
        number = body + ric.calc_check_digit(body + "0")
        if ric.is_valid(number):
            return number
    raise ValueError("no valid resident ID for that birth date")


USCC_REGIONS = ("110000", "110105", "310000", "310115", "440300", "440103", "330100", "320100", "510100")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_credit_code(rng: random.Random) -> str:
    """An 18-character unified social credit code with a valid check character."""
    registry = rng.choice(("91", "92", "93", "11", "12", "52"))
    region = rng.choice(USCC_REGIONS)
    org = "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    body = registry + region + org
    return body + uscc.calc_check_digit(body)


MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "170",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
)


def make_mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
