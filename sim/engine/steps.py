"""One step attempt around its wait: what it takes before, and how it went after.

The engine's step loop (``handling``) and ``SimulatedHuman.perform`` wait themselves
between the two halves, so no step attempt needs a generator of its own.
"""

from __future__ import annotations

from sim.response import Mode, StepOutcome, StepRequest
from sim.response.executor import FailureKind

from .compiled import CompiledStep
from .incident import FaultRun, IncidentRun, end_fault
from .uniform_slots import OUTCOME

__all__ = ["begin_step", "end_step"]

# ``Mode.value`` is a Python-level property; the step rows read the names from here.
_MODE_NAMES = {mode: mode.value for mode in Mode}


def begin_step(
    inc: IncidentRun, request: StepRequest, facts: CompiledStep, minutes: float
) -> tuple[float, float, float]:
    """(how long the attempt takes, its start, its outcome uniform), before the wait.

    ``facts`` is ``inc.step_facts(request)``, which the caller already holds."""
    limit = facts.timeout
    u = inc.numbers.step_u(facts.block, request.attempt, OUTCOME)
    return (limit if limit is not None and minutes > limit else minutes), inc.env.now, u


def end_step(
    inc: IncidentRun,
    request: StepRequest,
    facts: CompiledStep,
    minutes: float,
    p_error: float,
    actor: str,
    start: float,
    u: float,
) -> StepOutcome:
    """How the attempt begun at ``start`` went, after the wait: logged and applied."""
    now = inc.env.now
    step_id, limit = facts.id, facts.timeout
    # The mitigating step of a runbook that fits an active fault restores service.
    fixes: list[FaultRun] | None = None
    kind: FailureKind | None = None
    if limit is not None and minutes > limit:
        kind = "timeout"
    else:
        if facts.mitigating:
            fixes = [f for f in inc.faults if f.ended is None and inc.runbook in f.fault.fixes]
        if u < p_error:
            kind = "error"
            inc.log("error", actor, {"what": "step_error", "runbook": inc.runbook, "step": step_id})
        elif fixes is not None and not fixes:
            kind = "verify_failed"
    ok = kind is None
    inc.log(
        "step",
        actor,
        {
            "runbook": inc.runbook,
            "step": step_id,
            "attempt": request.attempt,
            "mode": _MODE_NAMES[request.mode],
            "ok": ok,
            "failure": kind,
            "started": start,
            "phase": request.phase,
        },
    )
    if ok and fixes:
        for f in fixes:
            end_fault(f, f"runbook:{inc.runbook}", actor, inc.logbook)
    # The engine only builds well-formed outcomes: no checks.
    return StepOutcome.unchecked(ok, kind, actor, start, now)
