"""``describe_durations`` and ``bootstrap_distribution``: coverage, clusters, exactness, speed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from sim.experiments.stats import Estimate, bootstrap_distribution, describe_durations

from .helpers import binomial_band, clustered_lognormal, lognormal_quantile

MU = 3.0  # exp(3) ~ 20 minutes median TTR


def coverage(
    sigma: float, n: int, n_sets: int, seed: int, names: tuple[str, ...]
) -> dict[str, float]:
    """Share of ``n_sets`` log-normal data sets whose 95% CI covers the true value."""
    truth = {
        "mean": math.exp(MU + sigma**2 / 2),
        "median": math.exp(MU),
        "geomean": math.exp(MU),
        "p90": lognormal_quantile(MU, sigma, 0.9),
    }
    rng = np.random.default_rng(seed)
    hits = dict.fromkeys(names, 0)
    for _ in range(n_sets):
        d = describe_durations(rng.lognormal(MU, sigma, n), rng=rng, n_boot=1000)
        for name in names:
            hits[name] += d[name].lo <= truth[name] <= d[name].hi
    return {name: h / n_sets for name, h in hits.items()}


def test_coverage_of_median_geomean_p90_heavy_tail() -> None:
    # 400 data sets of 150 TTRs with log-sd 1.25 (heavy tail, the realistic case). The
    # percentile CI of the median, geometric mean and p90 should cover 95% of the time.
    n_sets = 400
    lo, hi = binomial_band(0.95, n_sets)
    got = coverage(1.25, 150, n_sets, seed=11, names=("median", "geomean", "p90"))
    for name, share in got.items():
        assert lo <= share <= hi, f"{name}: coverage {share:.3f} outside [{lo:.3f}, {hi:.3f}]"


def test_coverage_of_mean_light_tail() -> None:
    # The mean's percentile CI is nominal when its sampling distribution is not too skewed
    # (log-sd 0.5); the heavy-tail under-coverage is documented in the module docstring.
    n_sets = 400
    lo, hi = binomial_band(0.95, n_sets)
    share = coverage(0.5, 100, n_sets, seed=12, names=("mean",))["mean"]
    assert lo <= share <= hi


def test_cluster_bootstrap_covers_and_naive_does_not() -> None:
    # 40 replications x 25 incidents, intra-replication correlation 0.2: the cluster
    # bootstrap covers the pooled median exp(MU) at the nominal rate; treating the incidents
    # as independent gives intervals about half as wide and far too low coverage.
    n_sets = 300
    rng = np.random.default_rng(21)
    hit_cluster = hit_naive = 0
    width_cluster = width_naive = 0.0
    for _ in range(n_sets):
        x, rep = clustered_lognormal(rng, 40, 25, MU, tau=0.5, sigma=1.0)
        c = describe_durations(x, rng=rng, n_boot=1000, cluster=rep)["geomean"]
        n = describe_durations(x, rng=rng, n_boot=1000)["geomean"]
        hit_cluster += c.lo <= math.exp(MU) <= c.hi
        hit_naive += n.lo <= math.exp(MU) <= n.hi
        width_cluster += math.log(c.hi / c.lo)
        width_naive += math.log(n.hi / n.lo)
    lo, hi = binomial_band(0.95, n_sets)
    assert lo <= hit_cluster / n_sets <= hi
    assert hit_naive / n_sets < lo
    # Design effect of the mean log: sqrt((m tau^2 + sigma^2) / (tau^2 + sigma^2)) = 2.41 for
    # m = 25; the averaged width ratio has ~1% Monte Carlo error, the 10% slack covers the
    # finite-R bias of both bootstrap variances.
    ratio = width_cluster / width_naive
    assert 2.41 * 0.9 <= ratio <= 2.41 * 1.1


def test_cluster_bootstrap_wider_than_naive_on_one_data_set() -> None:
    rng = np.random.default_rng(22)
    x, rep = clustered_lognormal(rng, 30, 50, MU, tau=0.6, sigma=0.8)
    clustered = describe_durations(x, rng=1, cluster=rep)
    naive = describe_durations(x, rng=1)
    assert clustered["n_clusters"] == 30 and naive["n_clusters"] is None
    for name in ("mean", "median", "p90", "geomean"):
        c, n = clustered[name], naive[name]
        assert c.value == n.value  # same data, same point estimate
        assert c.hi - c.lo > 1.5 * (n.hi - n.lo), name


def test_independent_data_clusters_change_little() -> None:
    # Control: with no replication effect, resampling replications of 20 values gives about
    # the same width as resampling values (ratio ~1 up to Monte Carlo and R = 50 noise).
    rng = np.random.default_rng(23)
    x, rep = clustered_lognormal(rng, 50, 20, MU, tau=0.0, sigma=1.0)
    c = describe_durations(x, rng=2, cluster=rep)["geomean"]
    n = describe_durations(x, rng=2)["geomean"]
    # The cluster-bootstrap SE from 50 units has relative sd ~ 1/sqrt(2 * 49) = 10%.
    assert 0.7 < (c.hi - c.lo) / (n.hi - n.lo) < 1.3


def test_iid_path_agrees_with_singleton_clusters() -> None:
    # Two independent implementations of the same bootstrap: fast iid paths (index gather,
    # exact order-statistic draws) and the generic cluster path with one value per cluster.
    n, n_boot = 500, 8000
    x = np.random.default_rng(31).lognormal(MU, 1.25, n)
    iid = describe_durations(x, rng=1, n_boot=n_boot)
    single = describe_durations(x, rng=2, n_boot=n_boot, cluster=np.arange(n))
    for name in ("mean", "median", "p90", "geomean"):
        a, b = iid[name], single[name]
        # Bootstrap SE s ~ (hi - lo) / 3.92. A 2.5% percentile from B draws of a ~normal
        # distribution has SE sqrt(.025 * .975 / B) / phi(1.96) * s = 0.047 s at B = 8000;
        # the difference of two independent ones sqrt(2) times that. Allow 4 SE (+ a bit for
        # the discreteness of quantile replicates).
        s = (a.hi - a.lo) / 3.92
        tol = 4 * math.sqrt(2) * math.sqrt(0.025 * 0.975 / n_boot) / 0.0584 * s
        assert abs(a.lo - b.lo) < tol * 1.2, name
        assert abs(a.hi - b.hi) < tol * 1.2, name


def _exact_median_pmf(n: int) -> np.ndarray:
    """P(bootstrap median of n distinct values, n odd, is the j-th smallest), j = 0..n-1.

    The k-th smallest of a resample is <= x_(j) iff at least k draws are <= x_(j), and the
    number of such draws is Binomial(n, (j + 1) / n).
    """
    k = (n + 1) // 2
    cdf = np.array([sps.binom.sf(k - 1, n, (j + 1) / n) for j in range(n)])
    return np.diff(np.concatenate([[0.0], cdf]))


@pytest.mark.parametrize("clustered", [False, True])
def test_bootstrap_median_has_exact_distribution(clustered: bool) -> None:
    n, n_boot = 9, 40_000
    x = np.arange(1.0, n + 1)  # distinct, so the replicate identifies the order statistic
    reps = bootstrap_distribution(
        x, "median", rng=5, n_boot=n_boot, cluster=np.arange(n) if clustered else None
    )
    observed = np.bincount(np.rint(reps).astype(int) - 1, minlength=n)
    expected = _exact_median_pmf(n) * n_boot
    keep = expected >= 5  # chi-square needs expected counts >= 5; pool the rare extremes
    obs, exp = observed[keep], expected[keep]
    if not keep.all():
        obs = np.append(obs, observed[~keep].sum())
        exp = np.append(exp, expected[~keep].sum())
    assert observed.sum() == n_boot and exp.sum() == pytest.approx(n_boot)
    assert sps.chisquare(obs, exp).pvalue > 1e-3


@pytest.mark.parametrize(("stat", "q"), [("median", 0.5), ("p90", 0.9)])
def test_interpolated_quantile_matches_brute_force(stat: str, q: float) -> None:
    # n = 10: both quantiles interpolate between two order statistics, whose *joint* law the
    # fast path draws. Compare with resampling indices and calling np.quantile (homogeneity
    # chi-square on the discrete support of the replicates).
    n, n_boot = 10, 30_000
    x = 2.0 ** np.arange(n)  # distinct pairwise averages
    fast = bootstrap_distribution(x, stat, rng=6, n_boot=n_boot)  # type: ignore[arg-type]
    rng = np.random.default_rng(7)
    brute = np.quantile(x[rng.integers(0, n, size=(n_boot, n))], q, axis=1)
    # The two paths interpolate with different float formulas: compare values rounded far
    # below the 0.05 spacing of the support.
    fast, brute = np.round(fast, 6), np.round(brute, 6)
    support = np.unique(np.concatenate([fast, brute]))
    table = np.array([[np.sum(r == v) for v in support] for r in (fast, brute)])
    table = table[:, table.sum(axis=0) >= 20]  # drop ultra-rare cells
    assert sps.chi2_contingency(table).pvalue > 1e-3


def test_geomean_of_positive_values_only() -> None:
    x = np.array([0.0, 2.0, 8.0, 0.0])
    d = describe_durations(x, rng=0, n_boot=500)
    assert d["n"] == 4 and d["n_positive"] == 2
    assert d["geomean"].value == pytest.approx(4.0)
    assert d["mean"].value == pytest.approx(2.5)


def test_deterministic_given_seed_and_generator() -> None:
    x = np.random.default_rng(3).lognormal(MU, 1.0, 300)
    rep = np.repeat(np.arange(30), 10)
    for cluster in (None, rep):
        a = describe_durations(x, rng=42, cluster=cluster)
        b = describe_durations(x, rng=np.random.default_rng(42), cluster=cluster)
        assert a == b


def test_to_dict_and_empty_input() -> None:
    assert Estimate(1.0, 0.5, 2.0).to_dict() == {"value": 1.0, "ci95": [0.5, 2.0]}
    d = describe_durations([], rng=0)
    assert d["n"] == 0
    assert all(math.isnan(d[k].value) for k in ("mean", "median", "p90", "geomean"))


def test_invalid_inputs_raise() -> None:
    with pytest.raises(ValueError, match="finite"):
        describe_durations([1.0, math.nan], rng=0)
    with pytest.raises(ValueError, match="cluster"):
        describe_durations([1.0, 2.0], rng=0, cluster=[0])
    with pytest.raises(ValueError, match="n_boot"):
        describe_durations([1.0], rng=0, n_boot=0)
    with pytest.raises(TypeError):
        describe_durations([1.0], rng=1.5)  # type: ignore[arg-type]
