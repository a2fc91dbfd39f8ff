"""A sweep's results read back: every incident with its cell, and the summary table.

The summary keeps point estimates per cell and strategy, each measure as
``sim.metrics.measures`` defines it; it is written last (``sweep_summary.parquet``),
so it marks a finished sweep.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from sim.metrics.measures import POINT_COLUMNS, point_summary

from .batches import failed_replications
from .store import atomic_write_bytes

__all__ = ["PART", "SUMMARY", "cell_part", "load_cells", "summary_table", "write_summary"]

PART = "part-0.parquet"
SUMMARY = "sweep_summary.parquet"


def cell_part(out: Path, cell: str) -> Path:
    """Where the incidents of cell ``cell`` of the sweep in ``out`` are."""
    return out / "cells" / f"cell={cell}" / PART


def load_cells(out: str | os.PathLike[str]) -> pd.DataFrame:
    """Every incident of a sweep folder, with its ``cell`` column (hive partition)."""
    return pd.read_parquet(Path(out) / "cells")


def _summary_rows(cell: Any, frame: pd.DataFrame, info: Mapping[str, Any]) -> list[dict[str, Any]]:
    n = int(info["replications"])
    rows = []
    for strategy in info["strategies"]:
        mine = frame[frame["strategy"] == strategy]
        rows.append(
            {
                "cell": cell.id,
                **cell.params,
                "strategy": strategy,
                "replications": n,
                "failed_replications": failed_replications(info["errors"].get(strategy, {})),
                **point_summary(mine, n),
            }
        )
    return rows


def summary_table(plan: Any, out: Path) -> pd.DataFrame:
    """Per cell (grid order) and strategy of ``plan`` (a ``sweep.SweepPlan``, not
    imported here: ``sweep`` imports this module): point estimates over the real
    incidents.

    Every measure and statistic as ``sim.metrics.measures`` defines it (as ``gameday
    compare``). Only the needed columns are read, so this stays cheap on large sweeps.
    """
    wanted = ["strategy", *POINT_COLUMNS]
    rows: list[dict[str, Any]] = []
    for cell in plan.cells:
        path = cell_part(out, cell.id)
        table = pq.read_table(path, columns=wanted)
        info = json.loads(table.schema.metadata[b"gameday"])
        rows.extend(_summary_rows(cell, table.to_pandas(), info))
    return pd.DataFrame(rows)


def write_summary(plan: Any, out: Path) -> pd.DataFrame:
    """Write ``sweep_summary.parquet`` (atomically) and return it."""
    frame = summary_table(plan, out)
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    atomic_write_bytes(out / SUMMARY, buffer.getvalue())
    return frame
