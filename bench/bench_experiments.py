"""Experiment throughput: replications and simulated incidents per second, 1 vs 2 workers.

Run: ``.venv/bin/python bench/bench_experiments.py [--quick] [--seconds S]``.

The same workload (every strategy of the scenario, N replications on common seeds) runs
three ways in one process, back to back:

1. serially (``SerialExecutor``, what ``--workers 1`` does);
2. on a two-process pool (``open_executor("process", 2)``; its start-up is timed too,
   since a user pays it);
3. as a one-cell sweep on the same pool (``run_sweep``: the same tasks plus the Parquet
   write), to show what the sweep's bookkeeping costs.

N is chosen so that the serial run lasts ``--seconds`` (default 20; ``--quick``: 3), long
enough that pool start-up does not dominate. Parallel efficiency is
``(throughput_2 / throughput_1) / 2`` from the same run; incidents per minute on two
cores is the two-worker throughput x 60, against the target of one million.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# The pool's workers import this file again (as ``__mp_main__``), so the heavy imports
# live in the functions: at the top they would cost every worker a second of CPU that a
# ``gameday`` run does not pay, and the benchmark would understate efficiency.
from sim.experiments.executors import SerialExecutor, open_executor

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from rich.console import Console

    from sim.spec import ScenarioSpec

ROOT = Path(__file__).resolve().parents[1]
PER_MINUTE_TARGET = 1_000_000  # simulated incidents per minute ...
TARGET_CORES = 2  # ... on two cores
EFFICIENCY_TARGET = 0.85
SEED = 1


def _console() -> Console:
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=120)


@dataclass(frozen=True)
class Measured:
    """One timed run of the whole workload."""

    name: str
    replications: int
    incidents: int
    seconds: float  # wall clock, pool start-up included
    cpu: float  # CPU seconds of this process and of the pool's workers, if any

    @property
    def reps_per_s(self) -> float:
        return self.replications / self.seconds

    @property
    def incidents_per_s(self) -> float:
        return self.incidents / self.seconds


def pilot(spec: ScenarioSpec, strategies: list[str]) -> float:
    """Seconds per replication (mean over strategies), after one warm-up each."""
    from sim.experiments.runner import replication_seeds, run_batch

    for strategy in strategies:  # compile and warm caches outside the timing
        run_batch(spec, strategy, [replication_seeds(SEED, 1)[0]], [0])
    start = time.perf_counter()
    for strategy in strategies:
        run_batch(spec, strategy, replication_seeds(SEED + 1, 2), [0, 1])
    return (time.perf_counter() - start) / (2 * len(strategies))


def worker_cpu(executor: Executor) -> float:
    """CPU seconds used so far by a process pool's workers (Linux ``/proc``; else NaN).

    Read just before the pool closes. With the machine shared, wall-clock efficiency
    mixes our overhead with other people's load; CPU seconds separate the two.
    """
    processes = getattr(executor, "_processes", None)  # ProcessPoolExecutor internals
    if not processes:
        return math.nan
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in processes:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return math.nan
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def serial(spec: ScenarioSpec, strategies: list[str], n: int) -> Measured:
    from sim.experiments.compare import collect

    cpu, start = time.process_time(), time.perf_counter()
    table, errors = collect(spec, strategies, n, SEED, SerialExecutor(), workers=1)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    _check(errors)
    return Measured("serial, 1 process", n * len(strategies), len(table), seconds, cpu)


def pool(spec: ScenarioSpec, strategies: list[str], n: int, workers: int) -> Measured:
    from sim.experiments.compare import collect

    cpu, start = time.process_time(), time.perf_counter()
    with open_executor("process", workers) as executor:
        table, errors = collect(spec, strategies, n, SEED, executor, workers=workers)
        used = worker_cpu(executor)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    _check(errors)
    name = f"process pool, {workers} workers"
    return Measured(name, n * len(strategies), len(table), seconds, cpu + used)


def sweep(spec: ScenarioSpec, strategies: list[str], n: int, workers: int) -> Measured:
    """One cell whose only param restates the scenario's horizon: the same workload."""
    import pyarrow.parquet as pq

    from sim.experiments.sweep import plan_sweep, prepare_folder, run_sweep

    plan = plan_sweep(spec, [f"horizon={spec.horizon}"], strategies, n, SEED)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        cpu, start = time.process_time(), time.perf_counter()
        todo = prepare_folder(plan, out, resume=False)
        with open_executor("process", workers) as executor:
            run_sweep(plan, out, executor, todo, workers=workers)
            used = worker_cpu(executor)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        rows = sum(pq.read_metadata(p).num_rows for p in out.glob("cells/*/*.parquet"))
    name = f"sweep, {workers} workers (+ Parquet)"
    return Measured(name, n * len(strategies), rows, seconds, cpu + used)


STARTUP = """
import time
from sim.experiments.executors import open_executor
start = time.perf_counter()
with open_executor("process", {workers}) as executor:
    list(executor.map(abs, range({workers})))
    print(time.perf_counter() - start)
"""


def startup(workers: int) -> float:
    """Seconds from opening a pool to results from it, in a fresh process (cold start:
    the forkserver imports the engine once, then forks the workers)."""
    code = STARTUP.format(workers=workers)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(done.stdout.split()[-1])


def _check(errors: dict[str, dict[int, str]]) -> None:
    if errors:
        raise RuntimeError(f"replications failed: {errors}")


def report(runs: list[Measured], start_s: float, caption: str, workers: int) -> None:
    from rich.table import Table

    console = _console()
    base, two = runs[0], runs[1]
    table = Table(title=f"Experiment throughput — {caption}", title_justify="left")
    columns = ("run", "replications", "incidents", "wall s", "CPU s", "reps/s", "incidents/s")
    for col in (*columns, "vs serial"):
        table.add_column(col, justify="left" if col == "run" else "right")
    for run in runs:
        table.add_row(
            run.name,
            f"{run.replications:,}",
            f"{run.incidents:,}",
            f"{run.seconds:.1f}",
            f"{run.cpu:.1f}",
            f"{run.reps_per_s:.1f}",
            f"{run.incidents_per_s:,.0f}",
            f"{run.incidents_per_s / base.incidents_per_s:.2f}x",
        )
    console.print(table)

    efficiency = two.incidents_per_s / base.incidents_per_s / workers
    # CPU seconds per incident, serial over parallel: the extra work the pool does
    # (pickling, start-up, per-worker compile); 1.0 means none. Not affected by load.
    work = base.cpu / two.cpu if two.cpu > 0 else math.nan
    per_minute = two.incidents_per_s * 60
    idle_per_minute = TARGET_CORES * 60 * base.incidents / base.cpu * work
    us_cpu = 1e6 * base.cpu / base.incidents
    needed_us = 1e6 * 60 * TARGET_CORES / PER_MINUTE_TARGET
    targets = Table(title="Targets", title_justify="left")
    for col in ("measure", "value", "target", "verdict"):
        targets.add_column(col, justify="left" if col in ("measure", "verdict") else "right")

    def verdict(ok: bool, short: str = "") -> str:
        return "met" if ok else f"NOT met{short}"

    targets.add_row(
        f"parallel efficiency, {workers} workers (wall)",
        f"{efficiency:.2f}",
        f">= {EFFICIENCY_TARGET}",
        verdict(efficiency >= EFFICIENCY_TARGET),
    )
    targets.add_row(
        "  work efficiency (serial CPU / pool CPU)",
        f"{work:.2f}",
        f">= {EFFICIENCY_TARGET}",
        verdict(work >= EFFICIENCY_TARGET),
    )
    targets.add_row(
        f"incidents / min on {TARGET_CORES} cores, measured",
        f"{per_minute:,.0f}",
        f"{PER_MINUTE_TARGET:,}",
        verdict(per_minute >= PER_MINUTE_TARGET, f" ({per_minute / PER_MINUTE_TARGET:.0%})"),
    )
    targets.add_row(
        f"  extrapolated to {TARGET_CORES} idle cores (CPU)",
        f"{idle_per_minute:,.0f}",
        f"{PER_MINUTE_TARGET:,}",
        verdict(
            idle_per_minute >= PER_MINUTE_TARGET, f" ({idle_per_minute / PER_MINUTE_TARGET:.0%})"
        ),
    )
    targets.add_row(
        "CPU µs per incident, serial",
        f"{us_cpu:.0f}",
        f"<= {needed_us:.0f}",
        verdict(us_cpu <= needed_us, f" ({us_cpu / needed_us:.1f}x)"),
    )
    console.print(targets)
    console.print(
        f"Pool cold start (fresh process: forkserver + {workers} workers + first results): "
        f"{start_s:.2f} s. Serial CPU/wall {base.cpu / base.seconds:.2f}; parallel CPU/wall "
        f"{two.cpu / two.seconds:.2f} of {workers} (below: the cores were shared with other work)."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "seed-benchmark.yaml"))
    parser.add_argument("--seconds", type=float, default=20.0, help="serial run length")
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 s serial")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    target = 3.0 if args.quick else args.seconds
    from sim.spec import load_scenario

    spec = load_scenario(args.scenario)
    strategies = list(spec.strategies)
    per_rep = pilot(spec, strategies)
    n = max(2, math.ceil(target / (per_rep * len(strategies))))
    _console().print(
        f"{spec.name}: {len(strategies)} strategies x {n} replications "
        f"(pilot: {per_rep * 1000:.0f} ms per replication); {os.cpu_count()} CPUs"
    )
    load_before = os.getloadavg()[0]
    # The pool runs first: it pays the cold start of the forkserver, as a CLI user does.
    pooled = pool(spec, strategies, n, args.workers)
    runs = [serial(spec, strategies, n), pooled, sweep(spec, strategies, n, args.workers)]
    start_s = startup(args.workers)
    caption = (
        f"{spec.name}, {n} replications per strategy; load average "
        f"{load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    report(runs, start_s, caption, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
