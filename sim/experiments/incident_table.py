"""The incident table of an experiment: one row per incident, typed the same everywhere.

A task builds its rows as an Arrow table with one fixed schema: typed columns pickle
back from a worker and concatenate cheaply, ``compare`` turns them into pandas in one
call, and ``sweep`` writes them to Parquet as they are. Fixed types also mean that a
cell or a batch without incidents has the same columns as any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from sim.metrics import COLUMNS, FIELDS

__all__ = ["ID_COLUMNS", "SCHEMA", "IncidentTable"]

#: Columns that say where a row comes from, before the metric columns of ``sim.metrics``.
ID_COLUMNS = ("strategy", "replication", "seed")

_STRING_COLUMNS = frozenset(
    {"strategy", "service", "fault", "fault_kind", "severity", "runbooks", "mitigated_by"}
)
_INT_COLUMNS = frozenset(
    {
        "replication",
        "seed",
        "incident",
        "errors",
        "step_errors",
        "wrong_runbooks",
        "manual_actions",
        "automated_steps",
        "pages",
    }
)
_BOOL_COLUMNS = frozenset({"noise", "censored", "wait_censored"})


def _arrow_type(name: str) -> pa.DataType:
    if name in _STRING_COLUMNS:
        return pa.string()
    if name in _INT_COLUMNS:
        return pa.int64()
    if name in _BOOL_COLUMNS:
        return pa.bool_()
    return pa.float64()


#: The incident table's columns and types (NaN stays NaN in float columns, not null).
SCHEMA = pa.schema([(name, _arrow_type(name)) for name in (*ID_COLUMNS, *COLUMNS)])


class IncidentTable:
    """The incident records of replications of one strategy, gathered column by column."""

    def __init__(self, strategy: str) -> None:
        self.strategy = strategy
        self._fields: list[list[Any]] = [[] for _ in FIELDS]
        self._replications: list[int] = []
        self._seeds: list[int] = []
        self._counts: list[int] = []

    def add(self, replication: int, seed: int, records: Sequence[Sequence[Any]]) -> None:
        """Append ``sim.metrics.incident_records`` of one replication.

        They are transposed at once (in C: one tuple per field), so that the caller can
        drop them: a few dozen long lists are all that stays alive until ``table``, not a
        list per incident for the garbage collector to walk.
        """
        if records:
            for column, values in zip(self._fields, zip(*records, strict=True), strict=True):
                column += values
        self._replications.append(replication)
        self._seeds.append(seed)
        self._counts.append(len(records))

    def table(self) -> pa.Table:
        """The rows added so far, with the ``SCHEMA``."""
        by_field = dict(zip(FIELDS, self._fields, strict=True))
        columns: dict[str, Any] = {
            "strategy": [self.strategy] * sum(self._counts),
            "replication": np.repeat(np.asarray(self._replications, np.int64), self._counts),
            "seed": np.repeat(np.asarray(self._seeds, np.int64), self._counts),
        }
        columns.update((name, by_field[name]) for name in COLUMNS)
        arrays = [pa.array(columns[f.name], type=f.type) for f in SCHEMA]
        return pa.Table.from_arrays(arrays, schema=SCHEMA)
