"""The summary of one run (``gameday run``); definitions in ``measures``, CIs in
``sim.experiments``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .measures import POINT_COLUMNS, point_summary
from .survival import km_quantiles

__all__ = ["summarize"]


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts, MTTR mean/median/p90, TTD/TTA means, error rate, human-minutes and outage
    cost of the incidents of one replication (``incident_rows``)."""
    columns = {key: [row[key] for row in rows] for key in rows[0]} if rows else _EMPTY
    point = point_summary(columns, replications=1)
    real = [not noise for noise in columns["noise"]]
    return {
        "incidents": point["incidents"],
        "noise_incidents": point["noise_incidents"],
        "unmitigated": point["unmitigated"],
        "censored": {"ttr": point["unmitigated"], "waits": point.get("censored_waits", 0)},
        "mttr": {stat: point[f"mttr_{stat}"] for stat in ("mean", "median", "p90")},
        "mttr_over": "mitigated incidents only: censored ones are left out (see ttr_km)",
        "ttr_km": km_quantiles(
            [x for x, r in zip(columns["ttr_observed"], real, strict=True) if r],
            [c for c, r in zip(columns["censored"], real, strict=True) if r],
        ),
        "ttd_mean": point["ttd_mean"],
        "tta_mean": point["tta_mean"],
        "error_rate": point["error_rate"],
        "human_minutes_per_incident": point["human_minutes_per_incident"],
        "manual_actions_per_incident": point["manual_actions_per_incident"],
        "cost": point["cost_per_replication"],
    }


_EMPTY: dict[str, list[Any]] = {key: [] for key in (*POINT_COLUMNS, "censored", "ttr_observed")}
