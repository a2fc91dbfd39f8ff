"""A fault occurrence, the incident it belongs to, and how a fault ends.

``IncidentRun`` is what the incident process (``handling``) and the responder policy
see of an incident: its lifecycle (``core``), faults, who holds it, which runbook is
being applied, its random numbers (``numbers``, see ``uniform_slots``), and what it
works with — the clock, the compiled scenario, the people on call and the log — so
that a policy reads ``inc.scenario.triage_time`` rather than going through the world.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

import simpy

from sim.response import Incident, StepRequest

from .compiled import CompiledFault, CompiledRunbook, CompiledScenario, CompiledStep
from .logbook import Logbook
from .responders import OnCall, Person
from .teams import CompiledPolicy, TeamDesk
from .uniform_slots import PICK_WHICH, PICK_WRONG, IncidentNumbers

__all__ = ["AUTOMATION", "FaultRun", "IncidentRun", "Routed", "end_fault"]

AUTOMATION = "automation"


@dataclass(eq=False, slots=True)
class FaultRun:
    """One occurrence of a fault definition."""

    fault: CompiledFault
    occurrence: int
    onset: float
    seed: int  # of its incident's overflow stream
    uniforms: Sequence[float]  # its incident's prepared uniforms (see ``uniform_slots``)
    ended: float | None = None
    incident: IncidentRun | None = None
    #: Called when it ends (``interval_from: recovery``: the next onset is drawn then).
    on_end: Callable[[], None] | None = None


@dataclass(eq=False, slots=True)
class Routed:
    """Where triage sent an incident: its ``team`` (index), escalation ``policy`` and
    the ``desk`` of the replication's teams;
    ``level``: the policy level whose targets took it (0 unless the team had nobody on
    call and the page escalated before anyone was free)."""

    team: int
    policy: CompiledPolicy
    desk: TeamDesk  # the teams of the replication
    level: int = 0


class IncidentRun:
    """Engine-side state of one incident (the lifecycle itself lives in ``core``).

    A plain slotted class rather than a dataclass: one is built per incident, and the
    generated ``__init__`` with keyword arguments and default factories cost more than
    the rest of opening an incident.
    """

    __slots__ = (
        "core",
        "env",
        "faults",
        "interruptible",
        "key",
        "log",
        "logbook",
        "noise",
        "number",
        "numbers",
        "oncall",
        "paging",
        "person",
        "process",
        "route",
        "ruled_out",
        "runbook",
        "scenario",
        "service",
        "steps",
    )

    def __init__(
        self,
        scenario: CompiledScenario,
        oncall: OnCall,
        logbook: Logbook,
        number: int,
        service: str,
        key: tuple[str, ...],
        core: Incident,
        numbers: IncidentNumbers,
        noise: bool,
    ) -> None:
        self.scenario = scenario
        self.oncall = oncall
        self.logbook = logbook
        self.env = logbook.env
        self.number = number
        self.service = service
        self.key = key
        self.core = core
        self.numbers = numbers
        self.noise = noise
        self.faults: list[FaultRun] = []
        self.person: Person | None = None
        self.process: simpy.Process | None = None
        self.runbook = ""
        self.steps: CompiledRunbook | None = None  # the compiled steps of ``runbook``
        self.interruptible = False
        self.ruled_out: set[str] = set()
        self.paging: simpy.Process | None = None
        #: The team and policy paged (scenarios with ``teams:`` only).
        self.route: Routed | None = None
        #: ``log(kind, actor, details)``: log a row about this incident, now
        #: (``Logbook.writer``).
        self.log = logbook.writer(number, service)

    @property
    def actor(self) -> str:
        """Who acts for the incident now: the person holding it, else automation."""
        return self.person.name if self.person is not None else AUTOMATION

    def step_facts(self, request: StepRequest) -> CompiledStep:
        """The compiled facts of the requested step of the runbook being applied."""
        steps = self.steps
        assert steps is not None, "no runbook is being applied"
        return steps.by_position[request.position]

    def step_u(self, request: StepRequest, purpose: int) -> float:
        """The uniform for ``purpose`` (APPROVE, DURATION, OUTCOME) of this step attempt."""
        return self.numbers.step_u(self.step_facts(request).block, request.attempt, purpose)

    # -- what the policy may ask --------------------------------------------------

    def active(self) -> list[FaultRun]:
        return [f for f in self.faults if f.ended is None]

    def fixed_by(self, runbook: str) -> bool:
        """Whether ``runbook`` fixes one of the active faults (it fits the incident)."""
        for f in self.faults:  # noqa: SIM110 - a plain loop beats any() with a genexpr
            if f.ended is None and runbook in f.fault.fixes:
                return True
        return False

    def has_active(self) -> bool:
        """``bool(self.active())`` without building the list."""
        for f in self.faults:  # noqa: SIM110 - a plain loop beats any() with a genexpr
            if f.ended is None:
                return True
        return False

    def slowdown(self) -> float:
        """How much slower than nominal the current person works now."""
        skill = self.person.skill if self.person is not None else 1.0
        return self.oncall.night_factor(self.env.now) / skill

    def fatigue(self) -> float:
        """Extra error probability from recent pages of the current person."""
        if self.person is None:
            return 0.0
        return self.oncall.extra_error(self.person, self.env.now)

    def pick_runbook(self, tried: list[str], p_wrong: float | None = None) -> str | None:
        """Diagnosis outcome: a fitting runbook, or with ``p_wrong`` (by default the
        scenario's, ``CompiledScenario.wrong_runbook_p``) one that does not fit.

        ``tried`` lists earlier attempts (it indexes the random draws). Runbooks whose
        fix was seen not to work (their mitigating step failed verification) are ruled
        out; one that failed in execution (a mistake, a timeout) may be tried again,
        as a person would after fixing the mistake. Nothing left: None.
        """
        order = self.scenario.runbook_order
        active = self.active()
        fixes: frozenset[str] | set[str] = active[0].fault.fixes if len(active) == 1 else set()
        if len(active) > 1:
            for f in active:
                fixes |= f.fault.fixes
        out = self.ruled_out
        u, v = self.numbers.u(PICK_WRONG, len(tried)), self.numbers.u(PICK_WHICH, len(tried))
        right = None  # the first fitting runbook not ruled out, in file order
        for r in order:
            if r in fixes and r not in out:
                right = r
                break
        if p_wrong is None:
            p_wrong = self.scenario.wrong_runbook_p
        if u < p_wrong or right is None:
            wrong = [r for r in order if r not in fixes and r not in out]
            if wrong:
                return wrong[int(v * len(wrong))]
        return right

    def work(self, what: str, minutes: float) -> Generator[simpy.Event, Any, None]:
        """Human work outside runbook steps: time passes, and it is logged and counted."""
        yield self.env.timeout(minutes)
        self.worked(what, minutes)

    def worked(self, what: str, minutes: float) -> None:
        """Log ``minutes`` of finished human work (``work`` without the wait, for a
        policy that waits itself: one generator less per piece of work). Human-minutes
        and manual actions are counted from the log (``sim.metrics``), not kept here."""
        self.log("work", self.actor, {"what": what, "minutes": minutes})


def end_fault(run: FaultRun, by: str, actor: str, logbook: Logbook) -> None:
    """The fault stops affecting users; its incident is mitigated if nothing is left."""
    now = logbook.now
    run.ended = now
    if run.on_end is not None:
        run.on_end()
    logbook.write(
        0,
        "fault_end",
        run.fault.target,
        actor,
        {"fault": run.fault.name, "occurrence": run.occurrence, "by": by},
    )
    inc = run.incident
    if inc is None or inc.has_active():
        return
    inc.core.mark_mitigated(now, actor)
    inc.log("mitigated", actor, {"by": by})
    if by == "self_heal" and inc.interruptible and inc.process is not None:
        inc.process.interrupt("self-healed")
