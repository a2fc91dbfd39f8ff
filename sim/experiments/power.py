"""How many incidents are needed to detect an MTTR improvement (statistical power).

Model: incident durations are log-normal with log-sd ``sigma_log``; a strategy with a relative
improvement ``i`` multiplies every duration by ``1 - i``, i.e. shifts log durations by
``delta = -ln(1 - i)``. The standardised effect on the log scale is ``d = delta / sigma_log``.

Two tests, both two-sided at level ``alpha``, equal group sizes:

``"t_log"`` (default)
    Two-sample t-test on log durations. Start from the normal approximation
    ``n = 2 (z_{1-alpha/2} + z_{power})^2 / d^2`` and step to the smallest n whose exact power
    under the noncentral t (df = 2n - 2, noncentrality ``d sqrt(n/2)``) reaches the target,
    so small n are right too (the normal formula is 1-2 incidents short there).

``"mann_whitney"``
    Wilcoxon-Mann-Whitney rank-sum test on durations (rank-based, so logs or not is the same),
    Noether's formula ``n = (z_{1-alpha/2} + z_{power})^2 / (6 (p - 1/2)^2)`` per group, with
    ``p = P(Y < X) = Phi(d / sqrt 2)`` for the normal shift, stepped the same way against its
    normal-approximation power. For log-normal data it needs ~pi/3 (4.7%) more incidents than
    the t-test on logs (asymptotic relative efficiency 3/pi at the normal), a little more for
    large effects.

For ``sigma_log = 1.25`` the published reference (~2,200 / ~300 / ~50 incidents per group for
10% / 25% / 50% improvements at alpha 0.05, power 0.8) is the t-test on logs: it gives
2,211 / 298 / 53 (the normal formula alone: 2,210 / 297 / 52); Mann-Whitney gives
2,317 / 314 / 57, 5-14% more.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

# scipy.stats is imported where it is used: it is half of the import time of
# sim.experiments (~0.5 s), which every sweep and every process pool's forkserver
# (it preloads the runner) paid without computing a power.

__all__ = ["PowerTest", "achieved_power", "incidents_needed", "log_effect", "power_report"]

PowerTest = Literal["t_log", "mann_whitney"]

#: Above this many incidents per group the t and normal distributions agree to well under one
#: incident; skip the noncentral-t search (slow and pointless there) and use Guenther's
#: correction ``+ z_{1-alpha/2}^2 / 4`` to the normal formula instead.
_EXACT_T_LIMIT = 1_000_000
_IMPROVEMENTS = {"10%": 0.10, "25%": 0.25, "50%": 0.50}


def _check(sigma_log: float, improvement: float, alpha: float, test: str) -> None:
    if not (math.isfinite(sigma_log) and sigma_log > 0):
        raise ValueError(f"sigma_log must be positive and finite, got {sigma_log!r}")
    if not (math.isfinite(improvement) and improvement < 1 and improvement != 0):
        raise ValueError(f"improvement must be < 1 and non-zero, got {improvement!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    if test not in ("t_log", "mann_whitney"):
        raise ValueError(f"test must be 't_log' or 'mann_whitney', got {test!r}")


def log_effect(sigma_log: float, improvement: float) -> float:
    """Standardised effect ``|ln(1 - improvement)| / sigma_log`` on log durations.

    Negative improvements (the new strategy is slower) give the same effect size: the tests
    are two-sided.
    """
    return abs(math.log1p(-improvement)) / sigma_log


def _noether_shift(d: float) -> float:
    """``|P(Y < X) - 1/2|`` for normal log durations shifted by ``d`` standard deviations."""
    from scipy import stats

    return float(stats.norm.cdf(d / math.sqrt(2.0))) - 0.5


def achieved_power(
    sigma_log: float,
    improvement: float,
    n_per_group: int,
    *,
    alpha: float = 0.05,
    test: PowerTest = "t_log",
) -> float:
    """Power of the two-sided test with ``n_per_group`` incidents per strategy.

    ``"t_log"``: exact, from the noncentral t distribution (needs ``n_per_group >= 2``).
    ``"mann_whitney"``: the normal approximation behind Noether's formula.
    """
    from scipy import stats

    _check(sigma_log, improvement, alpha, test)
    if n_per_group < 2:
        raise ValueError(f"a two-sample test needs n_per_group >= 2, got {n_per_group}")
    d = log_effect(sigma_log, improvement)
    if test == "mann_whitney":
        shift = math.sqrt(6.0 * n_per_group) * _noether_shift(d)
        z = float(stats.norm.ppf(1 - alpha / 2))
        return float(stats.norm.cdf(shift - z) + stats.norm.cdf(-shift - z))
    df = 2 * n_per_group - 2
    ncp = d * math.sqrt(n_per_group / 2.0)
    t_crit = float(stats.t.ppf(1 - alpha / 2, df))
    # Both rejection regions; the "wrong-sign" one is negligible except at tiny n.
    return float(stats.nct.sf(t_crit, df, ncp) + stats.nct.cdf(-t_crit, df, ncp))


def incidents_needed(
    sigma_log: float,
    improvement: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    test: PowerTest = "t_log",
) -> int:
    """Incidents per strategy to detect a relative MTTR ``improvement`` with given power.

    ``improvement`` = 0.25 means the new strategy's durations are multiplied by 0.75; it may be
    negative (a slowdown; same sample size, two-sided test). The result is the smallest
    n >= 2 with ``achieved_power(...) >= power``; see the module docstring for the formulas.
    """
    from scipy import stats

    _check(sigma_log, improvement, alpha, test)
    if not 0 < power < 1:
        raise ValueError(f"power must be in (0, 1), got {power!r}")
    d = log_effect(sigma_log, improvement)
    z_a = float(stats.norm.ppf(1 - alpha / 2))
    z_b = float(stats.norm.ppf(power))
    if test == "mann_whitney":
        approx = (z_a + z_b) ** 2 / (6.0 * _noether_shift(d) ** 2)
    else:
        approx = 2.0 * ((z_a + z_b) / d) ** 2
        if approx > _EXACT_T_LIMIT:
            return math.ceil(approx + z_a**2 / 4)
    n = max(2, math.ceil(approx))

    def enough(k: int) -> bool:
        return achieved_power(sigma_log, improvement, k, alpha=alpha, test=test) >= power

    # The approximation is within a couple of incidents; walk to the exact boundary (power is
    # increasing in n).
    while not enough(n):
        n += 1
    while n > 2 and enough(n - 1):
        n -= 1
    return n


def _positive_logs(ttr: ArrayLike) -> np.ndarray[Any, np.dtype[np.float64]]:
    arr = np.asarray(ttr, dtype=np.float64).reshape(-1)
    return np.log(arr[np.isfinite(arr) & (arr > 0)])


def power_report(
    ttr_a: ArrayLike,
    ttr_b: ArrayLike,
    *,
    incidents_per_month: float,
    alpha: float = 0.05,
    power: float = 0.8,
) -> dict[str, Any]:
    """What an experiment on real incidents could detect, calibrated on simulated TTRs.

    ``sigma_log`` is the pooled standard deviation of log TTR of both strategies (only
    positive, finite durations enter: the log of 0 is undefined, unmitigated incidents have
    no TTR). ``observed_improvement`` is ``1 - geomean(b) / geomean(a)`` (positive: b is
    faster). ``needed_for_observed`` is None when the observed improvement is exactly 0.

    Detectability assumes the scenario's ``incidents_per_month`` are split evenly between the
    two strategies (a randomised rollout), so ``2 n`` incidents are needed in total:
    ``months_needed = 2 n / incidents_per_month``; "in a quarter" means within 3 months.

    Degenerate data does not raise (this runs at the end of a comparison): with fewer than
    two positive durations per strategy, or no spread at all (``sigma_log`` 0, e.g. fully
    deterministic durations), the sample sizes are None, both flags False, and ``"note"``
    says why. Invalid arguments (``incidents_per_month <= 0``, ``alpha``, ``power``) raise.
    """
    if not (math.isfinite(incidents_per_month) and incidents_per_month > 0):
        raise ValueError(f"incidents_per_month must be positive, got {incidents_per_month!r}")
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError(f"alpha and power must be in (0, 1), got {alpha!r}, {power!r}")
    la, lb = _positive_logs(ttr_a), _positive_logs(ttr_b)
    out: dict[str, Any] = {
        "sigma_log": None,
        "needed": dict.fromkeys(_IMPROVEMENTS),
        "observed_improvement": None,
        "needed_for_observed": None,
        "months_needed": None,
        "detectable_in_month": False,
        "detectable_in_quarter": False,
        "test": "t-test on log durations",
    }
    if la.size < 2 or lb.size < 2:
        out["note"] = f"need >= 2 positive durations per strategy, got {la.size} and {lb.size}"
        return out
    # 1 - ratio of geometric means (+ 0.0 turns -0.0 into 0.0 for equal inputs)
    observed = -math.expm1(float(lb.mean() - la.mean())) + 0.0
    dof = la.size + lb.size - 2
    pooled_var = ((la.size - 1) * la.var(ddof=1) + (lb.size - 1) * lb.var(ddof=1)) / dof
    sigma = math.sqrt(pooled_var)
    out.update(sigma_log=sigma, observed_improvement=observed)
    if sigma == 0:
        out["note"] = "no spread in log durations: a t-test (and this power analysis) is undefined"
        return out

    def needed(improvement: float) -> int:
        return incidents_needed(sigma, improvement, alpha=alpha, power=power, test="t_log")

    n_obs = needed(observed) if observed != 0 else None
    months = 2 * n_obs / incidents_per_month if n_obs is not None else None
    out.update(
        needed={label: needed(imp) for label, imp in _IMPROVEMENTS.items()},
        needed_for_observed=n_obs,
        months_needed=months,
        detectable_in_month=months is not None and months <= 1,
        detectable_in_quarter=months is not None and months <= 3,
    )
    return out
