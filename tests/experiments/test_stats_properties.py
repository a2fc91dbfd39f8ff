"""Property tests: estimates inside their intervals, no NaN for n = 1 or all-equal data."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.experiments.stats import (
    Estimate,
    Stat,
    bootstrap_distribution,
    describe_durations,
    paired_difference,
    proportion,
    wilson_interval,
)

# Derandomized and without the example database: reproducible, and nothing written to disk.
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None)
NAMES = ("mean", "median", "p90", "geomean")
STATS: tuple[Stat, ...] = ("mean", "median", "p90", "geomean", "rate")

durations = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
# Few distinct values with many repeats stress ties and the interpolation.
tied = st.sampled_from([0.5, 1.0, 7.0, 7.0, 30.0, 1e4])
samples = st.lists(st.one_of(durations, tied), min_size=1, max_size=60)


def assert_inside(est: Estimate) -> None:
    assert math.isfinite(est.value) and math.isfinite(est.lo) and math.isfinite(est.hi)
    assert est.lo <= est.value <= est.hi


@SETTINGS
@given(samples, st.integers(0, 2**32 - 1))
def test_describe_estimates_lie_in_their_intervals(xs: list[float], seed: int) -> None:
    d = describe_durations(xs, rng=seed, n_boot=200)
    assert d["n"] == len(xs)
    for name in NAMES:
        assert_inside(d[name])
        assert min(xs) * (1 - 1e-12) <= d[name].lo and d[name].hi <= max(xs) * (1 + 1e-12)


@SETTINGS
@given(samples, st.data())
def test_clustered_describe_estimates_lie_in_their_intervals(
    xs: list[float], data: st.DataObject
) -> None:
    cluster = data.draw(st.lists(st.integers(0, 5), min_size=len(xs), max_size=len(xs)))
    d = describe_durations(xs, rng=1, n_boot=200, cluster=cluster)
    assert d["n_clusters"] == len(set(cluster))
    for name in NAMES:
        assert_inside(d[name])


@SETTINGS
@given(durations, st.integers(1, 40), st.booleans())
def test_all_equal_values_give_zero_width_intervals(x: float, n: int, clustered: bool) -> None:
    # Also n = 1. The bootstrap sees no spread: value = lo = hi (documented), never NaN.
    cluster = np.arange(n) % 3 if clustered else None
    d = describe_durations([x] * n, rng=0, n_boot=100, cluster=cluster)
    for name in NAMES:
        assert_inside(d[name])
        assert math.isclose(d[name].value, x, rel_tol=1e-12)
        assert math.isclose(d[name].lo, d[name].hi, rel_tol=1e-12)


@SETTINGS
@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_wilson_contains_the_proportion(a: int, b: int) -> None:
    k, n = min(a, b), max(a, b)
    est = wilson_interval(k, n)
    if n == 0:
        assert math.isnan(est.value)
        return
    assert 0.0 <= est.lo <= est.value <= est.hi <= 1.0
    assert est.hi > est.lo  # never degenerate, even at 0 or n successes


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=12))
def test_clustered_proportion_contains_the_proportion(rows: list[tuple[int, int]]) -> None:
    successes = [min(a, b) for a, b in rows]
    totals = [max(a, b) for a, b in rows]
    est = proportion(successes, totals, cluster=np.arange(len(rows)), rng=0, n_boot=200)
    if sum(totals) == 0:
        assert math.isnan(est.value)
    else:
        assert 0.0 <= est.lo <= est.value <= est.hi <= 1.0


ragged = st.lists(st.lists(st.one_of(durations, tied), min_size=1, max_size=8), min_size=1)


@SETTINGS
@given(ragged.filter(lambda r: len(r) <= 6), st.data())
def test_paired_difference_lies_in_its_interval(a: list[list[float]], data: st.DataObject) -> None:
    b = [data.draw(st.lists(st.one_of(durations, tied), min_size=1, max_size=8)) for _ in a]
    stat = data.draw(st.sampled_from(STATS))
    est = paired_difference(a, b, rng=0, stat=stat, n_boot=200)
    assert_inside(est)
    assert est.value == est.b - est.a
    if est.a != 0:
        assert_inside(est.relative_pct)


@SETTINGS
@given(samples, st.sampled_from(("median", "p90")), st.booleans())
def test_bootstrap_quantiles_stay_within_the_data(
    xs: list[float], stat: Stat, clustered: bool
) -> None:
    cluster = np.arange(len(xs)) % 4 if clustered else None
    reps = bootstrap_distribution(xs, stat, rng=3, n_boot=300, cluster=cluster)
    assert np.all(np.isfinite(reps))
    assert reps.min() >= min(xs) and reps.max() <= max(xs)
