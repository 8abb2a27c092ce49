"""The customer value scorecard on the hand-computed dealership (see test_figures).

Net profit: A 44,360 · B 5,500 · D = E 5,000 · C −4,100. Growth: A and C +100% (bought this year only),
B, D and E −100% (bought only the year before).
"""

from decimal import Decimal

import pytest

from autosales.core.exceptions import DomainError
from autosales.keyaccounts.choices import Grade
from autosales.keyaccounts.models import ScorecardIndicator
from autosales.keyaccounts.selectors import analysis_run, customer_positions, customer_rows
from autosales.keyaccounts.services import scorecard_set

from .builders import END, configure, dealership

D = Decimal
pytestmark = pytest.mark.django_db
HALF_AND_HALF = [("net_profit", "current", "0.5"), ("growth", "potential", "0.5")]


def rows(a):
    return {row["name"]: row for row in customer_rows(a, customer_positions(a), limit=None)}


def test_percentile_rank_scores_and_grades():
    configure(indicators=HALF_AND_HALF)
    dealership()
    r = rows(analysis_run(months=36, end=END))
    # Net profit percentile: C 0, D/E (2+3)/2 → 0.375, B 0.75, A 1. Growth: −100% ×3 → 0.25, +100% ×2 → 0.875.
    assert r["A 物流"]["score_current"] == D("1.0000")
    assert r["A 物流"]["score_potential"] == D("0.8750")
    assert r["A 物流"]["score"] == D("0.9375")
    assert r["B"]["score"] == D("0.5000")
    assert r["C"]["score"] == D("0.4375")
    assert r["D"]["score"] == r["E"]["score"] == D("0.3125")
    assert [r[n]["grade"] for n in ("A 物流", "B", "C", "D")] == [Grade.A, Grade.B, Grade.C, Grade.C]


def test_min_max_normalisation_is_an_option():
    configure(indicators=HALF_AND_HALF, normalisation="minmax")
    dealership()
    r = rows(analysis_run(months=36, end=END))
    assert r["A 物流"]["score"] == D("1.0000")
    assert r["B"]["score"] == D(str(round(0.5 * 9600 / 48460, 4)))
    assert r["C"]["score"] == D("0.5000")
    assert r["D"]["score"] == D(str(round(0.5 * 9100 / 48460, 4)))


def test_weights_that_do_not_sum_to_one_are_refused_and_change_nothing():
    configure()
    before = list(
        ScorecardIndicator.objects.order_by("indicator").values_list("indicator", "weight", "is_active")
    )
    with pytest.raises(DomainError) as excinfo:
        scorecard_set(
            actor=None,
            indicators=[
                {"indicator": "net_profit", "group": "current", "weight": "0.6"},
                {"indicator": "growth", "group": "potential", "weight": "0.35"},
            ],
        )
    assert "0.9500" in str(excinfo.value)
    assert "must add up to 1" in str(excinfo.value)
    after = list(
        ScorecardIndicator.objects.order_by("indicator").values_list("indicator", "weight", "is_active")
    )
    assert after == before


def test_weights_that_sum_to_one_replace_the_scorecard():
    configure()
    scorecard_set(
        actor=None,
        indicators=[
            {"indicator": "net_profit", "group": "current", "weight": "0.7"},
            {"indicator": "pipeline", "group": "potential", "weight": "0.3"},
        ],
    )
    active = dict(ScorecardIndicator.objects.filter(is_active=True).values_list("indicator", "weight"))
    assert active == {"net_profit": D("0.7000"), "pipeline": D("0.3000")}


def test_unknown_indicator_is_refused():
    with pytest.raises(DomainError):
        scorecard_set(actor=None, indicators=[{"indicator": "luck", "group": "current", "weight": "1"}])


def test_default_weights_sum_to_one():
    total = sum(ScorecardIndicator.objects.filter(is_active=True).values_list("weight", flat=True))
    assert total == D("1")
