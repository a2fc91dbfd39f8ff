"""Shared helpers for the statistics tests: tolerances derived from sampling error."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray


def binomial_band(p: float, trials: int, n_se: float = 3.0) -> tuple[float, float]:
    """The range a success fraction over ``trials`` falls in, ``p +- n_se`` standard errors.

    At 3 SE a correct implementation fails about 0.3% of the time; the seeds are fixed, so a
    passing test stays passing.
    """
    se = math.sqrt(p * (1 - p) / trials)
    return p - n_se * se, p + n_se * se


def lognormal_quantile(mu: float, sigma: float, q: float) -> float:
    """The q-quantile of a log-normal(mu, sigma), via the normal quantile (stdlib)."""
    from statistics import NormalDist

    return math.exp(mu + sigma * NormalDist().inv_cdf(q))


def clustered_lognormal(
    rng: np.random.Generator, n_reps: int, per_rep: int, mu: float, tau: float, sigma: float
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Durations with a replication effect: ``log x = mu + u_rep + e``, u ~ N(0, tau).

    The pooled (marginal) distribution is log-normal(mu, sqrt(tau^2 + sigma^2)), so its median
    and geometric mean are ``exp(mu)``; values within a replication are correlated with
    intra-class correlation ``tau^2 / (tau^2 + sigma^2)``.
    """
    rep = np.repeat(np.arange(n_reps), per_rep)
    logs = mu + rng.normal(0.0, tau, n_reps)[rep] + rng.normal(0.0, sigma, rep.size)
    return np.exp(logs), rep
