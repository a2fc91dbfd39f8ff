"""``incidents_needed``, ``achieved_power``, ``power_report``."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from sim.experiments.power import (
    PowerTest,
    achieved_power,
    incidents_needed,
    log_effect,
    power_report,
)

from .helpers import binomial_band

Z_A = sps.norm.ppf(0.975)
Z_B = sps.norm.ppf(0.8)
TESTS: tuple[PowerTest, ...] = ("t_log", "mann_whitney")

# Published reference for log-sd 1.25, alpha 0.05, power 0.8: incidents per group.
REFERENCE = [(0.10, 2200), (0.25, 300), (0.50, 50)]


@pytest.mark.parametrize(("improvement", "published"), REFERENCE)
def test_t_on_logs_reproduces_published_sample_sizes(improvement: float, published: int) -> None:
    n = incidents_needed(1.25, improvement)
    assert abs(n - published) <= 0.15 * published


@pytest.mark.parametrize(("improvement", "_published"), REFERENCE)
def test_t_matches_normal_formula_plus_small_sample_correction(
    improvement: float, _published: int
) -> None:
    # Independent computation of the textbook formula; the exact t answer exceeds it by
    # about z^2/4 ~ 1 incident (Guenther), never by more than 3.
    d = -math.log(1 - improvement) / 1.25
    normal = 2 * ((Z_A + Z_B) / d) ** 2
    n = incidents_needed(1.25, improvement)
    assert normal <= n <= normal + 3


@pytest.mark.parametrize("improvement", [0.02, 0.10])
def test_mann_whitney_costs_pi_over_3_more_for_small_effects(improvement: float) -> None:
    # Asymptotic relative efficiency of Wilcoxon vs t at the normal is 3/pi: ~4.7% more
    # incidents for small effects (rounding adds < 1 incident).
    t = incidents_needed(1.25, improvement, test="t_log")
    mw = incidents_needed(1.25, improvement, test="mann_whitney")
    assert mw / t == pytest.approx(math.pi / 3, rel=0.01)


@pytest.mark.parametrize("test", TESTS)
def test_monotone_in_improvement_and_sigma(test: PowerTest) -> None:
    improvements = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7]
    ns = [incidents_needed(1.25, i, test=test) for i in improvements]
    assert ns == sorted(ns, reverse=True) and len(set(ns)) == len(ns)
    sigmas = [0.5, 0.8, 1.25, 2.0]
    ns = [incidents_needed(s, 0.25, test=test) for s in sigmas]
    assert ns == sorted(ns) and len(set(ns)) == len(ns)


def test_slowdown_is_symmetric_on_the_log_scale() -> None:
    # Durations x 1.25 (improvement -0.25) is the same log effect as durations x 0.8 (0.2).
    assert log_effect(1.0, -0.25) == pytest.approx(log_effect(1.0, 0.2))
    assert incidents_needed(1.25, -0.25) == incidents_needed(1.25, 0.2)


@pytest.mark.parametrize("test", TESTS)
@pytest.mark.parametrize(("sigma", "improvement"), [(1.25, 0.1), (1.25, 0.5), (0.6, 0.5), (2, 0.3)])
def test_returned_n_is_the_smallest_with_enough_power(
    test: PowerTest, sigma: float, improvement: float
) -> None:
    n = incidents_needed(sigma, improvement, test=test)
    assert achieved_power(sigma, improvement, n, test=test) >= 0.8
    below = achieved_power(sigma, improvement, n - 1, test=test)
    assert 0.75 < below < 0.8  # "a bit below": one incident less costs well under 5 points


def test_power_tends_to_alpha_for_no_effect_and_to_one_for_large_n() -> None:
    assert achieved_power(1.25, 1e-9, 100) == pytest.approx(0.05, abs=1e-6)
    assert achieved_power(1.25, 0.5, 10_000) == pytest.approx(1.0)
    assert achieved_power(1.25, 0.5, 20, alpha=0.01) < achieved_power(1.25, 0.5, 20)


def test_simulated_t_tests_reach_the_planned_power() -> None:
    # 400 simulated trials with n per group from incidents_needed for a 50% improvement
    # (log-sd 1.25): the share of significant t-tests on log durations is the power.
    sigma, improvement, trials = 1.25, 0.5, 400
    n = incidents_needed(sigma, improvement)
    rng = np.random.default_rng(2024)
    a = rng.normal(0.0, sigma, (trials, n))
    b = rng.normal(math.log(1 - improvement), sigma, (trials, n))
    share = np.mean(sps.ttest_ind(a, b, axis=1).pvalue < 0.05)
    lo, hi = binomial_band(achieved_power(sigma, improvement, n), trials)
    assert lo <= share <= hi


def test_simulated_mann_whitney_reaches_about_the_planned_power() -> None:
    # Noether's formula is an approximation; the simulated power should still be ~0.8.
    sigma, improvement, trials = 1.25, 0.5, 400
    n = incidents_needed(sigma, improvement, test="mann_whitney")
    rng = np.random.default_rng(2025)
    a = np.exp(rng.normal(0.0, sigma, (trials, n)))
    b = np.exp(rng.normal(math.log(1 - improvement), sigma, (trials, n)))
    share = np.mean(sps.mannwhitneyu(a, b, axis=1).pvalue < 0.05)
    lo, hi = binomial_band(0.8, trials)
    assert lo <= share <= hi


def test_huge_sample_sizes_use_the_normal_formula() -> None:
    d = math.log(1 / 0.999) / 1.25
    normal = 2 * ((Z_A + Z_B) / d) ** 2
    n = incidents_needed(1.25, 0.001)
    assert normal <= n <= normal + 2


def test_invalid_arguments_raise() -> None:
    for bad in (dict(sigma_log=0.0, improvement=0.1), dict(sigma_log=1.0, improvement=0.0)):
        with pytest.raises(ValueError):
            incidents_needed(**bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        incidents_needed(1.0, 1.0)
    with pytest.raises(ValueError):
        incidents_needed(1.0, 0.1, test="chi2")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        achieved_power(1.0, 0.1, 1)


def test_power_report_on_simulated_data() -> None:
    sigma, ratio, n = 1.25, 0.8, 2000
    rng = np.random.default_rng(77)
    a = rng.lognormal(3.0, sigma, n)
    b = rng.lognormal(3.0 + math.log(ratio), sigma, n)
    rep = power_report(a, b, incidents_per_month=300)
    assert set(rep) >= {
        "sigma_log",
        "needed",
        "observed_improvement",
        "needed_for_observed",
        "detectable_in_month",
        "detectable_in_quarter",
        "test",
    }
    assert rep["test"] == "t-test on log durations"
    # sd of a pooled sample sd over 2n values: sigma / sqrt(2 (2n - 2)); allow 4 of them.
    assert rep["sigma_log"] == pytest.approx(sigma, abs=4 * sigma / math.sqrt(4 * n - 4))
    # log of the geometric-mean ratio has sd sigma sqrt(2 / n); allow 4 of them.
    log_ratio = math.log(1 - rep["observed_improvement"])
    assert log_ratio == pytest.approx(math.log(ratio), abs=4 * sigma * math.sqrt(2 / n))
    s = rep["sigma_log"]
    assert rep["needed"] == {
        "10%": incidents_needed(s, 0.10),
        "25%": incidents_needed(s, 0.25),
        "50%": incidents_needed(s, 0.50),
    }
    n_obs = rep["needed_for_observed"]
    assert n_obs == incidents_needed(s, rep["observed_improvement"])
    # Incidents are split between the two strategies: 2 n needed at 300 a month.
    assert rep["months_needed"] == pytest.approx(2 * n_obs / 300)
    assert rep["detectable_in_month"] == (2 * n_obs <= 300)
    assert rep["detectable_in_quarter"] == (2 * n_obs <= 900)


def test_power_report_detectability_flags() -> None:
    rng = np.random.default_rng(78)
    a = rng.lognormal(3.0, 1.0, 500)
    b = a * 0.5  # a large, exactly known improvement (same spread)
    rep = power_report(a, b, incidents_per_month=1000)
    assert rep["observed_improvement"] == pytest.approx(0.5)
    assert rep["detectable_in_month"] and rep["detectable_in_quarter"]
    slow = power_report(a, b, incidents_per_month=2)
    assert not slow["detectable_in_month"] and not slow["detectable_in_quarter"]


def test_power_report_edge_cases() -> None:
    a = np.array([10.0, 20.0, 40.0])
    same = power_report(a, a, incidents_per_month=100)
    assert same["observed_improvement"] == 0.0 and same["needed_for_observed"] is None
    assert not same["detectable_in_quarter"]
    # Degenerate data degrades to None/False with a note instead of raising mid-comparison.
    flat = power_report([5.0, 5.0], [2.5, 2.5], incidents_per_month=10)
    assert flat["sigma_log"] == 0.0 and flat["observed_improvement"] == pytest.approx(0.5)
    assert flat["needed"] == {"10%": None, "25%": None, "50%": None}
    assert not flat["detectable_in_quarter"] and "spread" in flat["note"]
    few = power_report([5.0], [5.0, 6.0, 0.0], incidents_per_month=10)
    assert few["sigma_log"] is None and few["needed_for_observed"] is None and "note" in few
    with pytest.raises(ValueError, match="incidents_per_month"):
        power_report(a, a, incidents_per_month=0)
