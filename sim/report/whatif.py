"""What-if analysis: one strategy on a scenario as written and with knobs turned.

``variant(spec, changes)`` applies the what-if knobs of ``sim.spec.variants`` (coverage,
responders, ack time, detection delay, auto-remediation, ...). ``whatif_table`` compares
the baseline and the variant run on the same replication seeds: MTTR mean, median and p90
and the error rate, each side with its 95% cluster-bootstrap interval, and the paired
difference (variant - baseline) with its own interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments import paired_difference
from sim.metrics.measures import Stat, by_replication
from sim.spec import ScenarioSpec
from sim.spec.variants import KNOBS, vary

__all__ = ["KNOBS", "variant", "whatif_table"]

N_BOOT = 1000


def variant(spec: ScenarioSpec, changes: Mapping[str, Any]) -> ScenarioSpec:
    """``spec`` with the knobs in ``changes`` set (validated again; see ``KNOBS``)."""
    return vary(spec, changes)


def _real(table: pd.DataFrame) -> pd.DataFrame:
    return table[~table["noise"].astype(bool)] if not table.empty else table


def _by_rep(table: pd.DataFrame, column: str, n: int) -> list[np.ndarray]:
    if table.empty:
        return [np.empty(0) for _ in range(n)]
    replication = table["replication"].astype(str).astype(int)  # may come as a category
    return by_replication(table[column].to_numpy(dtype=float), replication, n)


def whatif_table(
    baseline: Mapping[str, Any],
    what_if: Mapping[str, Any],
    base_rows: pd.DataFrame,
    variant_rows: pd.DataFrame,
    *,
    strategy: str,
    n: int,
    seed: int = 1,
) -> pd.DataFrame:
    """Rows ``measure, side, value, lo, hi, unit`` with side in baseline / what-if /
    difference. ``baseline`` and ``what_if`` are comparison documents (``summary.json``
    form) of the one strategy; the rows are their incident tables, for the paired
    differences (replication r of both ran on the same seed)."""
    rng = np.random.default_rng(seed)
    base, other = _real(base_rows), _real(variant_rows)
    rows: list[dict[str, Any]] = []
    measures: tuple[tuple[Stat, str], ...] = (
        ("mean", "MTTR mean"),
        ("median", "MTTR median"),
        ("p90", "MTTR p90"),
    )
    for stat, label in measures:
        for side, doc in (("baseline", baseline), ("what-if", what_if)):
            block = doc["strategies"][strategy]["mttr"]
            lo, hi = block["ci95_by_stat"][stat]
            rows.append(_row(label, side, block[stat], lo, hi, "minutes"))
        diff = paired_difference(
            _by_rep(base, "ttr", n), _by_rep(other, "ttr", n), rng=rng, stat=stat, n_boot=N_BOOT
        )
        rows.append(_row(label, "difference", diff.value, diff.lo, diff.hi, "minutes"))
    for side, doc in (("baseline", baseline), ("what-if", what_if)):
        rate = doc["strategies"][strategy]["error_rate"]
        lo, hi = rate["ci95"]
        rows.append(_row("error rate", side, rate["value"], lo, hi, "share"))
    diff = paired_difference(
        [a > 0 for a in _by_rep(base, "errors", n)],
        [b > 0 for b in _by_rep(other, "errors", n)],
        rng=rng,
        stat="rate",
        n_boot=N_BOOT,
    )
    rows.append(_row("error rate", "difference", diff.value, diff.lo, diff.hi, "share"))
    return pd.DataFrame(rows)


def _row(measure: str, side: str, value: Any, lo: Any, hi: Any, unit: str) -> dict[str, Any]:
    def num(v: Any) -> float:
        return float(v) if isinstance(v, int | float) else float("nan")

    return {
        "measure": measure,
        "side": side,
        "value": num(value),
        "lo": num(lo),
        "hi": num(hi),
        "unit": unit,
    }
