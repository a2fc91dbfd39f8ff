"""``paired_difference``, ``variance_reduction``, ``per_replication_stat``."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy import stats as sps

from sim.experiments.stats import (
    Stat,
    paired_difference,
    per_replication_stat,
    variance_reduction,
)

from .helpers import binomial_band

STATS: tuple[Stat, ...] = ("mean", "median", "p90", "geomean")
Reps = list[NDArray[np.float64]]


def crn_pair(
    rng: np.random.Generator,
    n_reps: int,
    per_rep: int,
    ratio: float,
    noise: float,
    ragged: bool = False,
) -> tuple[Reps, Reps]:
    """Replications run on the same seeds: both strategies face the same incidents.

    ``log TTR = 3 + u_rep + v_incident + e``: the replication effect u (sd 0.5) and the
    incident's own difficulty v (sd 1.0) are common random numbers, shared by a and b; the
    strategy-specific noise e has sd ``noise``. Strategy b multiplies durations by ``ratio``.
    Marginally both are log-normal with the same log-sd, so every quantile and the geometric
    mean of b are ``ratio`` times those of a.
    """
    a: Reps = []
    b: Reps = []
    for _ in range(n_reps):
        m = int(rng.integers(per_rep // 2, per_rep * 2)) if ragged else per_rep
        common = 3.0 + rng.normal(0.0, 0.5) + rng.normal(0.0, 1.0, m)
        a.append(np.exp(common + rng.normal(0.0, noise, m)))
        b.append(ratio * np.exp(common + rng.normal(0.0, noise, m)))
    return a, b


@pytest.mark.parametrize("stat", STATS)
def test_exact_proportional_shift_is_recovered_exactly(stat: Stat) -> None:
    # b = 0.8 a incident by incident. Every statistic scales, in every resample, because a
    # and b are resampled jointly: the relative change is -20% with a zero-width interval.
    rng = np.random.default_rng(1)
    a = [rng.lognormal(3.0, 1.25, int(rng.integers(5, 40))) for _ in range(25)]
    b = [0.8 * x for x in a]
    paired = paired_difference(a, b, rng=2, stat=stat)
    assert paired.relative_pct.value == pytest.approx(-20.0)
    assert paired.relative_pct.lo == pytest.approx(-20.0)
    assert paired.relative_pct.hi == pytest.approx(-20.0)
    assert paired.value == pytest.approx(-0.2 * paired.a)
    assert paired.lo < paired.value < paired.hi  # the *absolute* difference still varies
    unpaired = paired_difference(a, b, rng=2, stat=stat, paired=False)
    assert unpaired.relative_pct.hi - unpaired.relative_pct.lo > 5.0


def test_additive_shift_of_the_mean() -> None:
    rng = np.random.default_rng(3)
    a = [rng.lognormal(3.0, 1.0, 30) + 10.0 for _ in range(20)]
    b = [x - 5.0 for x in a]
    est = paired_difference(a, b, rng=4, stat="mean")
    assert est.value == pytest.approx(-5.0)
    assert est.lo == pytest.approx(-5.0) and est.hi == pytest.approx(-5.0)
    assert est.se == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("stat", STATS)
def test_pairing_narrows_the_interval(stat: Stat) -> None:
    # Strongly correlated a/b (incident difficulty shared, strategy noise sd 0.3 vs 1.1 total):
    # the paired interval must be much narrower than the one that ignores pairing.
    a, b = crn_pair(np.random.default_rng(5), 30, 40, ratio=0.9, noise=0.3)
    paired = paired_difference(a, b, rng=6, stat=stat)
    unpaired = paired_difference(a, b, rng=6, stat=stat, paired=False)
    assert paired.value == unpaired.value
    assert paired.hi - paired.lo < 0.6 * (unpaired.hi - unpaired.lo)
    assert (unpaired.se / paired.se) ** 2 > 2.5  # the bootstrap variance-reduction factor


def test_paired_interval_covers_known_shift() -> None:
    # b is 20% faster. True pooled geometric means exp(3) and 0.8 exp(3): the difference is
    # -0.2 exp(3), and likewise for the median (log-normal marginals). 300 experiments of 30
    # ragged replications; the paired percentile CI should cover at the nominal rate.
    n_sets = 300
    truth = -0.2 * math.exp(3.0)
    rng = np.random.default_rng(7)
    hits: dict[Stat, int] = dict.fromkeys(("geomean", "median"), 0)
    for _ in range(n_sets):
        a, b = crn_pair(rng, 30, 20, ratio=0.8, noise=0.4, ragged=True)
        for stat in hits:
            est = paired_difference(a, b, rng=rng, stat=stat, n_boot=1000)
            hits[stat] += est.lo <= truth <= est.hi
    lo, hi = binomial_band(0.95, n_sets)
    for stat, h in hits.items():
        assert lo <= h / n_sets <= hi, (stat, h / n_sets)


def test_rate_difference() -> None:
    # Error indicators per incident; b halves the error probability on the same incidents.
    rng = np.random.default_rng(8)
    u = [rng.random(50) for _ in range(40)]  # common random numbers per incident
    a = [x < 0.2 for x in u]
    b = [x < 0.1 for x in u]
    est = paired_difference(a, b, rng=9, stat="rate")
    rate_a = np.mean(np.concatenate(a))
    rate_b = np.mean(np.concatenate(b))
    assert est.a == pytest.approx(rate_a) and est.b == pytest.approx(rate_b)
    assert est.value == pytest.approx(rate_b - rate_a)
    assert est.hi < 0  # a clear improvement
    # b's errors are a subset of a's: the pairing removes most of the variance.
    unpaired = paired_difference(a, b, rng=9, stat="rate", paired=False)
    assert est.hi - est.lo < unpaired.hi - unpaired.lo


def test_variance_reduction_values() -> None:
    assert variance_reduction([1.0, 2.0, 3.0], [2.0, 4.0, 6.0]) == pytest.approx(4.0)
    assert variance_reduction([1.0, 1.0], [1.0, 2.0]) == math.inf
    assert math.isnan(variance_reduction([1.0, 1.0], [2.0, 2.0]))
    assert math.isnan(variance_reduction([1.0], [1.0, 2.0]))


def test_variance_reduction_of_independent_samples_is_f_distributed() -> None:
    # Same variance on both sides: the ratio of sample variances is F(n-1, n-1); check it
    # falls inside its central 99.9% range for a fixed seed.
    rng = np.random.default_rng(10)
    n = 200
    ratio = variance_reduction(rng.normal(0, 1, n), rng.normal(0, 1, n))
    assert sps.f.ppf(0.0005, n - 1, n - 1) < ratio < sps.f.ppf(0.9995, n - 1, n - 1)


def test_crn_variance_reduction_from_per_replication_differences() -> None:
    # Per-replication log geometric-mean differences under CRN, vs b taken from the *next*
    # replication (what independent seeds would give). Model theory, m = 30 incidents:
    # Var paired = 2 noise^2 / m = 0.006; Var independent = 2 (0.5^2 + 1/m + noise^2 / m)
    # = 0.573; factor ~95. A sample-variance ratio over 200 replications lies within
    # [0.63, 1.58] x the truth 99.9% of the time (F(199, 199)); 40 leaves room for the mild
    # serial correlation of the rolled differences. Without pairing the factor would be ~1.
    a, b = crn_pair(np.random.default_rng(11), 200, 30, ratio=0.9, noise=0.3)
    la = np.log(per_replication_stat(a, "geomean"))
    lb = np.log(per_replication_stat(b, "geomean"))
    factor = variance_reduction(lb - la, np.roll(lb, 1) - la)
    assert 40 < factor < 95 * 1.58 * 1.2


def test_per_replication_stat_and_validation() -> None:
    reps = [np.array([1.0, 2.0, 3.0]), np.array([4.0]), np.array([])]
    med = per_replication_stat(reps, "median")
    assert med[:2].tolist() == [2.0, 4.0] and math.isnan(med[2])
    with pytest.raises(ValueError, match="same replications"):
        paired_difference([[1.0]], [[1.0], [2.0]], rng=0)
    with pytest.raises(ValueError, match="at least one"):
        paired_difference([], [], rng=0)
    with pytest.raises(ValueError, match="stat"):
        paired_difference([[1.0]], [[1.0]], rng=0, stat="max")  # type: ignore[arg-type]


def test_one_replication_and_empty_replications() -> None:
    one = paired_difference([[10.0, 20.0]], [[5.0, 10.0]], rng=0, stat="median")
    assert (one.lo, one.value, one.hi) == (-7.5, -7.5, -7.5)
    # A replication where strategy a had no incident: pooled statistics still work.
    est = paired_difference([[], [10.0, 30.0]], [[4.0], [8.0, 20.0]], rng=0, stat="mean")
    assert est.a == pytest.approx(20.0) and est.b == pytest.approx(32.0 / 3)
    assert est.lo <= est.value <= est.hi
    d = est.to_dict()
    assert set(d) >= {"value", "ci95", "relative_pct", "a", "b", "se", "n_replications"}
