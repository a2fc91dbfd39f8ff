"""Engine cost per simulated incident, against a bare SimPy model of the same process.

Run as a script from the repository root (it imports its siblings ``workload`` and
``bare_model``)::

    .venv/bin/python bench/bench_engine.py [--quick] [--profile] [--diagnose] [--no-parallel]

Both models run the workload of ``bench/workload.py`` (N services, 3 responders, ~5
incidents a day whatever N): the engine through ``sim.engine.run_once`` (optionally
followed by ``sim.metrics.incident_rows``), the floor through ``bench/bare_model.py``.
Tables (``bench/README.md`` says how to read them):

1. the workloads match (faults, incidents, SimPy events, step attempts, MTTR);
2. µs per simulated incident at 50 services x 365 days, the engine/bare ratio and the
   throughput it implies (one core, and x2 for two cores);
3. scaling: services 10 / 100 / 1,000 at 365 days; days 30 / 365 / 1,460 at 50 services;
4. the targets of the issues, met or not;
5. measured throughput of two worker processes (full run only, unless ``--no-parallel``);
6. with ``--profile``: cProfile of one engine run, top 25 functions by own time;
7. with ``--diagnose``: engine variants (cyclic GC off, event log off) against bare.

The machine is shared and noisy, so every table interleaves its models (and rows)
replication by replication, reports medians, and states ratios measured within the
same run. CPU time (``process_time``) is reported next to wall time: when the two
differ a lot, something else was using the cores.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import math
import os
import pstats
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

import simpy
from bare_model import BareProgram, compile_bare, run_bare
from rich.console import Console
from rich.table import Table
from workload import STRATEGY, Workload, make_workload

from sim.engine import compile_scenario, run_once
from sim.metrics.incidents import incident_rows
from sim.spec import ScenarioSpec

# Targets from the issues.
RATIO_TARGET = 2.0  # engine within 2x of the bare model
FLAT_TARGET = 1.2  # cost per incident flat within 1.2x across sizes and horizons
PER_MINUTE_TARGET = 1_000_000  # simulated incidents per minute ...
TARGET_CORES = 2  # ... on two cores

BARE, ENGINE, WITH_ROWS = "bare SimPy", "engine run_once", "engine run_once + incident_rows"
MODELS = (BARE, ENGINE, WITH_ROWS)

# Piped output gets a fixed width wide enough for the tables (rich defaults to 80).
console = Console() if sys.stdout.isatty() else Console(width=150)


@dataclass(frozen=True, slots=True)
class Sample:
    """One timed replication of one model."""

    seconds: float  # wall clock (perf_counter)
    cpu: float  # CPU time of this process (process_time): robust to other load
    incidents: int
    faults: int
    steps: int  # step attempts
    mttr: float  # minutes, over incidents with a mitigation
    log_rows: int  # event-log entries (0 for the bare model)

    @property
    def us(self) -> float:
        """Wall µs per simulated incident."""
        return 1e6 * self.seconds / self.incidents if self.incidents else math.nan

    @property
    def cpu_us(self) -> float:
        """CPU µs per simulated incident."""
        return 1e6 * self.cpu / self.incidents if self.incidents else math.nan


# ----------------------------------------------------------------------- one replication


def time_engine(spec: ScenarioSpec, seed: int, with_rows: bool) -> Sample:
    """Time ``run_once`` (and ``incident_rows`` after it if ``with_rows``)."""
    gc.collect()  # start every timed run without the previous run's garbage
    cpu, start = time.process_time(), time.perf_counter()
    result = run_once(spec, STRATEGY, seed)
    rows = incident_rows(result.events) if with_rows else None
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if result.error is not None:
        raise RuntimeError(f"engine run failed (seed {seed}):\n{result.error}")
    # Counting happens outside the timing.
    if rows is None:
        rows = incident_rows(result.events)
    ttrs = [r["ttr"] for r in rows if not math.isnan(r["ttr"])]
    return Sample(
        seconds,
        cpu,
        incidents=len(rows),
        faults=sum(1 for e in result.events if e.kind == "fault_start"),
        steps=sum(1 for e in result.events if e.kind == "step"),
        mttr=statistics.fmean(ttrs) if ttrs else math.nan,
        log_rows=len(result.events),
    )


def time_bare(program: BareProgram, seed: int) -> Sample:
    """Time one run of the bare model."""
    gc.collect()
    cpu, start = time.process_time(), time.perf_counter()
    result = run_bare(program, seed)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return Sample(
        seconds, cpu, result.incidents, result.faults, result.step_attempts, result.mttr, 0
    )


# ------------------------------------------------------------------------- measurement


@dataclass
class Row:
    """All replications of all models on one workload."""

    workload: Workload
    reps: int
    models: tuple[str, ...]
    spec: ScenarioSpec = field(init=False)
    bare: BareProgram = field(init=False)
    setup: float = field(init=False)  # s: build + validate + compile the spec (once)
    bare_setup: float = field(init=False)  # s: compile_bare (once)
    samples: dict[str, list[Sample]] = field(init=False)

    def __post_init__(self) -> None:
        start = time.perf_counter()
        self.spec = self.workload.scenario()
        compile_scenario(self.spec, STRATEGY)  # computes the digest; run_once reuses it
        self.setup = time.perf_counter() - start
        start = time.perf_counter()
        self.bare = compile_bare(self.workload)
        self.bare_setup = time.perf_counter() - start
        self.samples = {m: [] for m in self.models}

    def run(self, model: str, seed: int) -> None:
        if model == BARE:
            sample = time_bare(self.bare, seed)
        else:
            sample = time_engine(self.spec, seed, with_rows=model == WITH_ROWS)
        self.samples[model].append(sample)

    def median(self, model: str, what: Callable[[Sample], float]) -> float:
        return statistics.median(what(s) for s in self.samples[model])

    def us(self, model: str) -> float:
        """Median wall µs per incident."""
        return self.median(model, lambda s: s.us)

    def cpu_us(self, model: str) -> float:
        """Median CPU µs per incident."""
        return self.median(model, lambda s: s.cpu_us)

    def ratio(self, model: str = ENGINE) -> float:
        """Median over replications of the paired ratio model/bare (same seed, run
        back to back), which cancels slow drifts of machine load."""
        pairs = zip(self.samples[model], self.samples[BARE], strict=True)
        return statistics.median(m.us / b.us for m, b in pairs)


def schedule(rows: list[Row]) -> list[tuple[Row, int]]:
    """(row, seed) in the order to run them: replications spread over as many rounds as
    the smallest row has, every round visiting every row (a row with k times more
    replications runs k per round). A burst of load then hits all rows alike."""
    rounds = min(r.reps for r in rows)
    return [
        (row, seed)
        for round_ in range(rounds)
        for row in rows
        for seed in range(
            math.ceil(row.reps * round_ / rounds) + 1,
            math.ceil(row.reps * (round_ + 1) / rounds) + 1,
        )
    ]


def measure(rows: list[Row]) -> list[Row]:
    """Run every row's models on seeds 1..reps in ``schedule`` order; the model order
    alternates from one replication to the next, so no model always runs first."""
    for row, seed in schedule(rows):
        order = row.models if seed % 2 else tuple(reversed(row.models))
        for model in order:
            row.run(model, seed)
    return rows


def reps_for(days: float, reps: int) -> int:
    """Short horizons get more replications, so every row times a similar number of
    incidents (a 30-day run is ~150 incidents, a few tens of ms: one run is noise)."""
    return min(8 * reps, max(reps, math.ceil(reps * 365 / days)))


# ----------------------------------------------------------------- SimPy event counting


@contextmanager
def counting_simpy_events() -> Iterator[list[int]]:
    """Count events scheduled on any ``simpy.Environment`` inside the block.

    A diagnostic, not a timing: it wraps ``Environment.schedule`` for one untimed run
    of each model, to show both schedule about the same number of events per incident.
    """
    counter = [0]
    original = simpy.Environment.schedule

    def schedule(self: simpy.Environment, *args: Any, **kwargs: Any) -> None:
        counter[0] += 1
        original(self, *args, **kwargs)

    simpy.Environment.schedule = schedule  # type: ignore[method-assign]
    try:
        yield counter
    finally:
        simpy.Environment.schedule = original  # type: ignore[method-assign]


def simpy_events_per_incident(row: Row) -> tuple[float, float]:
    """(bare, engine) SimPy events scheduled per incident, seed 1."""
    with counting_simpy_events() as counter:
        bare = run_bare(row.bare, 1)
    bare_events = counter[0] / bare.incidents
    with counting_simpy_events() as counter:
        result = run_once(row.spec, STRATEGY, 1)
    opened = sum(1 for e in result.events if e.kind == "incident_open")
    return bare_events, counter[0] / opened


# ------------------------------------------------------------------ two worker processes

_WORKER: dict[str, ScenarioSpec] = {}  # the spec of this worker process


def _init_worker(services: int, days: float) -> None:
    # Build and compile once per worker, before the clock starts.
    _WORKER["spec"] = make_workload(services, days).scenario()
    compile_scenario(_WORKER["spec"], STRATEGY)


def _worker_run(seed: int) -> int:
    result = run_once(_WORKER["spec"], STRATEGY, seed)
    if result.error is not None:
        raise RuntimeError(result.error)
    return sum(1 for e in result.events if e.kind == "incident_open")


def parallel_throughput(services: int, days: float, workers: int, runs: int) -> tuple[float, int]:
    """(incidents per second, incidents) of ``runs`` engine replications on ``workers``
    processes; the pool is started and warmed up before the clock starts."""
    ctx = get_context("fork") if sys.platform.startswith("linux") else get_context()
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(services, days)
    ) as pool:
        list(pool.map(_worker_run, [10_000 + i for i in range(workers)]))  # warm-up
        start = time.perf_counter()
        incidents = sum(pool.map(_worker_run, range(1, runs + 1)))
        seconds = time.perf_counter() - start
    return incidents / seconds, incidents


# ------------------------------------------------------------------------------ tables


def _fmt(x: float, digits: int = 0) -> str:
    return "n/a" if math.isnan(x) else f"{x:,.{digits}f}"


def _per_minute(us: float, cores: int = 1) -> float:
    """Incidents per minute on ``cores`` cores at ``us`` µs per incident per core."""
    return cores * 60e6 / us


def _table(title: str, columns: tuple[str, ...], caption: str | None = None) -> Table:
    t = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    for i, col in enumerate(columns):
        t.add_column(col, justify="left" if i == 0 else "right")
    return t


def workload_table(row: Row, events: tuple[float, float]) -> Table:
    w = row.workload
    t = _table(
        f"1. Workloads match: {len(w.services)} services, {w.days:g} days, "
        f"{len(w.faults)} fault definitions, 3 responders (medians over {row.reps} seeds)",
        (
            "model",
            "faults/run",
            "incidents/run",
            "SimPy events/inc",
            "step attempts/inc",
            "MTTR min",
            "event-log rows/inc",
        ),
        caption=f"expected faults/run (sum of Poisson rates x horizon): {w.expected_faults:,.0f}",
    )
    for model, ev in ((BARE, events[0]), (ENGINE, events[1])):
        t.add_row(
            model,
            _fmt(row.median(model, lambda s: s.faults)),
            _fmt(row.median(model, lambda s: s.incidents)),
            _fmt(ev, 1),
            _fmt(row.median(model, lambda s: s.steps / s.incidents), 2),
            _fmt(row.median(model, lambda s: s.mttr), 1),
            "-"
            if model == BARE
            else _fmt(row.median(model, lambda s: s.log_rows / s.incidents), 1),
        )
    return t


def cost_table(row: Row) -> Table:
    w = row.workload
    t = _table(
        f"2. Cost per simulated incident: {len(w.services)} services, {w.days:g} days, "
        f"{row.reps} seeds per model, interleaved",
        (
            "model",
            "wall µs/inc (median)",
            "min",
            "max",
            "CPU µs/inc",
            "x bare (paired)",
            "incidents/s, 1 core",
            f"incidents/min, {TARGET_CORES} cores",
        ),
        caption=(
            f"setup once per spec: engine (build + validate + compile) "
            f"{row.setup * 1e3:,.0f} ms, bare {row.bare_setup * 1e3:,.0f} ms; "
            f"{TARGET_CORES} cores = {TARGET_CORES} x the single-core rate (independent "
            f"replications in processes; see table 5 for a measured run)"
        ),
    )
    for model in row.models:
        us = [s.us for s in row.samples[model]]
        med = row.us(model)
        t.add_row(
            model,
            _fmt(med, 1),
            _fmt(min(us), 1),
            _fmt(max(us), 1),
            _fmt(row.cpu_us(model), 1),
            "1.00" if model == BARE else f"{row.ratio(model):.2f}",
            _fmt(1e6 / med),
            _fmt(_per_minute(med, TARGET_CORES)),
        )
    return t


def scaling_table(title: str, label: str, rows: list[Row], key: Callable[[Row], str]) -> Table:
    t = _table(
        title,
        (
            label,
            "faults",
            "reps",
            "incidents/run engine | bare",
            "engine µs/inc",
            "bare µs/inc",
            "engine/bare",
            "engine vs row 1",
            "bare vs row 1",
            "engine CPU vs row 1",
            "setup ms",
        ),
    )
    first = rows[0]
    for row in rows:
        t.add_row(
            key(row),
            f"{len(row.workload.faults):,}",
            str(row.reps),
            f"{row.median(ENGINE, lambda s: s.incidents):,.0f} | "
            f"{row.median(BARE, lambda s: s.incidents):,.0f}",
            _fmt(row.us(ENGINE), 1),
            _fmt(row.us(BARE), 1),
            f"{row.ratio():.2f}",
            f"{row.us(ENGINE) / first.us(ENGINE):.2f}",
            f"{row.us(BARE) / first.us(BARE):.2f}",
            f"{row.cpu_us(ENGINE) / first.cpu_us(ENGINE):.2f}",
            _fmt(row.setup * 1e3),
        )
    return t


def spread(rows: list[Row], model: str = ENGINE, cpu: bool = False) -> float:
    """max/min of the median µs per incident across rows: 1.0 is perfectly flat."""
    values = [r.cpu_us(model) if cpu else r.us(model) for r in rows]
    return max(values) / min(values)


def targets_table(main: Row, by_services: list[Row], by_days: list[Row]) -> Table:
    t = _table("4. Targets", ("target", "measured (wall; CPU in brackets)", "met"))
    us, needed = main.us(ENGINE), TARGET_CORES * 60e6 / PER_MINUTE_TARGET
    cpu_ratio = main.cpu_us(ENGINE) / main.cpu_us(BARE)

    def flat(rows: list[Row]) -> str:
        return (
            f"engine {spread(rows):.2f}x [{spread(rows, cpu=True):.2f}x], "
            f"bare {spread(rows, BARE):.2f}x [{spread(rows, BARE, cpu=True):.2f}x]"
        )

    slow = f"; {us / needed:.1f}x too slow" if us > needed else ""
    checks = [
        (
            f"engine within {RATIO_TARGET:g}x of bare (50 services, 1 year)",
            f"{main.ratio():.2f}x [{cpu_ratio:.2f}x]; "
            f"with incident_rows {main.ratio(WITH_ROWS):.2f}x",
            main.ratio() <= RATIO_TARGET,
        ),
        (
            f"engine µs/inc flat within {FLAT_TARGET:g}x, services 10-1,000 (max/min)",
            flat(by_services),
            spread(by_services) <= FLAT_TARGET,
        ),
        (
            f"engine µs/inc flat within {FLAT_TARGET:g}x, days 30-1,460 (max/min)",
            flat(by_days),
            spread(by_days) <= FLAT_TARGET,
        ),
        (
            f"{PER_MINUTE_TARGET:,} incidents/min on {TARGET_CORES} cores "
            f"(needs <= {needed:.0f} µs/inc/core)",
            f"{_per_minute(us, TARGET_CORES):,.0f}/min at {us:.0f} µs/inc{slow}",
            us <= needed,
        ),
        (
            "  same, bare SimPy model (reference)",
            f"{_per_minute(main.us(BARE), TARGET_CORES):,.0f}/min at {main.us(BARE):.0f} µs/inc",
            main.us(BARE) <= needed,
        ),
    ]
    for name, measured, ok in checks:
        t.add_row(name, measured, "[green]yes[/]" if ok else "[red]no[/]")
    return t


def parallel_table(main: Row, workers: int, runs: int) -> Table:
    rate, incidents = parallel_throughput(50, 365, workers, runs)
    single = 1e6 / main.us(ENGINE)
    t = _table(
        f"5. Measured: {runs} engine runs on {workers} worker processes (50 services, 365 days)",
        ("incidents", "incidents/s", "incidents/min", f"vs {workers} x single-core rate"),
        caption="below 1.0: the cores were shared with other work (see the load average)",
    )
    t.add_row(f"{incidents:,}", _fmt(rate), _fmt(rate * 60), f"{rate / (workers * single):.2f}")
    return t


def profile_table(row: Row, top: int = 25) -> Table:
    """cProfile one engine run; the top functions by own time, per incident.

    The cyclic GC is off while profiling: a collection is charged to whichever function
    happened to allocate, which would scatter its cost over the table (table 7 has it).
    """
    profiler = cProfile.Profile()
    gc.collect()
    with gc_off():
        profiler.enable()
        result = run_once(row.spec, STRATEGY, 1)
        profiler.disable()
    incidents = sum(1 for e in result.events if e.kind == "incident_open")
    entries: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in entries.values())
    ranked = sorted(entries.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    by_area: dict[str, float] = {}
    for (path, _line, _name), v in entries.items():
        by_area[_area(path)] = by_area.get(_area(path), 0.0) + v[2]
    w = row.workload
    t = _table(
        f"6. cProfile of run_once: {len(w.services)} services, {w.days:g} days, "
        f"{incidents:,} incidents, {1e6 * total / incidents:,.0f} µs/inc under the profiler; "
        f"top {top} by own time (cyclic GC off)",
        ("function", "calls/inc", "own µs/inc", "own %", "cum µs/inc"),
        caption="own time by area: "
        + ", ".join(
            f"{area} {100 * s / total:.0f}%"
            for area, s in sorted(by_area.items(), key=lambda kv: -kv[1])
        ),
    )
    for (path, line, name), (_cc, ncalls, tottime, cumtime, _callers) in ranked:
        t.add_row(
            _where(path, line, name),
            f"{ncalls / incidents:.1f}",
            f"{1e6 * tottime / incidents:.1f}",
            f"{100 * tottime / total:.1f}",
            f"{1e6 * cumtime / incidents:.1f}",
        )
    return t


# ------------------------------------------------------------------ diagnosis (optional)


@contextmanager
def gc_off() -> Iterator[None]:
    """The cyclic garbage collector off inside the block (reference counting still frees
    acyclic garbage); what ``run_once`` would get if it disabled GC while simulating."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def log_off() -> Iterator[None]:
    """``World.log`` (every event-log row goes through it) as a no-op inside the block.

    A what-if, patched in this process only (``sim/`` is not edited). It does not change
    what is simulated: the log is never read back during a run. The rows' details are
    still built (they are arguments), so this is the cost of keeping rows, not of
    deciding what they say.
    """
    from sim.engine.world import World

    original = World.log
    World.log = lambda self, *args, **kwargs: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        World.log = original  # type: ignore[method-assign]


@contextmanager
def gc_timer() -> Iterator[list[float]]:
    """Seconds spent in cyclic garbage collection inside the block (``gc.callbacks``)."""
    spent, started = [0.0], [0.0]

    def callback(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            spent[0] += time.process_time() - started[0]

    gc.callbacks.append(callback)
    try:
        yield spent
    finally:
        gc.callbacks.remove(callback)


def diagnosis_table(days: tuple[float, ...], reps: int) -> Table:
    """CPU µs per incident of engine variants, to show where the time above bare goes."""
    variants: dict[str, Callable[[], Any]] = {
        "engine as is": nullcontext,
        "cyclic GC off during run_once": gc_off,
        "event log off (World.log no-op)": log_off,
        "GC off + event log off": lambda: _both(gc_off(), log_off()),
    }
    rows = [Row(make_workload(50, d), reps_for(d, reps), (BARE,)) for d in days]
    results: dict[str, dict[float, list[float]]] = {v: {d: [] for d in days} for v in variants}
    gc_us: dict[float, list[float]] = {d: [] for d in days}
    for row, seed in schedule(rows):
        row.run(BARE, seed)
        incidents = None
        for name, variant in variants.items():
            gc.collect()
            with gc_timer() as spent, variant():
                cpu = time.process_time()
                result = run_once(row.spec, STRATEGY, seed)
                cpu = time.process_time() - cpu
            if incidents is None:  # the first variant logs: count its incidents
                incidents = sum(1 for e in result.events if e.kind == "incident_open")
                gc_us[row.workload.days].append(1e6 * spent[0] / incidents)
            results[name][row.workload.days].append(1e6 * cpu / incidents)
    t = _table(
        f"7. Diagnosis: engine variants, CPU µs per incident (50 services, medians; "
        f"{', '.join(f'{r.workload.days:g} d x {r.reps}' for r in rows)} seeds)",
        ("variant", *(f"{d:g} days" for d in days)),
        caption="variants are patched in this process only; sim/ is unchanged",
    )
    for name in variants:
        t.add_row(name, *(_fmt(statistics.median(results[name][d]), 1) for d in days))
    t.add_row(
        "  of which in cyclic GC (engine as is)",
        *(_fmt(statistics.median(gc_us[d]), 1) for d in days),
    )
    t.add_row("bare SimPy", *(_fmt(row.cpu_us(BARE), 1) for row in rows))
    return t


@contextmanager
def _both(first: Any, second: Any) -> Iterator[None]:
    with first, second:
        yield


def _where(path: str, line: int, name: str) -> str:
    if path == "~":
        return re.sub(r" at 0x[0-9a-f]+", "", name)  # a builtin; drop the address
    for marker in ("site-packages/", "/work/main/", "/lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{line} {name}"


def _area(path: str) -> str:
    if path == "~":
        return "builtins"
    for area in (
        "simpy",
        "sim/engine",
        "sim/response",
        "sim/metrics",
        "sim/eventlog",
        "pydantic",
        "random",
        "numpy",
        "statistics",
        "enum",
    ):
        if area in path:
            return area
    return "other"


# -------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="few replications, for smoke use")
    parser.add_argument("--profile", action="store_true", help="also cProfile one engine run")
    parser.add_argument(
        "--profile-services", type=int, default=50, help="services of the profiled workload"
    )
    parser.add_argument("--no-parallel", action="store_true", help="skip the 2-process run")
    parser.add_argument(
        "--diagnose", action="store_true", help="also time engine variants (GC off, log off)"
    )
    parser.add_argument("--reps", type=int, help="replications of the main table")
    args = parser.parse_args(argv)
    main_reps = args.reps or (3 if args.quick else 9)
    scale_reps = 1 if args.quick else 5

    console.print(
        f"python {sys.version.split()[0]}, simpy {simpy.__version__}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}{' (quick: smoke numbers)' if args.quick else ''}"
    )
    measure([Row(make_workload(50, 30), 1, MODELS)])  # warm imports and caches

    main_row = measure([Row(make_workload(50, 365), main_reps, MODELS)])[0]
    console.print(workload_table(main_row, simpy_events_per_incident(main_row)))
    console.print(cost_table(main_row))

    pair = (BARE, ENGINE)
    by_services = measure([Row(make_workload(n, 365), scale_reps, pair) for n in (10, 100, 1000)])
    console.print(
        scaling_table(
            "3a. Scaling with services (365 days, ~1,825 incidents per run)",
            "services",
            by_services,
            lambda r: f"{len(r.workload.services):,}",
        )
    )
    by_days = measure(
        [Row(make_workload(50, d), reps_for(d, scale_reps), pair) for d in (30, 365, 1460)]
    )
    console.print(
        scaling_table(
            "3b. Scaling with simulated days (50 services, ~5 incidents per day)",
            "days",
            by_days,
            lambda r: f"{r.workload.days:g}",
        )
    )
    console.print(targets_table(main_row, by_services, by_days))

    if not (args.quick or args.no_parallel):
        console.print(parallel_table(main_row, TARGET_CORES, 4 * TARGET_CORES))
    if args.profile:
        profiled = (
            main_row
            if args.profile_services == 50
            else Row(make_workload(args.profile_services, 365), 0, ())
        )
        console.print(profile_table(profiled))
    if args.diagnose:
        console.print(diagnosis_table((30, 365, 1460), 3))
    console.print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
