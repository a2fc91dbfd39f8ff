"""Metric bounds over replications, judged on a confidence interval, not a point.

The statistical rule (stated in every result): the statistic is computed over the
incidents of all replications of a strategy, with a 95% confidence interval from a
*cluster* bootstrap that resamples whole replications (incidents of one replication share
responders and are not independent; replications are). A ``max`` passes when the upper
end of the interval is at most the limit, a ``min`` when the lower end is at least the
limit. So a pass says "even the pessimistic end of what the data allow is within the
limit", and a metric whose true value sits right at the limit fails rather than flipping
between runs on noise.

Metric definitions are those of ``sim.metrics`` (real incidents only, noise excluded):
``mttr`` is TTR of the mitigated incidents (onset to mitigation; incidents still
unmitigated at the horizon are censored and left out, and counted in the output);
``ttd``, ``tta``; ``cost`` is the outage cost of one incident; ``human_minutes`` the
human work on one incident; ``error_rate`` the share of incidents with at least one
remediation error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.experiments.stats import Estimate, describe_durations, proportion
from sim.spec.expect import MetricExpectation

from .replicate import Facts
from .results import fmt_minutes, fmt_number

__all__ = ["N_BOOT", "Judgement", "judge_metric", "metric_rule"]

N_BOOT = 2000
_COLUMN = {
    "mttr": "ttr",
    "ttd": "ttd",
    "tta": "tta",
    "cost": "cost",
    "human_minutes": "human_minutes",
}
_DURATIONS = ("mttr", "ttd", "tta", "human_minutes")


@dataclass(frozen=True)
class Judgement:
    """The verdict on one strategy: the estimate with its CI, how much data, and why."""

    strategy: str
    ok: bool
    estimate: Estimate
    incidents: int
    replications: int
    censored: int
    line: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "ok": self.ok,
            **self.estimate.to_dict(),
            "incidents": self.incidents,
            "replications": self.replications,
            "censored": self.censored,
        }


def metric_rule(exp: MetricExpectation) -> str:
    """The rule, in words, as printed with every result."""
    parts = []
    if exp.max is not None:
        parts.append("upper end of the 95% CI <= max")
    if exp.min is not None:
        parts.append("lower end of the 95% CI >= min")
    return (
        " and ".join(parts)
        + f" (cluster bootstrap over replications, {N_BOOT:,} resamples, all incidents pooled)"
    )


def format_value(metric: str, value: float) -> str:
    """A metric value in its unit: minutes for durations, % for the error rate."""
    if math.isnan(value):
        return "n/a"
    family = metric.split(".", maxsplit=1)[0]
    if family in _DURATIONS:
        return fmt_minutes(value)
    if family == "error_rate":
        return f"{100 * value:.1f}%"
    return fmt_number(value)


def _pooled(facts: list[Facts], column: str) -> tuple[list[float], list[int], int]:
    """Finite values of ``column`` over real incidents, their replications, and NaNs."""
    values: list[float] = []
    clusters: list[int] = []
    censored = 0
    for f in facts:
        cols = f.columns
        for noise, value in zip(cols["noise"], cols[column], strict=True):
            if noise:
                continue
            v = float(value)  # type: ignore[arg-type]
            if math.isnan(v):
                censored += 1
            else:
                values.append(v)
                clusters.append(f.replication)
    return values, clusters, censored


def _estimate(
    metric: str, facts: list[Facts], rng: np.random.Generator
) -> tuple[Estimate, int, int, int]:
    """(estimate with CI, incidents used, replications with data, incidents left out)."""
    family, _, stat = metric.partition(".")
    if family == "error_rate":
        flags: list[int] = []
        clusters: list[int] = []
        for f in facts:
            for noise, errors in zip(f.columns["noise"], f.columns["errors"], strict=True):
                if not noise:
                    flags.append(1 if int(errors) > 0 else 0)  # type: ignore[call-overload]
                    clusters.append(f.replication)
        if not flags:
            return Estimate.nan(), 0, 0, 0
        ones = np.ones(len(flags))
        found = proportion(flags, ones, cluster=clusters, rng=rng, n_boot=N_BOOT)
        return found, len(flags), len(set(clusters)), 0
    values, clusters, censored = _pooled(facts, _COLUMN[family])
    if not values:
        return Estimate.nan(), 0, 0, censored
    described = describe_durations(values, rng=rng, n_boot=N_BOOT, cluster=clusters)
    return described[stat], len(values), len(set(clusters)), censored


def judge_metric(
    exp: MetricExpectation, strategy: str, facts: list[Facts], rng: np.random.Generator
) -> Judgement:
    """Judge one strategy's replications against the bound (see the module docstring)."""
    est, incidents, reps, censored = _estimate(exp.metric, facts, rng)
    if math.isnan(est.value):
        line = f"{strategy}: no incidents to measure {exp.metric} on: cannot show the bound holds"
        return Judgement(strategy, False, est, incidents, reps, censored, line)
    ok = True
    verdicts = []
    if exp.max is not None:
        if est.hi <= exp.max:
            verdicts.append(f"upper {format_value(exp.metric, est.hi)} <= max")
        else:
            ok = False
            verdicts.append(
                f"upper {format_value(exp.metric, est.hi)} > max "
                f"{format_value(exp.metric, exp.max)}"
            )
    if exp.min is not None:
        if est.lo >= exp.min:
            verdicts.append(f"lower {format_value(exp.metric, est.lo)} >= min")
        else:
            ok = False
            verdicts.append(
                f"lower {format_value(exp.metric, est.lo)} < min "
                f"{format_value(exp.metric, exp.min)}"
            )
    left_out = f", {censored:,} unmitigated at the horizon left out" if censored else ""
    line = (
        f"{strategy}: {exp.metric} = {format_value(exp.metric, est.value)}, 95% CI "
        f"[{format_value(exp.metric, est.lo)}, {format_value(exp.metric, est.hi)}] over "
        f"{incidents:,} incidents in {reps} replications{left_out} -> "
        f"{'ok' if ok else 'FAIL'} ({'; '.join(verdicts)})"
    )
    return Judgement(strategy, ok, est, incidents, reps, censored, line)
