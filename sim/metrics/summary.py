"""Quick per-run summaries (the statistics with CIs live in ``sim.experiments``)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any

__all__ = ["summarize"]


def _quantile(values: Sequence[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts, MTTR mean/median/p90, TTD/TTA means and error rate of real incidents."""
    real = [r for r in rows if not r["noise"] and not math.isnan(r["ttr"])]
    ttr = [r["ttr"] for r in real]

    def mean(key: str) -> float:
        vals = [r[key] for r in real if not math.isnan(r[key])]
        return statistics.fmean(vals) if vals else math.nan

    return {
        "incidents": len(real),
        "noise_incidents": sum(1 for r in rows if r["noise"]),
        "unmitigated": sum(1 for r in rows if not r["noise"] and math.isnan(r["ttr"])),
        "mttr": {
            "mean": statistics.fmean(ttr) if ttr else math.nan,
            "median": _quantile(ttr, 0.5),
            "p90": _quantile(ttr, 0.9),
        },
        "ttd_mean": mean("ttd"),
        "tta_mean": mean("tta"),
        "error_rate": (sum(1 for r in real if r["errors"] > 0) / len(real)) if real else math.nan,
        "human_minutes_per_incident": mean("human_minutes"),
        "manual_actions_per_incident": mean("manual_actions"),
        "cost": sum(r["cost"] for r in real),
    }
