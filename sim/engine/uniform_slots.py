"""The random-number layout of an incident: which uniform each decision reads.

Common random numbers across strategies need the same decision of the same incident
to read the same number whatever the strategy did before it. So every fault
occurrence takes, at its onset, a fixed block of uniforms (``incident_uniforms``) and
each decision reads a fixed position in it:

- ``DRAW_SLOTS`` decision slots first, as ``(first index, how many)``: acknowledgement
  (one per escalation page), triage, noise check, specialists, diagnosis and the two
  draws of picking a runbook (one per attempt);
- then one step block per prepared runbook application: per step position,
  ``ATTEMPT_SLOTS`` attempts x (approval, duration, outcome).

Occurrences beyond a slot's size (a fourth diagnosis, a seventh page, a third attempt
at a step, a third runbook) draw from the incident's overflow stream instead, in the
order asked. A noise alert's incident has no prepared block (whether one opens depends
on the strategy): it draws its decisions from its own stream.
"""

from __future__ import annotations

import _random
from collections.abc import Sequence

__all__ = [
    "ACK",
    "APPROVE",
    "ATTEMPT_SLOTS",
    "DIAGNOSIS",
    "DRAW_SLOTS",
    "DURATION",
    "EXPERT",
    "NOISE",
    "OUTCOME",
    "PICK_WHICH",
    "PICK_WRONG",
    "PREPARED_APPLICATIONS",
    "STEP_SLOTS",
    "TRIAGE",
    "IncidentNumbers",
    "incident_uniforms",
]

ACK = (0, 6)
TRIAGE = (6, 1)
NOISE = (7, 1)
EXPERT = (8, 1)
DIAGNOSIS = (9, 3)
PICK_WRONG = (12, 3)
PICK_WHICH = (15, 3)
DRAW_SLOTS = 18
# Step draws: per step position, ATTEMPT_SLOTS attempts x 3 purposes.
APPROVE, DURATION, OUTCOME = 0, 1, 2
ATTEMPT_SLOTS = 2
STEP_SLOTS = ATTEMPT_SLOTS * 3
# Runbook applications whose step uniforms a fault occurrence takes at its onset.
PREPARED_APPLICATIONS = 2


def incident_uniforms(step_block_width: int) -> int:
    """Uniforms a fault occurrence takes at its onset for its incident."""
    return DRAW_SLOTS + PREPARED_APPLICATIONS * step_block_width


class IncidentNumbers:
    """One incident's uniforms at their fixed positions, and its overflow stream.

    ``step_block_width`` is the uniforms of one runbook application for the scenario's
    widest runbook (``STEP_SLOTS`` per step position).
    """

    __slots__ = ("_stream", "_width", "applications", "decisions", "seed", "step_block")

    def __init__(self, uniforms: Sequence[float], seed: int, step_block_width: int) -> None:
        self.seed = seed  # of the overflow stream, created on first use
        self._stream: _random.Random | None = None
        self._width = step_block_width
        if not uniforms:  # a noise alert's incident: decisions from its own stream
            draw = self.stream.random
            uniforms = [draw() for _ in range(DRAW_SLOTS)]
        self.decisions = uniforms
        self.applications = 0
        self.step_block: Sequence[float] = ()

    @property
    def stream(self) -> _random.Random:
        """The overflow stream, for draws beyond the prepared uniforms."""
        if self._stream is None:
            # ``_random.Random`` is ``random.Random``'s C base: the same sequence for an
            # int seed, without the Python-level ``__init__`` and ``seed`` wrappers.
            self._stream = _random.Random(self.seed)
        return self._stream

    def u(self, slot: tuple[int, int], k: int = 0) -> float:
        """The uniform for decision ``slot`` (ACK, TRIAGE, ...), ``k``-th occurrence."""
        base, size = slot
        return self.decisions[base + k] if k < size else self.stream.random()

    def new_step_block(self, size: int) -> None:
        """Uniforms for one runbook application of ``size`` step positions."""
        width = self._width
        start = DRAW_SLOTS + self.applications * width
        self.applications += 1
        if start + width <= len(self.decisions):
            self.step_block = self.decisions[start : start + size * STEP_SLOTS]
        else:
            draw = self.stream.random
            self.step_block = [draw() for _ in range(size * STEP_SLOTS)]

    def step_u(self, block: int, attempt: int, purpose: int) -> float:
        """The uniform for ``purpose`` (APPROVE, DURATION, OUTCOME) of an attempt at the
        step whose uniforms start at ``block`` in the current step block."""
        if attempt > ATTEMPT_SLOTS:
            return self.stream.random()
        return self.step_block[block + (attempt - 1) * 3 + purpose]
