"""The executor's vocabulary: a requested step attempt, how it went, how a run ended,
and the journal entry of each attempt (``executor.RunbookExecutor`` uses them)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, NamedTuple

from sim.spec.runbook import StepSpec

__all__ = [
    "Done",
    "DoneOutcome",
    "FailureKind",
    "JournalEntry",
    "Mode",
    "Phase",
    "StepOutcome",
    "StepRequest",
]

FailureKind = Literal["error", "timeout", "verify_failed"]
Phase = Literal["main", "rollback"]
DoneOutcome = Literal["completed", "escalated", "rolled_back", "aborted"]
_KINDS = ("error", "timeout", "verify_failed")


class Mode(StrEnum):
    """Who performs a requested step attempt."""

    AUTOMATED = "automated"
    MANUAL = "manual"


class StepRequest(NamedTuple):
    """Please perform ``step`` (its ``attempt``-th request in this run) in ``mode``.

    ``needs_approval``: someone must approve before it starts (the step says so,
    whoever performs it). ``phase`` tells main steps from rollback steps;
    ``position`` is the step's index in the runbook, main steps first, then rollback
    steps (a caller can keep per-step facts in a list). A NamedTuple: one is built per
    step attempt, and a tuple is built several times faster than a frozen dataclass.
    """

    step: StepSpec
    attempt: int
    mode: Mode
    needs_approval: bool
    phase: Phase
    position: int = 0


class _OutcomeFields(NamedTuple):
    ok: bool
    kind: FailureKind | None
    actor: str
    started: float
    ended: float
    output: str = ""


class StepOutcome(_OutcomeFields):
    """How a requested attempt went, performed by ``actor`` from ``started`` to ``ended``.

    Constructing one checks it (a success has no failure kind, a failure one of
    ``error``, ``timeout``, ``verify_failed``; it does not end before it starts). The
    simulator, which builds millions from values it has already checked, skips the
    checks with :meth:`unchecked`.
    """

    __slots__ = ()

    def __new__(
        cls,
        ok: bool,
        kind: FailureKind | None,
        actor: str,
        started: float,
        ended: float,
        output: str = "",
    ) -> StepOutcome:
        if ok != (kind is None) or (kind is not None and kind not in _KINDS):
            raise ValueError(
                f"a success has no kind, a failure one of {_KINDS}: ok={ok!r}, kind={kind!r}"
            )
        if not ended >= started:
            raise ValueError(f"step ended ({ended}) before it started ({started})")
        return super().__new__(cls, ok, kind, actor, started, ended, output)

    @classmethod
    def unchecked(
        cls, ok: bool, kind: FailureKind | None, actor: str, started: float, ended: float
    ) -> StepOutcome:
        """An outcome built without the checks, for a caller that guarantees them."""
        return _OutcomeFields.__new__(cls, ok, kind, actor, started, ended)

    @classmethod
    def success(cls, actor: str, started: float, ended: float, output: str = "") -> StepOutcome:
        return cls(True, None, actor, started, ended, output)

    @classmethod
    def failure(
        cls, kind: FailureKind, actor: str, started: float, ended: float, output: str = ""
    ) -> StepOutcome:
        return cls(False, kind, actor, started, ended, output)


@dataclass(frozen=True, slots=True)
class Done:
    """The run is over: how it ended, why, and whether user impact was mitigated."""

    outcome: DoneOutcome
    reason: str
    mitigated: bool


class JournalEntry(NamedTuple):
    """One performed attempt and what the executor decided after it (``then``).

    A NamedTuple rather than a frozen dataclass: one is written per attempt on the
    Monte Carlo hot path, and a tuple is built several times faster.
    """

    step_id: str
    phase: Phase
    attempt: int
    mode: Mode
    actor: str
    started: float
    ended: float
    ok: bool
    kind: FailureKind | None
    output: str
    then: str
