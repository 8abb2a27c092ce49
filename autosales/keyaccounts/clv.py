"""Repeat-purchase forecasts: BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma spend, fitted by
maximum likelihood with scipy.

Time is in weeks. ``x`` is the number of repeat transactions, ``t_x`` the time of the last one
after the first, ``T`` the time from the first transaction to the end of the observation.
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1

WEEKS_PER_YEAR = 52.1775


@dataclass(frozen=True)
class BgNbdParams:
    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    gamma: float


def _compress(*columns, weights=None):
    """Identical customers contribute identically: fit once per distinct row, weighted."""
    stacked = np.column_stack(columns)
    unique, inverse, counts = np.unique(stacked, axis=0, return_inverse=True, return_counts=True)
    if weights is not None:
        counts = np.bincount(inverse.ravel(), weights=weights)
    return [unique[:, i] for i in range(unique.shape[1])], counts.astype(float)


def bgnbd_log_likelihood(params, x, t_x, T):
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(
            x > 0,
            np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    return a1 + a2 + np.logaddexp(a3, a4)


def bgnbd_fit(x, t_x, T) -> BgNbdParams:
    """Maximum-likelihood BG/NBD parameters."""
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    if len(x) == 0:
        raise ValueError("no customers to fit")
    (ux, ut, uT), w = _compress(x, t_x, T)
    scale = max(float(np.mean(uT)), 1e-9)

    def objective(log_params):
        params = np.exp(log_params)
        # alpha is a time scale: work in units of the mean T for a better-conditioned search.
        params = (params[0], params[1] * scale, params[2], params[3])
        return -np.sum(w * bgnbd_log_likelihood(params, ux, ut, uT)) / w.sum()

    result = minimize(
        objective,
        x0=np.log([1.0, 1.0, 1.0, 1.0]),
        method="Nelder-Mead",
        options={"maxiter": 4000, "xatol": 1e-7, "fatol": 1e-10},
    )
    result = minimize(objective, x0=result.x, method="L-BFGS-B")
    r, alpha, a, b = np.exp(result.x)
    return BgNbdParams(r=float(r), alpha=float(alpha * scale), a=float(a), b=float(b))


def bgnbd_probability_alive(params: BgNbdParams, x, t_x, T):
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_ratio = (
            np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) + (r + x) * np.log((alpha + T) / (alpha + t_x))
        )
        odds = np.where(x > 0, np.exp(log_ratio), 0.0)
    return 1.0 / (1.0 + odds)


def bgnbd_expected_purchases(params: BgNbdParams, t, x, t_x, T):
    """Expected transactions in the next ``t`` weeks for customers with history (x, t_x, T)."""
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    z = t / (alpha + T + t)
    hyp = hyp2f1(r + x, b + x, a + b + x - 1, z)
    first = (a + b + x - 1) / (a - 1)
    second = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        denom = 1 + np.where(
            x > 0, a / np.maximum(b + x - 1, 1e-300) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0
        )
    return first * second / denom


def gamma_gamma_log_likelihood(params, x, m):
    p, q, gamma = params
    return (
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(gamma)
        + (p * x - 1) * np.log(m)
        + (p * x) * np.log(x)
        - (p * x + q) * np.log(x * m + gamma)
    )


def gamma_gamma_fit(x, m) -> GammaGammaParams:
    """Maximum-likelihood Gamma-Gamma parameters from repeat customers (x >= 1, mean spend m > 0)."""
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    keep = (x > 0) & (m > 0)
    x, m = x[keep], m[keep]
    if len(x) == 0:
        raise ValueError("no repeat customers to fit")
    (ux, um), w = _compress(x, m)
    scale = max(float(np.mean(um)), 1e-9)

    def objective(log_params):
        p, q, g = np.exp(log_params)
        return -np.sum(w * gamma_gamma_log_likelihood((p, q, g * scale), ux, um)) / w.sum()

    result = minimize(
        objective,
        x0=np.log([1.0, 1.0, 1.0]),
        method="Nelder-Mead",
        options={"maxiter": 4000, "xatol": 1e-7, "fatol": 1e-10},
    )
    result = minimize(objective, x0=result.x, method="L-BFGS-B")
    p, q, g = np.exp(result.x)
    return GammaGammaParams(p=float(p), q=float(q), gamma=float(g * scale))


def gamma_gamma_expected_spend(params: GammaGammaParams, x, m):
    """Expected mean transaction value; customers without repeats get the population mean."""
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    p, q, gamma = params.p, params.q, params.gamma
    population_mean = p * gamma / (q - 1) if q > 1 else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        individual = p * (gamma + x * m) / (p * x + q - 1)
    return np.where(x > 0, individual, population_mean)
