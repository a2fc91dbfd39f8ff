"""A replication a person plays: the world runs until that person must decide.

The person takes one responder's seat (the first roster person of a role). Incidents
that person holds — and the training scenario says they face — are decided through
prompts instead of the responder model: each decision of ``ResponderPolicy`` yields a
SimPy event that the person's ``Reply`` succeeds. A reply may first cost minutes of
work (an inspection, a status update): time passes like any other timeout, the rest of
the world (other faults, noise, automation, simulated colleagues) goes on, and the same
decision is asked again. Everything else is ``SimulatedHuman``.

There is one clock and no thread: ``Interactive.advance`` steps the environment until
a prompt is pending or the horizon is reached, exactly as ``run_once`` would have run
it (events due at the horizon itself are not processed).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import simpy

from sim.eventlog import Event
from sim.response import StepOutcome, StepRequest
from sim.spec.scenario import ScenarioSpec

from .compiled import compile_scenario
from .incident import IncidentRun
from .policy import SimulatedHuman
from .topology import BASELINE_SIGNALS, fault_signals
from .world import World

__all__ = ["FaultPicture", "Interactive", "Prompt", "Reply", "SeatPolicy"]


@dataclass(frozen=True, slots=True)
class Prompt:
    """A decision the engine waits for.

    ``kind``: ``page`` (acknowledge), ``triage`` (set the severity), ``noise`` (is it a
    false positive?), ``runbook`` (pick one, or hand over to specialists), ``approve``
    (a step that needs approval) or ``step`` (perform the next manual step).
    """

    number: int  # 1, 2, ... in the order asked
    kind: str
    incident: int
    service: str
    asked_at: float
    tried: tuple[str, ...] = ()  # runbooks already applied to this incident
    runbook: str = ""  # for approve / step
    step: str = ""
    attempt: int = 0


@dataclass(frozen=True, slots=True)
class Reply:
    """The person's answer to a prompt.

    ``minutes`` of work come first (logged as ``work`` with ``what`` unless it is
    empty). A ``final`` reply ends the decision with ``value``; a non-final one (an
    inspection, a status update) is followed by the same decision asked again.
    """

    minutes: float = 0.0
    final: bool = True
    value: Any = None
    what: str = ""


@dataclass(frozen=True, slots=True)
class FaultPicture:
    """What a fault definition does while active: its target's signals and the health
    of every service it reaches (``(service, degraded|down)``)."""

    target: str
    signals: dict[str, float]
    health: tuple[tuple[str, str], ...]


class SeatPolicy(SimulatedHuman):
    """A responder whose decisions, on the incidents the person faces, are prompts.

    The seat's person answers pages first whenever free (``Pool.answers_first``), so the
    seat's incidents reach the trainee even when a colleague is more skilled."""

    def __init__(
        self, world: World, role: str, faced: frozenset[str] | None, faces_noise: bool
    ) -> None:
        person = next((p for p in world.pool.people if p.role == role), None)
        if person is None:
            raise ValueError(f"no responder with role {role!r} in the roster")
        self.env = world.env
        self.person = person
        world.pool.answers_first(person)
        self.faced = faced  # fault names the person faces (None: all)
        self.faces_noise = faces_noise
        self.pending: tuple[Prompt, simpy.Event] | None = None
        # Every decision still waiting, by prompt number: more than one when the world
        # runs on while people think (a live game day); training waits for one at a time.
        self.waiting: dict[int, tuple[Prompt, simpy.Event]] = {}
        self.asked = 0

    def holds(self, inc: IncidentRun, kind: str = "") -> bool:
        """The person holds ``inc`` and the scenario has them face it (``kind``: the
        decision about to be asked; a subclass may leave some kinds to the model)."""
        if inc.person is not self.person:
            return False
        if inc.noise:
            return self.faces_noise
        return self.faced is None or any(f.fault.name in self.faced for f in inc.faults)

    def ask(self, inc: IncidentRun, kind: str, **info: Any) -> Generator[simpy.Event, Any, Any]:
        """Wait for the person's final reply to one decision; return its value."""
        env = self.env
        while True:
            self.asked += 1
            prompt = Prompt(self.asked, kind, inc.number, inc.service, env.now, **info)
            event = env.event()
            self.pending = self.waiting[prompt.number] = (prompt, event)
            reply: Reply = yield event
            del self.waiting[prompt.number]
            if reply.minutes > 0:
                yield env.timeout(reply.minutes)
                if reply.what:
                    inc.worked(reply.what, reply.minutes)
            if reply.final:
                return reply.value

    # -- the decisions -------------------------------------------------------------

    def acknowledge(self, inc: IncidentRun) -> Generator[simpy.Event, Any, None]:
        if not self.holds(inc, "page"):
            yield from super().acknowledge(inc)
            return
        inc.log("page", "monitoring", {"role": self.person.role, "level": 0, "loop": 0})
        yield from self.ask(inc, "page")

    def triage(self, inc: IncidentRun) -> Generator[simpy.Event, Any, str]:
        if not self.holds(inc, "triage"):
            return (yield from super().triage(inc))
        severity: str = yield from self.ask(inc, "triage")
        return severity

    def is_false_positive(self, inc: IncidentRun) -> Generator[simpy.Event, Any, bool]:
        if not self.holds(inc, "noise"):
            return (yield from super().is_false_positive(inc))
        return bool((yield from self.ask(inc, "noise")))

    def choose_runbook(
        self, inc: IncidentRun, tried: list[str]
    ) -> Generator[simpy.Event, Any, str | None]:
        if not self.holds(inc, "runbook"):
            return (yield from super().choose_runbook(inc, tried))
        choice: str | None = yield from self.ask(inc, "runbook", tried=tuple(tried))
        return choice

    def approve(self, inc: IncidentRun, request: StepRequest) -> Generator[simpy.Event, Any, bool]:
        if not self.holds(inc, "approve"):
            return (yield from super().approve(inc, request))
        info = {"runbook": inc.runbook, "step": request.step.id, "attempt": request.attempt}
        return bool((yield from self.ask(inc, "approve", **info)))

    def perform(
        self, inc: IncidentRun, request: StepRequest, fits: bool
    ) -> Generator[simpy.Event, Any, StepOutcome]:
        if self.holds(inc, "step"):
            info = {"runbook": inc.runbook, "step": request.step.id, "attempt": request.attempt}
            yield from self.ask(inc, "step", **info)
        # The attempt itself: the person's skill and fatigue, the step's own time.
        return (yield from super().perform(inc, request, fits))


class Interactive:
    """One replication of ``spec`` under ``strategy`` with ``seed``, one seat played.

    The same seed gives the same fault occurrences as ``run_once`` under any strategy
    (common random numbers), so the person's incidents can be matched with the
    baselines' by (fault, occurrence).
    """

    def __init__(
        self,
        spec: ScenarioSpec,
        strategy: str,
        seed: int,
        role: str,
        faced: frozenset[str] | None = None,
        faces_noise: bool = True,
    ) -> None:
        compiled = compile_scenario(spec, strategy)
        self.world = World(compiled, seed, lambda w: SeatPolicy(w, role, faced, faces_noise))
        seat = self.world.policy
        assert isinstance(seat, SeatPolicy)
        self.seat = seat
        self.horizon = spec.horizon
        self.finished = False
        self.healthy = dict(BASELINE_SIGNALS)  # signals of a service without a fault
        self._pictures = {
            f.name: FaultPicture(
                f.target,
                fault_signals(f.kind, spec.faults[f.name].signals),
                f.impact.health,
            )
            for f in compiled.faults
        }
        self.world.start()

    @property
    def now(self) -> float:
        return float(self.world.env.now)

    @property
    def events(self) -> list[Event]:
        """The event log so far (the engine's own list: read, never change it)."""
        return self.world.events

    @property
    def prompt(self) -> Prompt | None:
        return self.seat.pending[0] if self.seat.pending is not None else None

    def picture(self, fault: str) -> FaultPicture:
        return self._pictures[fault]

    def advance(self) -> Prompt | None:
        """Run until the person is asked something (returned) or the horizon (None)."""
        env = self.world.env
        while self.seat.pending is None or self.seat.pending[1].triggered:
            if self.finished:
                return None
            if env.peek() >= self.horizon:
                env.run(until=self.horizon)
                self.finished = True
                self.seat.pending = None
                return None
            env.step()
        return self.seat.pending[0]

    def answer(self, reply: Reply) -> None:
        """Answer the pending prompt; the world resumes on the next ``advance``."""
        pending = self.seat.pending
        if pending is None or pending[1].triggered:
            raise RuntimeError("no decision is pending")
        pending[1].succeed(reply)

    def log(self, incident: int, kind: str, service: str, details: dict[str, Any]) -> None:
        """Record something the person did that the engine does not act on."""
        self.world.logbook.write(incident, kind, service, self.seat.person.name, details)
