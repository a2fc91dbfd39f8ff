"""``gameday sweep SCENARIO --param KEY=VALUES ...`` — strategies over a grid of what-ifs."""

from __future__ import annotations

import argparse
import contextlib
import math
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CLI imports nothing heavy until a command runs
    from sim.experiments.sweep import SweepPlan

from .common import (
    add_allow_partial,
    add_executor_arguments,
    add_replications_arguments,
    add_warmup_argument,
)

HELP = "run every strategy over a grid of what-if knobs; results to a Parquet dataset"

EPILOG = """\
params:
  KEY=START:STOP:STEP   a range, STOP included when it lands on the grid
                        (automation_coverage=0:1:0.1 is 11 values)
  KEY=a,b,c             a list; one value fixes a knob for the whole sweep (horizon=30d)
  Values are typed: ints stay ints, true/false are booleans, minute knobs take
  durations (7d, 12h). KEY is a what-if knob: --knobs lists them. The grid is the
  product of the params; each point (a cell) runs every strategy on the same
  N replication seeds (common random numbers, so curves over the grid are smooth).

output (DIR):
  metadata.json                      scenario digest, grid, cells, seeds, version
  scenario.json                      the base scenario, resolved
  cells/cell=<id>/part-0.parquet     one row per incident, the cell's params as columns
  sweep_summary.parquet              per cell and strategy: MTTR mean/median/p90,
                                     error rate, cost (written when the sweep is done)
  Read it with pandas.read_parquet("DIR/cells") or duckdb
  read_parquet('DIR/cells/*/*.parquet', hive_partitioning = true).

A cell's file appears, atomically, once all its replications are done: a killed sweep
loses only the cells in flight, and --resume runs just the missing cells.
exit codes: 0 done, 1 a task failed (finished cells are kept), 2 bad input.
"""


class _ListKnobs(argparse.Action):
    """``--knobs``: print the what-if knobs and exit (works without SCENARIO, like --help)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any, **__: Any) -> None:
        from sim.spec.variants import KNOBS

        for name, knob in KNOBS.items():
            print(f"{name:<27} {knob.description} [{knob.unit}]")
        parser.exit()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument("scenario", metavar="SCENARIO", help="the scenario YAML file")
    parser.add_argument(
        "--param",
        action="append",
        required=True,
        metavar="KEY=VALUES",
        help="a knob and its values (repeat for a grid): KEY=START:STOP:STEP or KEY=a,b,c",
    )
    add_replications_arguments(
        parser, default=100, what="replications per strategy and grid cell (default 100)"
    )
    parser.add_argument("--strategies", help="comma-separated names (default: all, file order)")
    parser.add_argument("--out", required=True, metavar="DIR", help="the dataset folder")
    parser.add_argument(
        "--resume", action="store_true", help="continue the sweep in DIR: run missing cells"
    )
    add_executor_arguments(parser)
    add_warmup_argument(parser)
    parser.add_argument(
        "--retries", type=int, default=2, help="Dask: times a lost task is retried (default: 2)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document only")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_allow_partial(parser)
    parser.add_argument(
        "--knobs", action=_ListKnobs, nargs=0, help="list the knobs KEY can be, and exit"
    )


def run(args: argparse.Namespace) -> int:
    from .common import failed_replications, load_for_experiment, no_progress_bar, print_json

    loaded = load_for_experiment(
        args, "--retries must be between 0 and 100" if not 0 <= args.retries <= 100 else None
    )
    if loaded is None:
        return 2
    spec, strategies = loaded

    from sim.experiments.executors import default_workers, open_executor
    from sim.experiments.progress import progress_bar
    from sim.experiments.sweep import (
        SweepError,
        plan_sweep,
        prepare_folder,
        run_sweep,
        write_summary,
    )

    out = Path(args.out)
    try:
        plan = plan_sweep(spec, args.param, strategies, args.replications, args.seed)
        todo = prepare_folder(plan, out, resume=args.resume)
    except SweepError as exc:
        print(f"{args.scenario}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{args.out}: {exc}", file=sys.stderr)
        return 2

    serial = args.executor == "serial" and not args.scheduler
    workers = 1 if serial else args.workers or default_workers()
    written: list[str] = []
    started = time.perf_counter()
    total = len(todo) * len(strategies) * args.replications
    try:
        with (
            _sigterm_interrupts(),
            progress_bar(total, "replications", quiet=no_progress_bar(args)) as advance,
            open_executor(args.executor, workers, args.scheduler, args.retries) as executor,
        ):
            run_sweep(
                plan,
                out,
                executor,
                todo,
                workers=workers,
                progress=advance,
                on_cell=lambda cell: written.append(cell.id),
            )
    except KeyboardInterrupt:
        _stopped(out, plan, len(todo), written, "interrupted")
        raise
    except Exception as exc:  # a task failed: say what is kept and how to go on
        _stopped(out, plan, len(todo), written, f"{type(exc).__name__}: {exc}")
        return 1
    summary = write_summary(plan, out)
    seconds = time.perf_counter() - started
    doc = {
        "out": str(out),
        "scenario": spec.name,
        "scenario_digest": spec.digest,
        "cells": len(plan.cells),
        "ran": len(todo),
        "skipped": len(plan.cells) - len(todo),
        "strategies": strategies,
        "replications": args.replications,
        "seed": args.seed,
        "seconds": round(seconds, 3),
        "summary": summary.to_dict(orient="records"),
    }
    if args.json:
        print_json(doc)
    else:
        print_summary(doc, plan.grid)
    everything = len(plan.cells) * len(strategies) * args.replications
    return failed_replications(_errors(out, doc["summary"]), everything, args.allow_partial)


def _errors(out: Path, summary: list[dict[str, Any]]) -> dict[str, dict[Any, str]]:
    """``strategy in cell X`` -> seed -> traceback, from the files of cells with failures."""
    import json

    import pyarrow.parquet as pq

    from sim.experiments.sweep_summary import cell_part

    found: dict[str, dict[Any, str]] = {}
    for row in summary:
        if row.get("failed_replications"):
            part = cell_part(out, row["cell"])
            info = json.loads(pq.read_schema(part).metadata[b"gameday"])
            errors = info.get("errors", {}).get(row["strategy"], {})
            found[f"{row['strategy']} in cell {row['cell']}"] = errors
    return found


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops the sweep as Ctrl-C does: queued work dropped, finished cells kept
    (each is on disk already) and the message saying how to resume."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stopped(out: Path, plan: SweepPlan, todo: int, written: list[str], why: str) -> None:
    """Say how far the sweep got and how to finish it (stderr)."""
    done = len(plan.cells) - todo + len(written)
    print(
        f"sweep stopped ({why}); {done} of {len(plan.cells)} cells are complete in {out}; "
        "rerun with --resume to run the rest",
        file=sys.stderr,
    )


#: Rows of the summary printed on the terminal; the Parquet file has them all.
MAX_ROWS = 60


def print_summary(doc: dict[str, Any], grid: dict[str, list[Any]]) -> None:
    """The summary as a table: a column per varied knob, fixed knobs in the title."""
    from rich.console import Console
    from rich.table import Table

    from sim.report.tables import knob_value

    console = Console()
    rows = doc["summary"]
    varied = [k for k, values in grid.items() if len(values) > 1]
    fixed = ", ".join(f"{k}={knob_value(v[0], k)}" for k, v in grid.items() if len(v) == 1)
    title = (
        f"{doc['scenario']}: {doc['cells']} cells x {len(doc['strategies'])} strategies x "
        f"{doc['replications']} replications, seed {doc['seed']}"
        + (f", {fixed}" if fixed else "")
        + f" ({doc['ran']} cells run, {doc['skipped']} already done, {doc['seconds']:.1f} s)"
        " — minutes, point estimates"
    )
    table = Table(title=title, title_justify="left")
    for name in varied:  # knob names are long: one word per line keeps the table narrow
        table.add_column(name.replace("_", "\n"), justify="right")
    for name in ("strategy", "MTTR\nmean", "median", "p90", "error\nrate", "cost / rep"):
        table.add_column(name, justify="left" if name == "strategy" else "right", no_wrap=True)

    def num(value: float | None, fmt: str) -> str:
        return "-" if value is None or math.isnan(value) else fmt.format(value)

    for row in rows[:MAX_ROWS]:
        table.add_row(
            *(knob_value(row[k], k) for k in varied),
            row["strategy"],
            num(row["mttr_mean"], "{:.1f}"),
            num(row["mttr_median"], "{:.1f}"),
            num(row["mttr_p90"], "{:.1f}"),
            num(row["error_rate"], "{:.1%}"),
            num(row["cost_per_replication"], "{:,.0f}"),
        )
    console.print(table)
    more = len(rows) - MAX_ROWS
    tail = f"{more} more rows in " if more > 0 else "every row: "
    console.print(f"{tail}{Path(doc['out']) / 'sweep_summary.parquet'}")
