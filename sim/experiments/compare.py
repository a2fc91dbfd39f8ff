"""Compare strategies: N replications each on the same seeds, then honest statistics.

The incident table (one row per incident, with ``strategy``, ``replication`` and
``seed``) is the raw result; ``summarize`` turns it into the comparison document that
``gameday compare --json`` prints. Replications, not incidents, are the independent
units, so every interval is a cluster bootstrap over replications, and differences
between strategies are paired by replication (common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.metrics.measures import by_replication, point_summary
from sim.metrics.survival import km_quantiles
from sim.spec import ScenarioSpec

from .batches import failed_replications, fan_out
from .power import power_report
from .runner import Batch, replication_seeds, run_batch
from .shared_spec import SharedSpec
from .stats import describe_durations, paired_difference, proportion

__all__ = ["Comparison", "collect", "compare_on", "summarize"]

MINUTES_PER_MONTH = 30.4375 * 1440
N_BOOT = 2000
Progress = Callable[[int], None]


@dataclass
class Comparison:
    spec: ScenarioSpec
    strategies: list[str]
    replications: int
    seed: int
    table: pd.DataFrame
    errors: dict[str, dict[int, str]] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


def collect(
    spec: ScenarioSpec,
    strategies: Sequence[str],
    n: int,
    seed: int,
    executor: Executor,
    *,
    workers: int = 1,
    changes: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, dict[str, dict[int, str]]]:
    """Run every strategy on replications 0..n-1; return (incident table, errors)."""
    seeds = replication_seeds(seed, n)
    shared = SharedSpec(spec)
    jobs = []
    for strategy in strategies:
        for reps in fan_out(n, workers=workers, groups=len(strategies)):
            rep_list = list(reps)
            future = executor.submit(
                run_batch, shared, strategy, [seeds[r] for r in rep_list], rep_list, changes
            )
            jobs.append((len(rep_list), future))
    batches: list[Batch] = []
    for count, future in jobs:  # submission order: the result never depends on timing
        batches.append(future.result())
        if progress is not None:
            progress(count)
    errors: dict[str, dict[int, str]] = {}
    for batch in batches:
        if batch.errors:
            errors.setdefault(batch.strategy, {}).update(batch.errors)
    # The batches' typed tables become one DataFrame in one conversion (not one per batch).
    tables = [batch.table for batch in batches]
    table = pa.concat_tables(tables).to_pandas() if tables else pd.DataFrame()
    return table, errors


def _real(table: pd.DataFrame) -> pd.DataFrame:
    return table[~table["noise"].astype(bool)]


def _by_rep(frame: pd.DataFrame, column: str, n: int) -> list[np.ndarray]:
    return by_replication(frame[column].to_numpy(dtype=float), frame["replication"], n)


def _durations(frame: pd.DataFrame, column: str, rng: np.random.Generator) -> dict[str, Any]:
    data = frame[["replication", column]].dropna()
    found = describe_durations(
        data[column].to_numpy(), rng=rng, n_boot=N_BOOT, cluster=data["replication"].to_numpy()
    )
    out: dict[str, Any] = {}
    for stat in ("mean", "median", "p90", "geomean"):
        out[stat] = found[stat].value
    out["ci95"] = [found["mean"].lo, found["mean"].hi]
    out["ci95_by_stat"] = {
        s: [found[s].lo, found[s].hi] for s in ("mean", "median", "p90", "geomean")
    }
    out["n"] = found["n"]
    # The geometric mean has no logarithm of zero to take: say over what it is.
    out["n_positive"] = found["n_positive"]
    out["geomean_over"] = "positive values only"
    return out


def summarize(
    table: pd.DataFrame,
    spec: ScenarioSpec,
    strategies: Sequence[str],
    n: int,
    seed: int,
) -> dict[str, Any]:
    """The comparison document (minutes; rates in 0..1), as ``gameday compare --json``."""
    rng = np.random.default_rng(seed)
    months = spec.horizon / MINUTES_PER_MONTH
    result: dict[str, Any] = {
        "scenario": spec.name,
        "scenario_digest": spec.digest,
        "replications": n,
        "seed": seed,
        "horizon_minutes": spec.horizon,
        "strategies": {},
        "paired": {},
    }
    real_by_strategy: dict[str, pd.DataFrame] = {}
    for strategy in strategies:
        frame = table[table["strategy"] == strategy]
        real = _real(frame)
        real_by_strategy[strategy] = real
        mitigated = real.dropna(subset=["ttr"])
        has_error = (real["errors"] > 0).astype(int).to_numpy()
        error_rate = proportion(
            has_error,
            np.ones_like(has_error),
            cluster=real["replication"].to_numpy(),
            rng=rng,
            n_boot=N_BOOT,
        )
        point = point_summary(frame, n)
        result["strategies"][strategy] = {
            "incidents": point["incidents"],
            "incidents_per_replication": point["incidents_per_replication"],
            "unmitigated": point["unmitigated"],
            "noise_incidents": point["noise_incidents"],
            "censored": {"ttr": point["unmitigated"], "waits": point.get("censored_waits", 0)},
            "mttr": {
                **_durations(mitigated, "ttr", rng),
                "over": "mitigated incidents only: censored ones are left out (see ttr_km)",
            },
            "ttr_km": km_quantiles(real["ttr_observed"], real["censored"]),
            "ttd": _durations(real, "ttd", rng),
            "tta": _durations(real, "tta", rng),
            "error_rate": error_rate.to_dict(),
            "human_minutes_per_incident": point["human_minutes_per_incident"],
            "manual_actions_per_incident": point["manual_actions_per_incident"],
            "automated_steps_per_incident": point["automated_steps_per_incident"],
            "noise_human_minutes_per_replication": point["noise_human_minutes_per_replication"],
            "cost": point["cost_per_replication"],
            "cost_per_incident": point["cost_per_incident"],
            "incidents_per_month": point["incidents_per_replication"] / months if n else math.nan,
        }
    baseline = strategies[0]
    base = real_by_strategy[baseline]
    for strategy in strategies[1:]:
        other = real_by_strategy[strategy]
        paired: dict[str, Any] = {"baseline": baseline}
        for stat in ("mean", "median", "p90", "geomean"):
            paired[f"mttr_{stat}"] = paired_difference(
                _by_rep(base, "ttr", n), _by_rep(other, "ttr", n), rng=rng, stat=stat, n_boot=N_BOOT
            ).to_dict()
        paired["error_rate"] = paired_difference(
            [a.astype(float) > 0 for a in _by_rep(base, "errors", n)],
            [b.astype(float) > 0 for b in _by_rep(other, "errors", n)],
            rng=rng,
            stat="rate",
            n_boot=N_BOOT,
        ).to_dict()
        a_cost = base.groupby("replication")["cost"].sum().reindex(range(n), fill_value=0.0)
        b_cost = other.groupby("replication")["cost"].sum().reindex(range(n), fill_value=0.0)
        paired["cost_per_replication"] = float((b_cost - a_cost).mean())
        ttr_a = base["ttr"].dropna().to_numpy()
        ttr_b = other["ttr"].dropna().to_numpy()
        if len(ttr_a) > 1 and len(ttr_b) > 1:
            paired["power"] = power_report(
                ttr_a,
                ttr_b,
                incidents_per_month=result["strategies"][baseline]["incidents_per_month"],
            )
        result["paired"][strategy] = paired
    return result


def compare_on(
    executor: Executor,
    spec: ScenarioSpec,
    strategies: Sequence[str],
    n: int,
    seed: int,
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> Comparison:
    table, errors = collect(spec, strategies, n, seed, executor, workers=workers, progress=progress)
    summary = summarize(table, spec, strategies, n, seed)
    summary["failed_replications"] = {s: failed_replications(e) for s, e in errors.items()}
    return Comparison(spec, list(strategies), n, seed, table, errors, summary)
