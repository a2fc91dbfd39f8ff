"""Experiment throughput: replications and simulated incidents per second, 1 vs 2 workers.

Run: ``.venv/bin/python bench/bench_experiments.py [--quick] [--seconds S] [--rounds R]``.

The workload is ``gameday compare``'s without the bootstrap summary: every strategy of the
scenario on N replications with common seeds. It runs three ways:

- **serial** — ``collect`` on a ``SerialExecutor`` (what ``--workers 1`` does);
- **pool** — ``collect`` on ``open_executor("process", 2)``;
- **sweep** — ``run_sweep`` of a one-cell grid (the only param restates the scenario's
  horizon, so the work is the same) on that pool: the same tasks plus the Parquet write.

The machine is shared, so the three are *interleaved*: ``--rounds`` rounds (default 5), each
running all three on fresh seeds, in alternating order. Neighbours' load then hits all three
alike, and the spread of the per-round ratios shows how noisy the run was. The pool stays
open across rounds; its cold start (a fresh process: the forkserver imports the engine,
forks the workers, returns the first results) is measured separately and added once for the
end-to-end figure. N is chosen so that the serial runs total ``--seconds`` (default 20;
``--quick``: 4 s in 2 rounds).

Parallel efficiency is ``(throughput_2 / throughput_1) / 2``; incidents per minute on two
cores is the two-worker throughput x 60, against the target of one million.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

# The pool's workers import this file again (as ``__mp_main__``), so the heavy imports
# live in the functions: at the top they would cost every worker CPU time that a
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


@dataclass
class Tally:
    """One way of running the workload, summed over rounds."""

    name: str
    replications: int = 0
    incidents: int = 0
    seconds: float = 0.0  # wall clock
    cpu: float = 0.0  # CPU seconds of this process and of the pool's workers
    rates: list[float] = field(default_factory=list)  # incidents/s of each round
    busy: list[float] = field(default_factory=list)  # share of worker time with a task

    def add(
        self, replications: int, incidents: int, seconds: float, cpu: float, busy: float
    ) -> None:
        self.replications += replications
        self.incidents += incidents
        self.seconds += seconds
        self.cpu += cpu
        self.rates.append(incidents / seconds)
        self.busy.append(busy)

    @property
    def reps_per_s(self) -> float:
        return self.replications / self.seconds

    @property
    def incidents_per_s(self) -> float:
        return self.incidents / self.seconds


def worker_sched(executor: Executor) -> tuple[float, float]:
    """Seconds the pool's workers have run and waited to run, so far (Linux; else NaN).

    From ``/proc/<pid>/schedstat`` (ns on the CPU, ns runnable in a run queue). The first
    separates our CPU from the neighbours' load; the sum says how much of the time a worker
    had a task at all, i.e. whether the pool kept its workers fed.
    """
    processes = getattr(executor, "_processes", None)  # ProcessPoolExecutor internals
    if not processes:
        return math.nan, math.nan
    ran = waited = 0
    for pid in processes:
        try:
            fields = Path(f"/proc/{pid}/schedstat").read_text().split()
        except OSError:
            return math.nan, math.nan
        ran, waited = ran + int(fields[0]), waited + int(fields[1])
    return ran / 1e9, waited / 1e9


def pilot(spec: ScenarioSpec, strategies: list[str]) -> float:
    """Seconds per replication (mean over strategies), after one warm-up each."""
    from sim.experiments.runner import replication_seeds, run_batch

    for strategy in strategies:  # compile and warm caches outside the timing
        run_batch(spec, strategy, [replication_seeds(SEED, 1)[0]], [0])
    start = time.perf_counter()
    for strategy in strategies:
        run_batch(spec, strategy, replication_seeds(SEED + 1, 2), [0, 1])
    return (time.perf_counter() - start) / (2 * len(strategies))


def timed(
    tally: Tally, executor: Executor | None, work: Callable[[], int], reps: int, workers: int
) -> None:
    """Run ``work`` (returns incidents) and add its wall and CPU time to ``tally``."""
    before = worker_sched(executor) if executor is not None else (0.0, 0.0)
    cpu, start = time.process_time(), time.perf_counter()
    incidents = work()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    busy = 0.0
    if executor is not None:
        ran, waited = worker_sched(executor)
        cpu += ran - before[0]
        busy = (ran - before[0] + waited - before[1]) / (seconds * workers)
    tally.add(reps, incidents, seconds, cpu, busy)


def collected(spec: ScenarioSpec, strategies: list[str], n: int, seed: int, executor: Executor,
              workers: int) -> int:  # fmt: skip
    from sim.experiments.compare import collect

    table, errors = collect(spec, strategies, n, seed, executor, workers=workers)
    if errors:
        raise RuntimeError(f"replications failed: {errors}")
    return len(table)


def swept(spec: ScenarioSpec, strategies: list[str], n: int, seed: int, executor: Executor,
          workers: int) -> int:  # fmt: skip
    import pyarrow.parquet as pq

    from sim.experiments.sweep import plan_sweep, prepare_folder, run_sweep

    plan = plan_sweep(spec, [f"horizon={spec.horizon}"], strategies, n, seed)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        run_sweep(plan, out, executor, prepare_folder(plan, out, resume=False), workers=workers)
        return sum(pq.read_metadata(p).num_rows for p in out.glob("cells/*/*.parquet"))


STARTUP = """
import time
from sim.experiments.executors import open_executor
start = time.perf_counter()
with open_executor("process", {workers}) as executor:
    list(executor.map(abs, range({workers})))
    print(time.perf_counter() - start)
"""


def cold_start(workers: int) -> float:
    """Seconds from opening a pool to results from it, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", STARTUP.format(workers=workers)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(done.stdout.split()[-1])


def measure(
    spec: ScenarioSpec, strategies: list[str], n: int, rounds: int, workers: int
) -> list[Tally]:
    serial = Tally("serial, 1 process")
    pooled = Tally(f"process pool, {workers} workers")
    sweep = Tally(f"sweep, {workers} workers (+ Parquet)")
    reps = n * len(strategies)
    with open_executor("process", workers) as executor:
        # Warm-up: start the workers and compile the scenario in each, outside the timing.
        collected(spec, strategies, workers, SEED, executor, workers)
        for r in range(rounds):
            seed = SEED + 1 + r
            steps: list[tuple[Tally, Executor | None, Callable[[], int]]] = [
                (serial, None, partial(collected, spec, strategies, n, seed, SerialExecutor(), 1)),
                (
                    pooled,
                    executor,
                    partial(collected, spec, strategies, n, seed, executor, workers),
                ),
                (sweep, executor, partial(swept, spec, strategies, n, seed, executor, workers)),
            ]
            for tally, used, work in steps if r % 2 == 0 else steps[::-1]:
                timed(tally, used, work, reps, workers)
    return [serial, pooled, sweep]


def report(runs: list[Tally], start_s: float, caption: str, workers: int) -> None:
    from rich.table import Table

    console = _console()
    base, two = runs[0], runs[1]
    table = Table(title=f"Experiment throughput — {caption}", title_justify="left")
    columns = ("run", "reps", "incidents", "wall s", "CPU s", "CPU µs/incident", "reps/s",
               "incidents/s")  # fmt: skip
    for col in (*columns, "rounds: min-max", "vs serial"):
        table.add_column(col, justify="left" if col == "run" else "right")
    for run in runs:
        table.add_row(
            run.name,
            f"{run.replications:,}",
            f"{run.incidents:,}",
            f"{run.seconds:.1f}",
            f"{run.cpu:.1f}",
            f"{1e6 * run.cpu / run.incidents:.0f}",
            f"{run.reps_per_s:.1f}",
            f"{run.incidents_per_s:,.0f}",
            f"{min(run.rates):,.0f}-{max(run.rates):,.0f}",
            f"{run.incidents_per_s / base.incidents_per_s:.2f}x",
        )
    console.print(table)

    efficiency = two.incidents_per_s / base.incidents_per_s / workers
    per_round = [p / s / workers for p, s in zip(two.rates, base.rates, strict=True)]
    # What a user sees for a workload of this size: the pool's cold start paid once.
    end_to_end = base.seconds / (two.seconds + start_s) / workers
    # CPU seconds, serial over parallel: the extra work the pool does (pickling, the
    # parent's bookkeeping); 1.0 means none.
    work = base.cpu / two.cpu if two.cpu > 0 else math.nan
    # On an idle machine a worker with a task runs; so the share of worker time with a
    # task (running or queued behind a neighbour) times the work efficiency is what the
    # efficiency would be there. Autogroup scheduling makes this matter here: the kernel
    # shares the CPU between sessions first, so while another session is busy, ours gets
    # about one core however many processes it runs.
    busy = statistics.fmean(two.busy)
    projected = busy * min(1.0, work)
    per_minute = two.incidents_per_s * 60
    idle_per_minute = TARGET_CORES * 60 * base.incidents / base.cpu * min(1.0, work)
    us_cpu = 1e6 * base.cpu / base.incidents
    needed_us = 1e6 * 60 * TARGET_CORES / PER_MINUTE_TARGET
    targets = Table(title="Targets", title_justify="left")
    for col in ("measure", "value", "target", "verdict"):
        targets.add_column(col, justify="left" if col in ("measure", "verdict") else "right")

    def verdict(ok: bool, short: str = "") -> str:
        return "met" if ok else f"NOT met{short}"

    def efficiency_row(measure: str, value: float) -> None:
        met = value >= EFFICIENCY_TARGET
        targets.add_row(measure, f"{value:.2f}", f">= {EFFICIENCY_TARGET}", verdict(met))

    def per_minute_row(measure: str, value: float) -> None:
        met = value >= PER_MINUTE_TARGET
        short = f" ({value / PER_MINUTE_TARGET:.0%})"
        targets.add_row(measure, f"{value:,.0f}", f"{PER_MINUTE_TARGET:,}", verdict(met, short))

    efficiency_row(
        f"parallel efficiency, {workers} workers (wall; rounds "
        f"{min(per_round):.2f}-{max(per_round):.2f}, median {statistics.median(per_round):.2f})",
        efficiency,
    )
    efficiency_row(f"  with the pool's cold start ({start_s:.1f} s) paid once", end_to_end)
    efficiency_row("  work efficiency (serial CPU / pool CPU)", work)
    efficiency_row(
        f"  projected for idle cores: busy share {busy:.2f} x work efficiency", projected
    )
    per_minute_row(f"incidents / min on {TARGET_CORES} cores, measured", per_minute)
    per_minute_row(
        f"  extrapolated to {TARGET_CORES} idle cores (serial CPU rate)", idle_per_minute
    )
    targets.add_row(
        "CPU µs per incident, serial",
        f"{us_cpu:.0f}",
        f"<= {needed_us:.0f}",
        verdict(us_cpu <= needed_us, f" ({us_cpu / needed_us:.1f}x)"),
    )
    console.print(targets)
    busy = two.cpu / two.seconds
    why = (
        "well below: the cores were shared with other work; judge the CPU rows"
        if busy < 0.9 * workers
        else "the cores were free: the wall-clock rows hold"
    )
    console.print(
        f"CPU/wall: serial {base.cpu / base.seconds:.2f} of 1, pool {busy:.2f} "
        f"of {workers} ({why})."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "seed-benchmark.yaml"))
    parser.add_argument("--seconds", type=float, default=20.0, help="total serial time")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--quick", action="store_true", help="smoke run: 4 s serial, 2 rounds")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    seconds, rounds = (4.0, 2) if args.quick else (args.seconds, args.rounds)
    from sim.spec import load_scenario

    spec = load_scenario(args.scenario)
    strategies = list(spec.strategies)
    per_rep = pilot(spec, strategies)
    # Per round and strategy; a multiple of 4 x workers so the pool's batches are even.
    n = math.ceil(seconds / rounds / (per_rep * len(strategies)) / (4 * args.workers))
    n = max(1, n) * 4 * args.workers
    _console().print(
        f"{spec.name}: {rounds} rounds x {len(strategies)} strategies x {n} replications "
        f"(pilot: {per_rep * 1000:.0f} ms per replication); {os.cpu_count()} CPUs"
    )
    load_before = os.getloadavg()[0]
    start_s = cold_start(args.workers)
    runs = measure(spec, strategies, n, rounds, args.workers)
    caption = (
        f"{spec.name}, {rounds} interleaved rounds; load average {load_before:.1f} -> "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    report(runs, start_s, caption, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
