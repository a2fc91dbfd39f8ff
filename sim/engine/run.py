"""``run_once``: one replication, from a scenario, a strategy and a seed to an event log."""

from __future__ import annotations

import functools
import gc
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from sim.eventlog import Event
from sim.spec.limits import WorkLimitExceeded
from sim.spec.scenario import ScenarioSpec

from .compiled import compile_scenario
from .world import PolicyFactory, World

__all__ = ["RunResult", "cyclic_gc_paused", "run_once"]


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside the block (restored as it was after).

    Incidents free themselves by reference counting (their cycles are broken on close),
    so during a run the collector would only walk the growing event log again and again
    (25-30% of the run time at a year). A caller that runs many replications in a row
    (``sim.experiments.runner``) pauses it around all of them: resumed between runs, it
    would walk each fresh log once more.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class RunResult:
    """What one replication produced: its event log and how it was made."""

    events: list[Event]
    scenario: str
    scenario_digest: str
    strategy: str
    seed: int
    horizon: float
    version: str
    wall_seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@functools.cache
def _version() -> str:
    try:
        return version("gameday")
    except PackageNotFoundError:
        return "0+unknown"


def run_once(
    spec: ScenarioSpec,
    strategy: str,
    seed: int,
    *,
    policy_factory: PolicyFactory | None = None,
) -> RunResult:
    """Simulate ``spec`` under ``strategy`` with ``seed`` up to the horizon.

    A pure function of its arguments: the same inputs give a bit-identical event log.
    It never raises for a failure inside the simulation; the traceback is returned in
    ``RunResult.error`` with the events logged so far.
    """
    started = time.perf_counter()
    world: World | None = None
    error = None
    try:
        world = World(compile_scenario(spec, strategy), seed, policy_factory)
        world.start()
        with cyclic_gc_paused():
            world.env.run(until=spec.horizon)
    except WorkLimitExceeded as exc:  # bounded work, not a bug: the message says it all
        error = str(exc)
    except Exception:  # a replication records its failure instead of killing a sweep
        error = traceback.format_exc()
    return RunResult(
        events=world.logbook.hand_over() if world is not None else [],
        scenario=spec.name,
        scenario_digest=spec.digest,
        strategy=strategy,
        seed=seed,
        horizon=spec.horizon,
        version=_version(),
        wall_seconds=time.perf_counter() - started,
        error=error,
    )
