"""``proportion`` / ``wilson_interval``: the error rate with Wilson and cluster-bootstrap CIs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from sim.experiments.stats import proportion, wilson_interval

from .helpers import binomial_band


def wilson_by_quadratic(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Textbook definition: the p with |p_hat - p| = z sqrt(p (1 - p) / n), i.e. the roots of
    (1 + z^2/n) p^2 - (2 p_hat + z^2/n) p + p_hat^2 = 0 (solved here with numpy.roots)."""
    ph = k / n
    roots = np.sort(np.roots([1 + z * z / n, -(2 * ph + z * z / n), ph * ph]).real)
    return float(roots[0]), float(roots[1])


# Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat. Med.
# 17:857-872, Table I, method 3 (score interval without continuity correction).
NEWCOMBE = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "lo", "hi"), NEWCOMBE)
def test_wilson_matches_published_values(k: int, n: int, lo: float, hi: float) -> None:
    est = wilson_interval(k, n)
    assert est.value == pytest.approx(k / n)
    assert est.lo == pytest.approx(lo, abs=5e-5)
    assert est.hi == pytest.approx(hi, abs=5e-5)


@pytest.mark.parametrize(("k", "n"), [(0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (7, 4000)])
def test_wilson_matches_textbook_and_scipy(k: int, n: int) -> None:
    est = proportion(k, n)
    lo, hi = wilson_by_quadratic(k, n)
    ci = sps.binomtest(k, n).proportion_ci(method="wilson")
    for ref_lo, ref_hi in ((lo, hi), (ci.low, ci.high)):
        assert est.lo == pytest.approx(max(ref_lo, 0.0), abs=1e-12)
        assert est.hi == pytest.approx(min(ref_hi, 1.0), abs=1e-12)


def test_counts_are_summed_and_zero_incidents_is_nan() -> None:
    assert proportion([1, 2], [10, 10]) == wilson_interval(3, 20)
    assert math.isnan(proportion(0, 0).value)
    with pytest.raises(ValueError, match="successes"):
        proportion(3, 2)
    with pytest.raises(ValueError, match="rng"):
        proportion([1, 0], [1, 1], cluster=[0, 1])


def test_per_incident_and_per_replication_forms_agree() -> None:
    # The same data as one row per incident (cluster = replication) or one row per replication
    # (each its own cluster): same units, same sums, same seed -> identical result.
    rng = np.random.default_rng(8)
    rep = np.repeat(np.arange(12), 15)
    errors = rng.random(rep.size) < 0.2
    per_incident = proportion(errors, np.ones(rep.size), cluster=rep, rng=3)
    per_rep = proportion(
        np.bincount(rep, weights=errors), np.bincount(rep), cluster=np.arange(12), rng=3
    )
    assert per_incident == per_rep


def test_clustered_errors_cover_and_wilson_does_not() -> None:
    # Each replication has its own error propensity p_r ~ Beta(2, 8) (mean 0.2): errors share
    # responders. The cluster bootstrap covers the true rate 0.2 at the nominal rate; Wilson,
    # treating the 1,000 incidents as independent, is too narrow.
    n_sets, n_reps, per_rep = 400, 40, 25
    rng = np.random.default_rng(9)
    rep = np.repeat(np.arange(n_reps), per_rep)
    hit_cluster = hit_wilson = 0
    for _ in range(n_sets):
        p_rep = rng.beta(2.0, 8.0, n_reps)
        errors = rng.random(rep.size) < p_rep[rep]
        c = proportion(errors, np.ones(rep.size), cluster=rep, rng=rng, n_boot=1000)
        w = proportion(int(errors.sum()), rep.size)
        hit_cluster += c.lo <= 0.2 <= c.hi
        hit_wilson += w.lo <= 0.2 <= w.hi
    lo, hi = binomial_band(0.95, n_sets)
    assert lo <= hit_cluster / n_sets <= hi
    assert hit_wilson / n_sets < lo


def test_singleton_clusters_approximate_wilson() -> None:
    # Independent incidents: the cluster bootstrap with one incident per cluster estimates
    # the binomial SE; its interval has about Wilson's width (n = 2000, p ~ 0.3, where
    # Wilson ~ Wald; 10% covers the Monte Carlo error of 4000 resamples).
    errors = np.random.default_rng(10).random(2000) < 0.3
    boot = proportion(errors, np.ones(2000), cluster=np.arange(2000), rng=4, n_boot=4000)
    wilson = proportion(int(errors.sum()), 2000)
    assert boot.hi - boot.lo == pytest.approx(wilson.hi - wilson.lo, rel=0.1)
