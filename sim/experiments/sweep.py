"""Parameter sweeps: the grid x strategies x replications, streamed to a Parquet dataset.

A sweep varies what-if knobs (``sim.spec.variants.KNOBS``) over a grid. Each grid point
is a *cell*; every cell runs every strategy on the same N replications. The output folder:

- ``metadata.json`` — what was asked: scenario name and digest, grid, cells, strategies,
  N, seeds, version, created time. Written first.
- ``scenario.json`` — the base scenario, resolved (as ``gameday compare`` writes it).
- ``cells/cell=<id>/part-0.parquet`` — one row per incident of the cell: the cell's params
  as columns, then ``strategy, replication, seed`` and the metric columns of ``sim.metrics``.
- ``sweep_summary.parquet`` — per cell and strategy: MTTR mean, median, p90, geomean, error
  rate, cost, ... Written last, so it marks a finished sweep.

The layout is hive-style, so ``pandas.read_parquet(DIR / "cells")`` or duckdb's
``read_parquet('DIR/cells/*/*.parquet', hive_partitioning = true)`` add a ``cell`` column.

**Common random numbers across the grid.** Replication ``r`` uses the same seed in every
cell and for every strategy (``runner.replication_seeds``). The streams that decide what
happens to the system do not depend on the knobs, so neighbouring cells see the same
incidents: differences between cells are the knob's effect, not sampling noise, and the
curves over the grid are smooth.

**Atomicity and resume.** A cell's file is written only once all its replications of all
strategies are back, by writing a temporary file and renaming it
(``store.atomic_write_bytes``). A killed sweep loses at most the cells in flight and never
leaves a half-written visible file (temporary files start with ``.``, which Parquet readers
skip, and ``--resume`` removes them). ``--resume`` checks that the folder holds the same
sweep and skips every cell whose file is present.

**Why no per-cell bootstrap summary.** ``compare.summarize`` (cluster-bootstrap intervals
of several statistics, paired differences, power) takes about as long as simulating a
30-day cell (measured: 0.2 s at N = 20, 0.6 s at N = 100), so over a grid it would nearly
double a short-horizon sweep. The sweep summary keeps point estimates, computed from the
dataset at the end; run ``gameday compare`` on the cells that matter for intervals.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sim.spec import ScenarioSpec
from sim.spec.limits import MAX_PAYLOAD_BYTES, tasks_problem
from sim.spec.safe_io import read_limited
from sim.spec.safe_json import parse_json
from sim.spec.variants import vary

from .batches import fan_out
from .runner import Batch, replication_seeds, run_batch
from .shared_spec import SharedSpec
from .store import atomic_write_bytes, atomic_write_json
from .sweep_params import Scalar, SweepError, parse_param
from .sweep_summary import PART, cell_part, load_cells, summary_table, write_summary

__all__ = [
    "FORMAT",
    "Cell",
    "SweepError",
    "SweepPlan",
    "cell_id",
    "done_cells",
    "load_cells",
    "parse_param",
    "plan_sweep",
    "prepare_folder",
    "run_sweep",
    "summary_table",
    "write_summary",
]

#: Version of the folder layout (bumped when a reader would misread an older folder).
FORMAT = 1
SEEDS_RULE = (
    "replication r (0..n-1) uses the r-th seed of the base seed's replication stream "
    "(sim.engine.streams) in every cell and for every strategy (common random numbers)"
)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Cell:
    """One grid point: its id, the knob values, and the digest of the varied scenario."""

    id: str
    params: dict[str, Scalar]
    digest: str


@dataclass
class SweepPlan:
    """What a sweep runs; ``metadata()`` is what ``metadata.json`` records of it."""

    spec: ScenarioSpec
    grid: dict[str, list[Scalar]]
    strategies: list[str]
    replications: int
    seed: int
    cells: list[Cell] = field(default_factory=list)

    def metadata(self) -> dict[str, Any]:
        from sim import __version__

        return {
            "kind": "sweep",
            "format": FORMAT,
            "scenario": self.spec.name,
            "scenario_digest": self.spec.digest,
            "grid": self.grid,
            "strategies": self.strategies,
            "replications": self.replications,
            "seed": self.seed,
            "seeds_rule": SEEDS_RULE,
            "seeds": replication_seeds(self.seed, self.replications),
            "cells": [{"cell": c.id, "params": c.params, "digest": c.digest} for c in self.cells],
            "layout": f"cells/cell=<cell>/{PART}",
            "version": __version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }


def cell_id(params: Mapping[str, Scalar]) -> str:
    """A stable short id of a cell: ``c`` + 12 hex digits of a hash of the sorted params.

    The leading letter keeps Parquet readers from guessing that the ``cell`` partition
    column is a number (an id made of digits only, or like ``12e345``, would be).
    """
    text = json.dumps(dict(params), sort_keys=True, separators=(",", ":"))
    return "c" + hashlib.sha256(text.encode()).hexdigest()[:12]


def plan_sweep(
    spec: ScenarioSpec,
    params: Sequence[str],
    strategies: Sequence[str],
    replications: int,
    seed: int,
) -> SweepPlan:
    """Parse the params, expand the grid (first param outermost) and validate every cell.

    Every variant is made here, once, so a bad cell stops the sweep before anything runs.
    """
    from pydantic import ValidationError

    grid: dict[str, list[Scalar]] = {}
    for text in params:
        key, values = parse_param(text)
        if key in grid:
            raise SweepError(f"--param {text!r}: {key} is given twice")
        grid[key] = values
    cells = math.prod(len(values) for values in grid.values())
    too_much = tasks_problem(cells, len(strategies), replications)
    if too_much:  # before a single variant is made: the product can be astronomical
        raise SweepError(too_much)
    plan = SweepPlan(spec, grid, list(strategies), replications, seed)
    seen: dict[str, dict[str, Scalar]] = {}
    for combo in itertools.product(*grid.values()):
        cell = dict(zip(grid, combo, strict=True))
        name = ", ".join(f"{k}={v}" for k, v in cell.items())
        try:
            variant = vary(spec, cell)
        except ValidationError as exc:
            problems = "\n".join(
                f"  {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
            )
            raise SweepError(
                f"cell {name}: not a valid variant of {spec.name}:\n{problems}"
            ) from None
        except (ValueError, TypeError, KeyError) as exc:
            raise SweepError(f"cell {name}: not a valid variant of {spec.name}: {exc}") from None
        ident = cell_id(cell)
        if ident in seen:  # 48 bits: never seen, but a silent overwrite would be worse
            raise SweepError(f"cells {seen[ident]} and {cell} share the id {ident}")
        seen[ident] = cell
        plan.cells.append(Cell(ident, cell, variant.digest))
    return plan


# --------------------------------------------------------------------------- folder


def _identity(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata fields that must match for ``--resume`` (JSON-normalised)."""
    keys = ("format", "scenario_digest", "grid", "strategies", "replications", "seed", "version")
    return {k: json.loads(json.dumps(meta.get(k))) for k in keys}


def prepare_folder(plan: SweepPlan, out: Path, *, resume: bool) -> list[Cell]:
    """Write ``metadata.json`` and ``scenario.json`` (or check the metadata on resume);
    return the cells still to run."""
    meta_path = out / "metadata.json"
    if meta_path.exists() or (out / "cells").exists():
        if not resume:
            raise SweepError(
                f"{out} already holds a sweep; pass --resume to continue it, "
                "or choose another --out"
            )
        if not meta_path.exists():
            raise SweepError(f"{out} has cells but no metadata.json: not a sweep to resume")
        try:
            found = parse_json(read_limited(meta_path, MAX_PAYLOAD_BYTES))
        except (OSError, ValueError) as exc:  # JsonRefused, UnsafePath are ValueErrors
            raise SweepError(f"{meta_path}: unreadable ({exc})") from None
        if not isinstance(found, dict):
            raise SweepError(f"{meta_path}: not the metadata of a sweep (not a JSON object)")
        want, have = _identity(plan.metadata()), _identity(found)
        differ = [k for k in want if want[k] != have[k]]
        if differ:
            lines = "\n".join(f"  {k}: {have[k]!r} there, {want[k]!r} now" for k in differ)
            raise SweepError(
                f"{out} holds a different sweep, so --resume would mix results:\n{lines}\n"
                "rerun with the same scenario and arguments, or choose another --out"
            )
        _remove_temporaries(out)
        _write_scenario(plan, out)
        done = done_cells(out)
        return [c for c in plan.cells if c.id not in done]
    atomic_write_json(meta_path, plan.metadata())
    _write_scenario(plan, out)
    return list(plan.cells)


def _write_scenario(plan: SweepPlan, out: Path) -> None:
    """``scenario.json``: the base scenario, so the folder describes itself (as compare's)."""
    path = out / "scenario.json"
    if not path.exists():
        atomic_write_json(path, plan.spec.model_dump(mode="json", by_alias=True))


def _remove_temporaries(out: Path) -> None:
    """Delete the temporary files of writes a killed run left (``.<name>.<pid>.tmp``)."""
    for tmp in out.rglob(".*.tmp"):
        tmp.unlink(missing_ok=True)


def done_cells(out: Path) -> set[str]:
    """Ids of the cells whose part file is present and readable.

    A file is renamed into place only when complete, so presence means done; the footer is
    still read, so that a file damaged by other means is run again rather than trusted.
    """
    done = set()
    for part in (out / "cells").glob(f"cell=*/{PART}"):
        cell = part.parent.name.removeprefix("cell=")
        try:
            info = json.loads(pq.read_schema(part).metadata[b"gameday"])
        except (OSError, KeyError, ValueError, TypeError, pa.ArrowException):
            continue
        if info.get("cell") == cell:
            done.add(cell)
    return done


# --------------------------------------------------------------------------- running


@dataclass
class _Pending:
    order: int  # submission order: finished tasks are handled in it, not by timing
    cell: int
    slot: int
    replications: int


def run_sweep(
    plan: SweepPlan,
    out: Path,
    executor: Executor,
    cells: Sequence[Cell],
    *,
    workers: int = 1,
    progress: Progress | None = None,
    on_cell: Callable[[Cell], None] | None = None,
) -> None:
    """Run ``cells`` on ``executor``, writing each cell's file as soon as it is complete.

    At most ``2 * workers + 2`` tasks are submitted at a time: enough to keep every worker
    busy, few enough that results wait in memory only briefly and a kill loses little. Each
    cell's batches are put back in (strategy, replication) order, so the file does not
    depend on the executor, the batching or the order tasks finish in.

    If a task fails, nothing more is submitted, the tasks in flight are finished and every
    cell they complete is written; then the first failure is raised.
    """
    seeds = replication_seeds(plan.seed, plan.replications)
    shared = SharedSpec(plan.spec)
    groups = len(cells) * len(plan.strategies)
    chunks = fan_out(plan.replications, workers=workers, groups=groups)
    per_cell = len(chunks) * len(plan.strategies)
    todo = (
        (index, slot, strategy, reps)
        for index in range(len(cells))
        for slot, (strategy, reps) in enumerate(itertools.product(plan.strategies, chunks))
    )
    pending: dict[Future[Batch], _Pending] = {}
    results: dict[int, list[Batch | None]] = {}
    failure: BaseException | None = None
    submitted = 0
    try:
        while True:
            while failure is None and len(pending) < 2 * workers + 2:
                task = next(todo, None)
                if task is None:
                    break
                index, slot, strategy, reps = task
                future = executor.submit(
                    run_batch,
                    shared,
                    strategy,
                    [seeds[r] for r in reps],
                    list(reps),
                    cells[index].params,
                )
                pending[future] = _Pending(submitted, index, slot, len(reps))
                submitted += 1
                results.setdefault(index, [None] * per_cell)
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: pending[f].order):
                info = pending.pop(future)
                error = future.exception()
                if error is not None:
                    failure = failure or error
                    continue
                batches = results[info.cell]
                batches[info.slot] = future.result()
                if progress is not None:
                    progress(info.replications)
                if all(b is not None for b in batches):
                    del results[info.cell]
                    _write_cell(plan, out, cells[info.cell], [b for b in batches if b is not None])
                    if on_cell is not None:
                        on_cell(cells[info.cell])
    finally:
        # Ctrl-C: drop queued work; the cells finished so far are on disk already.
        for future in pending:
            future.cancel()
    if failure is not None:
        raise failure


def _param_type(value: Scalar) -> pa.DataType:
    if isinstance(value, bool):
        return pa.bool_()
    if isinstance(value, int):
        return pa.int64()
    return pa.float64()


def _write_cell(plan: SweepPlan, out: Path, cell: Cell, batches: Sequence[Batch]) -> None:
    """Concatenate the batches (already in order) and write the cell's file atomically."""
    incidents = pa.concat_tables([batch.table for batch in batches])
    errors: dict[str, dict[str, str]] = {}
    for batch in batches:
        for seed, trace in batch.errors.items():
            errors.setdefault(batch.strategy, {})[str(seed)] = trace
    rows = incidents.num_rows
    arrays: dict[str, pa.Array | pa.ChunkedArray] = {
        key: pa.array([value] * rows, type=_param_type(value)) for key, value in cell.params.items()
    }
    arrays.update(zip(incidents.column_names, incidents.columns, strict=True))
    info = {
        "cell": cell.id,
        "params": cell.params,
        "scenario_digest": cell.digest,
        "strategies": plan.strategies,
        "replications": plan.replications,
        "errors": errors,  # strategy -> seed -> traceback of failed replications
    }
    table = pa.table(arrays).replace_schema_metadata({"gameday": json.dumps(info)})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    atomic_write_bytes(cell_part(out, cell.id), buffer.getvalue())
