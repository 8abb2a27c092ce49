"""The configuration snapshot, the result container and the numeric helpers every step uses."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from scipy.stats import rankdata

from ..choices import AccountType, Grade, Normalisation, Tier
from ..facts import CustomerFacts

GRADES = (Grade.A, Grade.B, Grade.C, Grade.D)
TYPES = (AccountType.INTRINSIC, AccountType.EXTRINSIC, AccountType.STRATEGIC)
LONG_AGREEMENT_DAYS = 730
EPS = 1e-9


@dataclass
class Config:
    """A snapshot of the editable configuration the analysis uses."""

    vip_share: float = 0.01
    major_share: float = 0.04
    ordinary_share: float = 0.15
    tier_naming: str = "plain"
    normalisation: str = Normalisation.PERCENTILE
    grade_a: float = 0.75
    grade_b: float = 0.50
    grade_c: float = 0.25
    key_share: float = 0.05
    low_margin: float = 0.02
    big_ticket_share: float = 0.05
    decline_share: float = 0.30
    neglect_warning_share: float = 0.10
    concession_allowed: dict = field(
        default_factory=lambda: {Tier.VIP: 0.08, Tier.MAJOR: 0.06, Tier.ORDINARY: 0.04, Tier.SMALL: 0.03}
    )
    price_sensitive_discount: float = 0.05
    high_attach_rate: float = 0.50
    rates: dict = field(default_factory=dict)  # activity kind -> cost per activity (Decimal)
    # (indicator, group, weight) of the active scorecard indicators.
    indicators: list = field(default_factory=list)
    overrides: dict = field(default_factory=dict)  # customer id -> (account type, note)


def key_count(n: int, share: float) -> int:
    """How many of ``n`` customers a top ``share`` holds (at least one when the share is above zero)."""
    if n <= 0 or share <= 0:
        return 0
    return min(n, math.ceil(round(n * share, 9)))


def competition_rank(values: np.ndarray) -> np.ndarray:
    """1 for the largest value; equal values share the better rank ("1224")."""
    ordered = np.sort(-values)
    return np.searchsorted(ordered, -values, side="left") + 1


def normalise(values: np.ndarray, method: str) -> np.ndarray:
    """Scale to 0..1: percentile rank (ties averaged) or min–max. All-equal values score 0.5."""
    n = len(values)
    if n == 0:
        return values.astype(float)
    low, high = float(np.min(values)), float(np.max(values))
    if high - low < EPS:
        return np.full(n, 0.5)
    if method == Normalisation.MINMAX:
        return (values - low) / (high - low)
    return (rankdata(values, method="average") - 1) / (n - 1)


def safe_divide(numerator, denominator, default=0.0):
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, float(default))
    np.divide(numerator, denominator, out=out, where=np.abs(denominator) > EPS)
    return out


def money(value) -> Decimal:
    """A float that holds a cent amount, back to an exact Decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Decimal("0.00")
    return Decimal(repr(round(float(value), 2))).quantize(Decimal("0.01")) + Decimal("0.00")


def share(value) -> Decimal:
    return Decimal(repr(round(float(value), 4))).quantize(Decimal("0.0001"))


@dataclass
class Analysis:
    facts: CustomerFacts
    config: Config
    v: dict = field(default_factory=dict)  # derived per-customer arrays
    summary: dict = field(default_factory=dict)
    pyramid: list = field(default_factory=list)
    pareto: dict = field(default_factory=dict)
    scorecard: dict = field(default_factory=dict)
    comparison: dict = field(default_factory=dict)
    pitfalls: list = field(default_factory=list)
    types: dict = field(default_factory=dict)
    rfm: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.facts)
