"""A scenario that many tasks carry: pickled once, unpickled once per process, varied once.

Every task of a comparison or a sweep carries the scenario. Pickled with each task, it
cost about 0.7 ms to pickle in the parent and 1.1 ms to unpickle in the worker, and a
sweep task another 1.5 ms to make its cell's variant (``vary`` validates a whole spec),
against about 25 ms of simulation per replication and a few replications per task. A
``SharedSpec`` pickles the scenario once; each worker process unpickles it once (a task
then finds it by digest) and makes each variant once.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping
from typing import Any

from sim.spec import ScenarioSpec
from sim.spec.variants import vary

__all__ = ["SharedSpec"]

# Bounds of the per-process caches: a comparison or a sweep has one scenario, and a
# sweep's tasks come cell after cell, so a few entries give every hit there is.
_MAX_RECEIVED = 2
_MAX_VARIANTS = 8


class SharedSpec:
    """A scenario for tasks: ``spec`` as given, ``variant(changes)`` made once each."""

    def __init__(self, spec: ScenarioSpec) -> None:
        self.spec = spec
        self._pickled: bytes | None = None
        self._variants: dict[tuple[tuple[str, Any], ...], ScenarioSpec] = {}

    def variant(self, changes: Mapping[str, Any] | None) -> ScenarioSpec:
        """``vary(spec, changes)`` (the spec itself for no changes), made once per changes."""
        if not changes:
            return self.spec
        key = tuple(changes.items())  # knob values are scalars; vary applies them in order
        found = self._variants.get(key)
        if found is None:
            if len(self._variants) >= _MAX_VARIANTS:
                del self._variants[next(iter(self._variants))]
            found = self._variants[key] = vary(self.spec, changes)
        return found

    def __reduce__(self) -> tuple[Callable[[str, bytes], SharedSpec], tuple[str, bytes]]:
        if self._pickled is None:
            self._pickled = pickle.dumps(self.spec, protocol=pickle.HIGHEST_PROTOCOL)
        return _received, (self.spec.digest, self._pickled)


# Scenarios this process has received, by digest (equal digests mean equal scenarios).
_RECEIVED: dict[str, SharedSpec] = {}


def _received(digest: str, pickled: bytes) -> SharedSpec:
    """The ``SharedSpec`` of a scenario sent to this process: unpickled on first arrival."""
    shared = _RECEIVED.get(digest)
    if shared is None:
        if len(_RECEIVED) >= _MAX_RECEIVED:
            del _RECEIVED[next(iter(_RECEIVED))]
        shared = _RECEIVED[digest] = SharedSpec(pickle.loads(pickled))
    return shared
