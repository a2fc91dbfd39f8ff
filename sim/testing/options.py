"""How to test: the options of a ``gameday test`` session, and their defaults."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_REPLICATIONS", "DEFAULT_SEED", "TestOptions"]

#: Replications per strategy. 30 keeps the cluster bootstrap honest (see
#: sim.experiments.stats: ~94% coverage from 30-40 replications) and the shipped library
#: under a minute on two cores.
DEFAULT_REPLICATIONS = 30
DEFAULT_SEED = 1


@dataclass(frozen=True)
class TestOptions:
    """How to test: replications per strategy, base seed, and an optional strategy filter."""

    replications: int = DEFAULT_REPLICATIONS
    seed: int = DEFAULT_SEED
    strategies: tuple[str, ...] = ()  # empty: every strategy
    warmup: float | None = None  # minutes; None: each scenario's own
