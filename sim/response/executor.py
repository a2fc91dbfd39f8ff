"""The runbook executor: a pure state machine that decides which step runs next.

The executor never performs a step and never reads a clock. The caller — the
simulator, the trainee UI, the CI harness — asks :meth:`RunbookExecutor.next_request`
what to do, does it its own way, and reports back with :meth:`RunbookExecutor.record`.
Which steps automation performs is the caller's strategy (``automated``, see
:func:`select_automated`), not the executor's business.

Semantics
---------
* Steps run in order. A success continues with the step's ``next`` (a later step, or
  ``end``), by default the following step; success of the last step, or ``next: end``,
  finishes with ``Done("completed")``. ``mitigated`` becomes true when the runbook's
  ``mitigating_step`` succeeds and stays true (also if the run later fails).
* A failed **automated** attempt first hands over to a human: the same step is requested
  once more in ``manual`` mode, without consuming a retry or applying ``on_failure``.
* A failed **manual** attempt counts as one failure of the step (counted over the whole
  run) and applies ``on_failure``:

  - ``retry`` — run the step again while its failures <= ``retries``, then escalate;
  - ``goto:<id>`` forward (to a later step) — always taken;
  - ``goto:<id>`` backward (or to itself) — taken while failures <= ``retries``, then
    escalate;
  - ``escalate`` — ``Done("escalated")``;
  - ``rollback`` — run the runbook's ``rollback`` steps in order, each once (their own
    ``on_failure`` is ignored; a failed automated attempt still falls back to one manual
    attempt), then ``Done("rolled_back")``; a rollback step that fails manually ->
    ``Done("escalated")``;
  - ``abort`` — ``Done("aborted")``.

  The failure ``kind`` (error, timeout, verify_failed) is journaled; every kind follows
  the same policy.

The number of requests is bounded by ``RunbookProgram.max_requests``, derived in
:mod:`sim.response.program`; the executor raises :class:`ExecutorError` rather than
exceed it (it cannot, unless the derivation is wrong — the property tests check it).
"""

from __future__ import annotations

from typing import Any

from sim.spec.runbook import StepSpec

from .attempts import (
    Done,
    DoneOutcome,
    FailureKind,
    JournalEntry,
    Mode,
    Phase,
    StepOutcome,
    StepRequest,
)
from .program import (
    ABORT,
    GOTO_BACK,
    GOTO_FORWARD,
    POLICY_NAMES,
    RETRY,
    ROLLBACK,
    RunbookProgram,
    compile_runbook,
    select_automated,
)

__all__ = [
    "Done",
    "DoneOutcome",
    "ExecutorError",
    "FailureKind",
    "JournalEntry",
    "Mode",
    "Phase",
    "RunbookExecutor",
    "RunbookProgram",
    "StepOutcome",
    "StepRequest",
    "compile_runbook",
    "select_automated",
]

# ``Mode.X`` is a lookup through the enum's metaclass, ten times slower than a global
# (CPython 3.11); the per-step paths read these.
_AUTOMATED, _MANUAL = Mode.AUTOMATED, Mode.MANUAL


class ExecutorError(RuntimeError):
    """The caller broke the request/record protocol (e.g. record without a request)."""


class RunbookExecutor:
    """Runs one runbook once. ``automated``: ids of the steps automation performs."""

    __slots__ = (
        "_attempts",
        "_done",
        "_failures",
        "_fallback",
        "_keep_journal",
        "_mitigated",
        "_pc",
        "_pending",
        "_phase",
        "_requests",
        "automated",
        "journal",
        "program",
    )

    def __init__(
        self,
        program: RunbookProgram,
        automated: frozenset[str] = frozenset(),
        *,
        keep_journal: bool = True,
    ) -> None:
        if not automated <= program.automatable_ids:
            wrong = ", ".join(sorted(automated - program.automatable_ids))
            raise ValueError(f"runbook {program.spec.id}: not automatable steps: {wrong}")
        self.program = program
        self.automated = automated
        self.journal: list[JournalEntry] = []
        # The simulator logs steps in its own event log and runs millions of them: it
        # skips the journal (the decisions are the same either way).
        self._keep_journal = keep_journal
        self._phase: Phase = "main"
        self._pc = 0
        n = len(program.steps)
        self._failures = [0] * n
        self._attempts = [0] * (n + len(program.rollback))  # main, then rollback positions
        self._fallback = False  # the next attempt is the manual take-over of a failed one
        self._pending: StepRequest | None = None
        self._done: Done | None = None
        self._mitigated = False
        self._requests = 0

    @property
    def done(self) -> Done | None:
        """How the run ended, or None while it goes on."""
        return self._done

    @property
    def requests(self) -> int:
        """Number of step requests issued so far (never more than ``max_requests``)."""
        return self._requests

    def next_request(self) -> StepRequest | Done:
        """The step to perform now, or how the run ended. Idempotent until ``record``."""
        if self._done is not None:
            return self._done
        if self._pending is not None:
            return self._pending
        program = self.program
        if self._requests >= program.max_requests:  # unreachable if the proof is right
            raise ExecutorError(f"runbook {program.spec.id}: request bound exceeded (a bug)")
        if self._phase == "main":
            step = program.steps[self._pc]
            slot = self._pc
        else:
            step = program.rollback[self._pc]
            slot = len(program.steps) + self._pc
        self._attempts[slot] += 1
        mode = _AUTOMATED if step.id in self.automated and not self._fallback else _MANUAL
        request = StepRequest(
            step, self._attempts[slot], mode, step.requires_approval, self._phase, slot
        )
        self._pending = request
        self._requests += 1
        return request

    def record(self, outcome: StepOutcome) -> Done | None:
        """Apply the outcome of the pending request; return the end of the run, if reached."""
        request = self._pending
        if request is None:
            raise ExecutorError("record() without a pending request (call next_request first)")
        self._pending = None
        if outcome.ok:
            then = self._succeeded()
        elif request.mode is _AUTOMATED:
            self._fallback = True
            then = "automation failed: a human takes over"
        else:
            then = self._failed(request.step)
        if self._keep_journal:
            self._journal(request, outcome, then)
        return self._done

    def _journal(self, request: StepRequest, outcome: StepOutcome, then: str) -> None:
        self.journal.append(
            JournalEntry(
                request.step.id,
                request.phase,
                request.attempt,
                request.mode,
                outcome.actor,
                outcome.started,
                outcome.ended,
                outcome.ok,
                outcome.kind,
                outcome.output,
                then,
            )
        )

    def _finish(self, outcome: DoneOutcome, reason: str) -> str:
        self._done = Done(outcome, reason, self._mitigated)
        return outcome

    def _succeeded(self) -> str:
        self._fallback = False
        program = self.program
        if self._phase == "rollback":
            self._pc += 1
            if self._pc == len(program.rollback):
                return self._finish("rolled_back", "rollback steps completed")
            return "next rollback step"
        pc = self._pc
        if pc == program.mitigating:
            self._mitigated = True
        self._pc = program.success_next[pc]
        if self._pc == len(program.steps):
            return self._finish("completed", "all steps succeeded")
        # The text is for the journal only; the simulator keeps none and skips it.
        return f"next: {program.steps[self._pc].id}" if self._keep_journal else ""

    def _failed(self, step: StepSpec) -> str:
        self._fallback = False
        if self._phase == "rollback":
            return self._finish("escalated", f"rollback step {step.id!r} failed")
        program = self.program
        pc = self._pc
        self._failures[pc] += 1
        failures = self._failures[pc]
        code = program.policy[pc]
        if code in (RETRY, GOTO_BACK):
            if failures <= program.retries[pc]:
                self._pc = program.target[pc]
                return f"{POLICY_NAMES[code]} {failures}/{program.retries[pc]}"
            return self._finish(
                "escalated",
                f"step {step.id!r} failed {failures} times (retries: {program.retries[pc]})",
            )
        if code == GOTO_FORWARD:
            self._pc = program.target[pc]
            return f"goto: {program.steps[self._pc].id}"
        if code == ROLLBACK:
            if not program.rollback:
                return self._finish("rolled_back", f"step {step.id!r} failed; nothing to roll back")
            self._phase = "rollback"
            self._pc = 0
            return "rollback"
        if code == ABORT:
            return self._finish("aborted", f"step {step.id!r} failed (on_failure: abort)")
        return self._finish("escalated", f"step {step.id!r} failed (on_failure: escalate)")

    def to_chaostoolkit_journal(self) -> dict[str, Any]:
        """The run as a Chaos-Toolkit-like journal (times in the caller's minutes).

        ``status`` is ``completed``, ``failed`` (escalated or rolled back), ``aborted``,
        or ``interrupted`` while the run is not over. Main steps are in ``run``, rollback
        steps in ``rollbacks``, one entry per attempt.
        """
        done = self._done
        status = (
            "interrupted"
            if done is None
            else {"completed": "completed", "aborted": "aborted"}.get(done.outcome, "failed")
        )

        def activity(entry: JournalEntry) -> dict[str, Any]:
            return {
                "activity": {
                    "type": "action",
                    "name": entry.step_id,
                    "mode": str(entry.mode),
                    "attempt": entry.attempt,
                },
                "status": "succeeded" if entry.ok else "failed",
                "start": entry.started,
                "end": entry.ended,
                "duration": entry.ended - entry.started,
                "actor": entry.actor,
                "output": entry.output,
                **({} if entry.ok else {"exception": entry.kind}),
            }

        journal = self.journal
        return {
            "runbook": self.program.spec.id,
            "title": self.program.spec.title,
            "status": status,
            "outcome": None if done is None else done.outcome,
            "reason": None if done is None else done.reason,
            "mitigated": self._mitigated,
            "start": journal[0].started if journal else None,
            "end": journal[-1].ended if journal else None,
            "run": [activity(e) for e in journal if e.phase == "main"],
            "rollbacks": [activity(e) for e in journal if e.phase == "rollback"],
        }
