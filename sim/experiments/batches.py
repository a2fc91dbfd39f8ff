"""Replications in batches: how they are split into tasks, and how a task runs them.

Every experiment — ``compare``, ``sweep``, ``gameday test`` — fans its replications out
with ``fan_out`` and runs each batch with ``run_replications``, which differ only in
what they keep of each replication (the *reduction*: incident rows for an experiment,
expectation facts for ``gameday test``). A batch runs with the cyclic garbage
collector paused and on a ``SharedSpec`` (the scenario travels to a worker once).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sim.engine import RunResult, cyclic_gc_paused, run_once
from sim.spec import ScenarioSpec

from .shared_spec import SharedSpec

__all__ = ["MAX_BATCH", "Reduce", "failed_replications", "fan_out", "run_replications"]

T = TypeVar("T")

#: Reduces one replication's result (and its replication number) where it ran.
Reduce = Callable[[RunResult, int], T]

#: Most replications in one task: long enough to amortise the per-task cost (sending the
#: task and its result; the scenario and each variant are made once per worker process,
#: see ``SharedSpec``), short enough that the last tasks finish together.
MAX_BATCH = 25


def fan_out(n: int, *, workers: int, groups: int = 1) -> list[range]:
    """Replications 0..n-1 split into batches, the same split for each of ``groups``
    (strategies x cells) run on ``workers`` processes.

    At least eight tasks per worker overall, so that the last task to finish leaves the
    other workers idle for about an eighth of a worker's share at most; at most
    ``MAX_BATCH`` replications per task.
    """
    per_group = max(1, math.ceil(8 * max(1, workers) / max(1, groups)))
    size = max(1, min(MAX_BATCH, math.ceil(n / per_group)))
    return [range(i, min(n, i + size)) for i in range(0, n, size)]


def run_replications(
    spec: ScenarioSpec | SharedSpec,
    strategy: str,
    seeds: Sequence[int],
    replications: Sequence[int],
    reduce: Reduce[T],
    changes: Mapping[str, Any] | None = None,
) -> list[T]:
    """Simulate ``strategy`` once per seed (on the variant ``changes`` makes) and reduce
    each result as soon as it is made.

    The collector stays off for the whole batch: resumed between runs it walked each
    fresh log in its first collection and moved logs into older generations, which set
    off full collections (6 µs per incident on the seed benchmark, 0.6 paused; a
    replication leaves a few dozen objects in cycles, freed after the batch). Each log
    is freed before the next run starts, which then reuses the memory while it is
    still in the cache.
    """
    shared = spec if isinstance(spec, SharedSpec) else SharedSpec(spec)
    scenario = shared.variant(changes)
    with cyclic_gc_paused():
        return [
            reduce(run_once(scenario, strategy, seed), replication)
            for seed, replication in zip(seeds, replications, strict=True)
        ]


def failed_replications(errors: Mapping[Any, str]) -> list[int]:
    """The seeds of failed replications, sorted: the one shape every result uses for
    them (``errors`` maps a seed, or its text, to the traceback)."""
    return sorted(int(seed) for seed in errors)
