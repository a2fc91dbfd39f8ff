"""Every measure and every summary statistic, defined once.

A *measure* is a column of the incident table (``sim.metrics.incidents`` says how each
is read from the event log) and the incidents it is taken over; a *statistic* turns
the values of a measure into one number. ``gameday run``, ``compare``, ``sweep``, the
report, the dashboard and ``gameday test`` all take their numbers from here:

==========================  ==============================================================
measure                     definition
==========================  ==============================================================
``ttr``                     minutes from the fault's onset until user impact ended, over
                            the *mitigated* real incidents (MTTR is its mean)
``ttd``                     minutes from onset to the first alert delivered (real)
``tta``                     minutes from detection to acknowledgement (real)
``waited``                  minutes an incident waited for a free responder (real)
``error_rate``              share of real incidents with at least one remediation error
                            before user impact ended (``errors > 0``)
``human_minutes``           minutes of human work per real incident
``manual_actions``          manual step attempts and approvals per real incident
``automated_steps``         step attempts performed by automation per real incident
``noise_human_minutes``     minutes of human work on noise incidents (false alarms), per
                            replication
``cost``                    outage cost (ttr x cost per minute); per replication it is the
                            mean of the replications' totals
==========================  ==============================================================

Real incidents are those a fault caused (``noise`` false); noise incidents count apart.

Statistics: ``mean``; ``median`` and ``p90``, the type-7 (linear) quantiles; ``geomean``,
over the positive values only (a zero has no logarithm); ``rate``, the share of values
above zero. None of the values: NaN.

Censoring: these statistics of ``ttr`` are over the mitigated incidents only — an
incident still open at the horizon (``censored``; counted as ``unmitigated``) is left
out, which biases them low when many are; ``sim.metrics.survival`` gives the
Kaplan–Meier median and p90 that count it as "at least this long". A wait still under
way at the horizon counts with its age then (``wait_censored``; ``censored_waits``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "MEASURES",
    "POINT_COLUMNS",
    "QUANTILE_OF",
    "STATISTICS",
    "Measure",
    "Stat",
    "by_replication",
    "point_summary",
    "statistic",
]

Stat = Literal["mean", "median", "p90", "geomean", "rate"]
STATISTICS: tuple[Stat, ...] = ("mean", "median", "p90", "geomean", "rate")
#: The quantile each quantile statistic is.
QUANTILE_OF: dict[str, float] = {"median": 0.5, "p90": 0.9}


@dataclass(frozen=True)
class Measure:
    """A column of the incident table and what it means."""

    name: str
    column: str
    unit: str
    definition: str


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("ttr", "ttr", "minutes", "onset to end of user impact (mitigated incidents)"),
        Measure("ttd", "ttd", "minutes", "onset to the first alert delivered"),
        Measure("tta", "tta", "minutes", "detection to acknowledgement"),
        Measure("waited", "waited", "minutes", "waiting for a free responder"),
        Measure("error_rate", "errors", "share", "incidents with a remediation error"),
        Measure("human_minutes", "human_minutes", "minutes", "human work per incident"),
        Measure("manual_actions", "manual_actions", "count", "manual steps and approvals"),
        Measure("automated_steps", "automated_steps", "count", "steps run by automation"),
        Measure("noise_human_minutes", "human_minutes", "minutes", "human work on false alarms"),
        Measure("cost", "cost", "currency", "outage cost (ttr x cost per minute)"),
    )
}


def statistic(values: ArrayLike, stat: str) -> float:
    """``stat`` of ``values`` (NaN values ignored; NaN when none is left)."""
    xs = np.asarray(values, dtype=np.float64).ravel()
    xs = xs[~np.isnan(xs)]
    if xs.size == 0:
        return math.nan
    if stat == "mean":
        return float(np.mean(xs))
    if stat == "rate":
        return float(np.count_nonzero(xs > 0) / xs.size)
    if stat == "geomean":
        positive = xs[xs > 0]
        return float(np.exp(np.mean(np.log(positive)))) if positive.size else math.nan
    if stat in QUANTILE_OF:
        return float(np.quantile(xs, QUANTILE_OF[stat]))
    raise ValueError(f"stat must be one of {', '.join(STATISTICS)}; got {stat!r}")


def by_replication(values: ArrayLike, replications: ArrayLike, n: int) -> list[NDArray[np.float64]]:
    """The non-missing ``values`` of each replication 0..n-1, in row order."""
    vals = np.asarray(values, dtype=np.float64)
    reps = np.asarray(replications)
    present = ~np.isnan(vals)
    vals, reps = vals[present], reps[present]
    order = np.argsort(reps, kind="stable")  # a replication's values keep their row order
    parts: list[NDArray[np.float64]] = np.split(
        vals[order], np.searchsorted(reps[order], np.arange(1, n))
    )
    return parts


#: The incident-table columns ``point_summary`` reads (``wait_censored`` too, if given).
POINT_COLUMNS = (
    "noise",
    "ttr",
    "ttd",
    "tta",
    "errors",
    "human_minutes",
    "manual_actions",
    "automated_steps",
    "waited",
    "cost",
)


def point_summary(columns: Any, replications: int) -> dict[str, Any]:
    """Point estimates of every measure over one strategy's incidents.

    ``columns`` maps incident-table columns to sequences — a mapping of lists or a
    DataFrame — of all incidents of the strategy, noise too, over ``replications``
    replications.
    """
    noise = np.asarray(columns["noise"], dtype=bool)
    real = ~noise

    def of(column: str) -> NDArray[np.float64]:
        values: NDArray[np.float64] = np.asarray(columns[column], dtype=np.float64)[real]
        return values

    ttr = of("ttr")
    count = int(real.sum())
    n = replications
    cost = of("cost")
    out: dict[str, Any] = {
        "incidents": count,
        "incidents_per_replication": count / n if n else math.nan,
        "noise_incidents": int(noise.sum()),
        "unmitigated": int(np.isnan(ttr).sum()),
    }
    if "wait_censored" in columns:
        out["censored_waits"] = int(np.asarray(columns["wait_censored"], dtype=bool)[real].sum())
    for stat in ("mean", "median", "p90", "geomean"):
        out[f"mttr_{stat}"] = statistic(ttr, stat)
    out["ttd_mean"] = statistic(of("ttd"), "mean")
    out["tta_mean"] = statistic(of("tta"), "mean")
    out["error_rate"] = statistic(of("errors"), "rate")
    out["human_minutes_per_incident"] = statistic(of("human_minutes"), "mean")
    if "manual_actions" in columns:
        out["manual_actions_per_incident"] = statistic(of("manual_actions"), "mean")
    if "waited" in columns:
        out["waited_mean"] = statistic(of("waited"), "mean")
    if "automated_steps" in columns:
        out["automated_steps_per_incident"] = statistic(of("automated_steps"), "mean")
    noise_minutes = np.asarray(columns["human_minutes"], dtype=np.float64)[noise]
    out["noise_human_minutes_per_replication"] = (
        float(np.nansum(noise_minutes)) / n if n else math.nan
    )
    out["cost_per_replication"] = float(np.nansum(cost)) / n if n else math.nan
    out["cost_per_incident"] = statistic(cost, "mean")
    return out
