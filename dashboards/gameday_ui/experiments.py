"""The work behind the dashboard's buttons, as plain functions of plain inputs.

Each returns a ``work(progress)`` callable for ``JobRegistry.submit`` and a key that
names its result: the scenario text's digest, the strategies, seed, N and knobs. Only
the public ``sim`` API is used.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.experiments import Comparison, compare_on, default_workers, open_executor
from sim.report import whatif
from sim.spec import ScenarioSpec

__all__ = ["WhatIf", "comparison_job", "job_key", "whatif_job"]

Progress = Callable[[int], None]
#: Up to this many replications in total run on one thread (progress per replication,
#: no process start-up); more use a pool of one process per core (``default_workers``).
THREAD_LIMIT = 30


def job_key(kind: str, text_digest: str, **parts: Any) -> str:
    return f"{kind}:{text_digest}:" + json.dumps(parts, sort_keys=True, default=str)


def _workers(total: int) -> int:
    return 1 if total <= THREAD_LIMIT else default_workers()


def _executor(total: int) -> AbstractContextManager[Executor]:
    if total <= THREAD_LIMIT:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="gameday-sim")
    return open_executor("process", _workers(total))


def comparison_job(
    spec: ScenarioSpec, strategies: Sequence[str], n: int, seed: int
) -> Callable[[Progress], Comparison]:
    """Run ``compare_on`` for ``strategies`` (N replications each, common seeds)."""
    chosen = list(strategies)

    def work(progress: Progress) -> Comparison:
        total = n * len(chosen)
        workers = _workers(total)
        with _executor(total) as executor:
            return compare_on(executor, spec, chosen, n, seed, workers=workers, progress=progress)

    return work


@dataclass
class WhatIf:
    """A baseline and a what-if run of one strategy on the same seeds."""

    strategy: str
    changes: dict[str, Any]
    baseline: Comparison
    variant: Comparison

    @property
    def tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        return self.baseline.table, self.variant.table


def whatif_job(
    spec: ScenarioSpec,
    strategy: str,
    changes: Mapping[str, Any],
    n: int,
    seed: int,
    horizon: float,
) -> Callable[[Progress], WhatIf]:
    """The strategy on the scenario as written and with ``changes`` (same horizon)."""
    base_spec = whatif.variant(spec, {"horizon": horizon})
    variant_spec = whatif.variant(spec, {**changes, "horizon": horizon})

    def work(progress: Progress) -> WhatIf:
        workers = _workers(2 * n)
        with _executor(2 * n) as executor:
            base = compare_on(
                executor, base_spec, [strategy], n, seed, workers=workers, progress=progress
            )
            variant = compare_on(
                executor, variant_spec, [strategy], n, seed, workers=workers, progress=progress
            )
        return WhatIf(strategy, dict(changes), base, variant)

    return work
