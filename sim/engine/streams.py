"""Named random streams: where every random number of a simulation comes from.

Every seed is a ``numpy.random.SeedSequence`` spawn key — (root entropy, purpose,
entity...) — never arithmetic on seeds, so no two streams can coincide (with
``seed * 1_000_003 + r``, base seed 0 at replication 1,000,003 was base seed 1 at
replication 0). The streams, all in this module:

- ``replication``: seed r of (base seed, REPLICATION) is the seed of replication r of
  an experiment (``replication_seeds``); the other streams hang off that seed.
- ``arrivals``: seed i of (seed, ARRIVALS) drives fault definition i — its onsets,
  self-healing and detection delays, and each occurrence's overflow seed.
- ``incident``: (seed, INCIDENT) gives the uniforms each fault occurrence takes for its
  incident (``UniformBlocks``; which decision reads which: ``uniform_slots``).
- ``noise``: (seed, NOISE) drives false-positive alerts, and draws the seed of each
  one's incident, should one open.

The scalar draws use Python's ``random.Random`` (the Mersenne Twister), seeded from the
sequence: a scalar draw costs ~50 ns there against ~500 ns through a numpy
``Generator``, and the engine draws a few dozen scalars per incident.

Common random numbers: every strategy of an experiment uses the same replication
seeds, and the streams that decide what happens to the *system* (fault arrivals,
self-healing, detection delays, noise) never depend on the strategy. Each fault
occurrence also takes, at its onset, a fixed block of uniforms for the decisions of its
incident (the onsets happen in the same order under every strategy) and carries a seed
drawn from its arrival stream for the rare draws beyond that block, so every strategy
handles the same incident with the same numbers. A noise alert likewise carries a seed
from the noise stream for its incident, should one open.
"""

from __future__ import annotations

import random
from array import array

import numpy as np

__all__ = [
    "PURPOSES",
    "UniformBlocks",
    "replication_seeds",
    "stream",
    "stream_seed",
    "stream_seeds",
]

#: Purposes of streams; their index is part of the spawn key, so never reorder them.
PURPOSES = ("replication", "arrivals", "incident", "noise")


def stream_seed(seed: int, purpose: str) -> int:
    """A 128-bit integer seed for the stream (seed, purpose): its first seed."""
    return stream_seeds(seed, purpose, 1)[0]


def replication_seeds(base_seed: int, n: int) -> list[int]:
    """Seeds of replications 0..n-1 of an experiment with ``base_seed``; every strategy
    uses the same ones (common random numbers). Prefix-stable: the first k of n are the
    seeds of k replications. 63 bits, so a seed fits the int64 ``seed`` column of
    incident tables and any JSON reader."""
    return [s & (2**63 - 1) for s in stream_seeds(base_seed, "replication", n)]


def stream_seeds(seed: int, purpose: str, count: int) -> list[int]:
    """Seeds of ``count`` entities of one purpose (entity = index), from one sequence
    (``SeedSequence(seed, spawn_key=(purpose index,))``).

    One ``SeedSequence`` call for all entities instead of one each (~25 µs apiece, which
    adds up with a thousand fault definitions). ``generate_state`` is prefix-stable, so
    appending an entity never changes the seeds of the others.
    """
    words = np.random.SeedSequence(seed, spawn_key=(PURPOSES.index(purpose),)).generate_state(
        4 * count, dtype=np.uint32
    )
    return [
        int(words[4 * i])
        | int(words[4 * i + 1]) << 32
        | int(words[4 * i + 2]) << 64
        | int(words[4 * i + 3]) << 96
        for i in range(count)
    ]


def stream(seed: int, purpose: str) -> random.Random:
    """A ``random.Random`` for one purpose of one replication."""
    return random.Random(stream_seed(seed, purpose))


class UniformBlocks:
    """Blocks of uniforms in [0, 1) from one numpy ``PCG64`` stream.

    Incidents need about a hundred uniforms each (decisions, step durations and
    outcomes) at fixed positions, of which they read a quarter. A ``random.Random`` per
    incident costs ~3 µs to seed and ~40 ns a draw; numpy fills thousands at a time for
    ~3 ns apiece into an ``array('d')``, a block is a slice of it (a copy of raw doubles,
    no Python object per number), and a Python float is made only for a number read.
    The block a caller gets depends only on how many uniforms were taken before it.
    """

    __slots__ = ("_buffer", "_generator", "_position")

    CHUNK = 8192

    def __init__(self, seed: int) -> None:
        self._generator = np.random.Generator(np.random.PCG64(seed))
        self._buffer: array[float] = array("d")
        self._position = 0

    def take(self, n: int) -> array[float]:
        """The next ``n`` uniforms of the stream."""
        start, end = self._position, self._position + n
        if end > len(self._buffer):
            fresh = array("d", self._generator.random(max(self.CHUNK, n)).tobytes())
            self._buffer = self._buffer[start:] + fresh
            start, end = 0, n
        self._position = end
        return self._buffer[start:end]
