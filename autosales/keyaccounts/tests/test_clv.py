"""BG/NBD and Gamma-Gamma fitted by maximum likelihood reproduce the published CDNOW results
(Fader, Hardie & Lee 2005: r = 0.243, α = 4.414, a = 0.793, b = 2.426; spend p = 6.25, q = 3.74, γ = 15.44)."""

from pathlib import Path

import numpy as np
import pytest

from autosales.keyaccounts import clv

DATA = Path(__file__).parent / "data" / "cdnow_customers_summary_with_transactions.csv"


@pytest.fixture(scope="module")
def cdnow():
    return np.genfromtxt(DATA, delimiter=",", names=True)


def test_cdnow_sample_has_the_published_size(cdnow):
    assert len(cdnow) == 2357
    assert int((cdnow["x"] > 0).sum()) == 946


def test_bgnbd_fit_matches_the_published_cdnow_parameters(cdnow):
    p = clv.bgnbd_fit(cdnow["x"], cdnow["t_x"], cdnow["T"])
    assert round(p.r, 3) == 0.243
    assert round(p.alpha, 2) == 4.41
    assert round(p.a, 3) == 0.793
    assert round(p.b, 2) == 2.43


def test_gamma_gamma_fit_matches_the_published_cdnow_parameters(cdnow):
    repeat = cdnow["x"] > 0
    g = clv.gamma_gamma_fit(cdnow["x"][repeat], cdnow["zbar"][repeat])
    assert round(g.p, 2) == 6.25
    assert round(g.q, 2) == 3.74
    assert round(g.gamma, 1) == 15.4


def test_bgnbd_predictions_behave(cdnow):
    p = clv.BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
    # No repeat purchase: surely still "alive" under BG/NBD.
    assert clv.bgnbd_probability_alive(p, [0], [0], [38.86])[0] == 1.0
    # The same frequency, the later last purchase is the more likely to be alive.
    early, late = clv.bgnbd_probability_alive(p, [2, 2], [5.0, 35.0], [38.86, 38.86])
    assert early < late
    # Expected purchases grow with the horizon.
    e39, e78 = (
        clv.bgnbd_expected_purchases(p, t, np.array([2.0]), np.array([30.43]), np.array([38.86]))[0]
        for t in (39, 78)
    )
    assert 0 < e39 < e78


def test_gamma_gamma_shrinks_towards_the_population_mean():
    g = clv.GammaGammaParams(p=6.25, q=3.74, gamma=15.44)
    population = 6.25 * 15.44 / (3.74 - 1)
    one, many = clv.gamma_gamma_expected_spend(g, [1, 20], [100.0, 100.0])
    assert population < one < many < 100.0
