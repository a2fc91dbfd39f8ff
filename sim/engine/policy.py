"""Responder policies: every decision a person makes during an incident.

The incident process never decides for a human. It asks the incident's policy —
acknowledge, triage, pick a runbook, perform or approve a step, check a suspected false
positive — and waits for the answer. Each method is a generator used with
``yield from`` inside the SimPy process: it may yield SimPy events (time passes, or a
trainee's decision arrives) and returns the decision. ``SimulatedHuman`` is the
default; training mode plugs in a policy whose methods wait on an event set by a real
person while the rest of the world keeps its clock.
"""

from __future__ import annotations

import functools
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Protocol

import simpy

from sim.response import StepOutcome, StepRequest

from .incident import ACK, APPROVE, DIAGNOSIS, DURATION, NOISE, TRIAGE
from .steps import begin_step, end_step

if TYPE_CHECKING:
    from .compiled import CompiledStep
    from .incident import IncidentRun

__all__ = ["Decision", "ResponderPolicy", "SimulatedHuman", "fast_lane"]

Decision = Generator[simpy.Event, Any, Any]


class ResponderPolicy(Protocol):
    """What a responder decides. ``inc`` exposes the incident as the responder sees it."""

    def acknowledge(self, inc: IncidentRun) -> Generator[simpy.Event, Any, None]: ...

    def triage(self, inc: IncidentRun) -> Generator[simpy.Event, Any, str]:
        """Return the severity the responder sets (may keep the proposed one)."""
        ...

    def is_false_positive(self, inc: IncidentRun) -> Generator[simpy.Event, Any, bool]: ...

    def choose_runbook(
        self, inc: IncidentRun, tried: list[str]
    ) -> Generator[simpy.Event, Any, str | None]:
        """Return a runbook id, or None to hand the incident to specialists."""
        ...

    def approve(
        self, inc: IncidentRun, request: StepRequest
    ) -> Generator[simpy.Event, Any, bool]: ...

    def perform(
        self, inc: IncidentRun, request: StepRequest, fits: bool
    ) -> Generator[simpy.Event, Any, StepOutcome]: ...


class SimulatedHuman:
    """A person drawn from the scenario's responder model.

    Times scale with the night factor and inversely with skill; the error probability of
    a manual step is ``p / skill`` plus fatigue. Diagnosis picks a runbook that does not
    fit with probability ``wrong_runbook_probability * (1 - assist)``.
    """

    def acknowledge(self, inc: IncidentRun) -> Generator[simpy.Event, Any, None]:
        world = inc.world
        delay, pages = world.escalation.ack_delay(
            functools.partial(inc.u, ACK), world.night_factor(world.env._now)
        )
        start = world.env._now
        for offset, role, level, loop in pages:
            if offset > 0:
                yield world.env.timeout(start + offset - world.env._now)
            world.log(
                inc.number,
                "page",
                inc.service,
                "monitoring",
                {"role": role, "level": level, "loop": loop},
            )
        yield world.env.timeout(start + delay - world.env._now)

    def triage(self, inc: IncidentRun) -> Generator[simpy.Event, Any, str]:
        minutes = inc.world.c.triage_time(inc.u(TRIAGE)) * inc.slowdown()
        yield inc.world.env.timeout(minutes)
        inc.worked("triage", minutes)
        return inc.core.severity

    def is_false_positive(self, inc: IncidentRun) -> Generator[simpy.Event, Any, bool]:
        minutes = inc.world.c.noise_time(inc.u(NOISE)) * inc.slowdown()
        yield inc.world.env.timeout(minutes)
        inc.worked("noise_check", minutes)
        return True

    def choose_runbook(
        self, inc: IncidentRun, tried: list[str]
    ) -> Generator[simpy.Event, Any, str | None]:
        world = inc.world
        minutes = world.c.diagnosis_time(inc.u(DIAGNOSIS, len(tried))) * inc.slowdown()
        yield world.env.timeout(minutes)
        inc.worked("diagnosis", minutes)
        return inc.pick_runbook(tried, world.wrong_runbook_p)

    def approve(self, inc: IncidentRun, request: StepRequest) -> Generator[simpy.Event, Any, bool]:
        minutes = self.approval_minutes(inc, inc.step_u(request, APPROVE))
        yield inc.world.env.timeout(minutes)
        inc.worked("approval", minutes)
        return True

    def approval_minutes(self, inc: IncidentRun, u: float) -> float:
        """How long the current person takes to approve a step (approval uniform ``u``)."""
        return inc.world.c.approval_time(u) * inc.slowdown()

    def perform(
        self, inc: IncidentRun, request: StepRequest, fits: bool
    ) -> Generator[simpy.Event, Any, StepOutcome]:
        world = inc.world
        person = inc.person
        assert person is not None
        facts = inc.step_facts(request)
        minutes, p_error = self.plan_step(
            inc, facts, inc.step_u_at(facts, request.attempt, DURATION)
        )
        delay, start, u = begin_step(world, inc, request, facts, minutes)
        yield world.env.timeout(delay)
        outcome = end_step(world, inc, request, facts, minutes, p_error, person.name, start, u)
        return outcome

    def plan_step(self, inc: IncidentRun, facts: CompiledStep, u: float) -> tuple[float, float]:
        """(minutes, error probability) of the current person's attempt at a step whose
        duration uniform is ``u``.

        The whole of this policy's step decision: nothing in it waits, so the engine
        calls it directly in its step loop instead of running ``perform`` as a generator
        per attempt (see ``fast_lane``); both give the same log.
        """
        person = inc.person
        assert person is not None
        minutes = facts.manual(u) * inc.slowdown()
        p_error = facts.p_manual / person.skill
        if inc.world.fatigue is not None:  # without a fatigue model, fatigue() is 0.0
            p_error += inc.fatigue()
        return minutes, min(1.0, p_error)


def fast_lane(policy: ResponderPolicy) -> SimulatedHuman | None:
    """``policy`` itself if it performs and approves steps exactly as ``SimulatedHuman``
    does, else None.

    Then the engine's step loop asks ``plan_step`` and ``approval_minutes`` directly and
    waits itself: no generator per attempt or approval (about eight per incident), the
    same log. A subclass that overrides ``perform`` or ``approve`` keeps its own.
    """
    kind = type(policy)
    if (
        isinstance(policy, SimulatedHuman)
        and kind.perform is SimulatedHuman.perform
        and kind.approve is SimulatedHuman.approve
    ):
        return policy
    return None
