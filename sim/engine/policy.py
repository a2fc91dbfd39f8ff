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
from typing import Any, Protocol

import simpy

from sim.response import StepOutcome, StepRequest

from .compiled import CompiledStep
from .incident import IncidentRun
from .paging import page
from .steps import begin_step, end_step
from .uniform_slots import ACK, APPROVE, DIAGNOSIS, DURATION, NOISE, TRIAGE

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
        env = inc.env
        start = env.now
        if inc.route is not None:
            yield from page(
                inc,
                inc.scenario.ack,
                functools.partial(inc.numbers.u, ACK),
                inc.oncall.night_factor(start),
            )
            return
        delay, pages = inc.oncall.escalation.ack_delay(
            functools.partial(inc.numbers.u, ACK), inc.oncall.night_factor(start)
        )
        for offset, role, level, loop in pages:
            if offset > 0:
                yield env.timeout(start + offset - env.now)
            inc.log("page", "monitoring", {"role": role, "level": level, "loop": loop})
        yield env.timeout(start + delay - env.now)

    def triage(self, inc: IncidentRun) -> Generator[simpy.Event, Any, str]:
        minutes = inc.scenario.triage_time(inc.numbers.u(TRIAGE)) * inc.slowdown()
        yield inc.env.timeout(minutes)
        inc.worked("triage", minutes)
        return inc.core.severity

    def is_false_positive(self, inc: IncidentRun) -> Generator[simpy.Event, Any, bool]:
        minutes = inc.scenario.noise_time(inc.numbers.u(NOISE)) * inc.slowdown()
        yield inc.env.timeout(minutes)
        inc.worked("noise_check", minutes)
        return True

    def choose_runbook(
        self, inc: IncidentRun, tried: list[str]
    ) -> Generator[simpy.Event, Any, str | None]:
        u = inc.numbers.u(DIAGNOSIS, len(tried))
        minutes = inc.scenario.diagnosis_time(u) * inc.slowdown()
        yield inc.env.timeout(minutes)
        inc.worked("diagnosis", minutes)
        return inc.pick_runbook(tried)

    def approve(self, inc: IncidentRun, request: StepRequest) -> Generator[simpy.Event, Any, bool]:
        minutes = self.approval_minutes(inc, inc.step_u(request, APPROVE))
        yield inc.env.timeout(minutes)
        inc.worked("approval", minutes)
        return True

    def approval_minutes(self, inc: IncidentRun, u: float) -> float:
        """How long the current person takes to approve a step (approval uniform ``u``)."""
        return inc.scenario.approval_time(u) * inc.slowdown()

    def perform(
        self, inc: IncidentRun, request: StepRequest, fits: bool
    ) -> Generator[simpy.Event, Any, StepOutcome]:
        person = inc.person
        assert person is not None
        facts = inc.step_facts(request)
        minutes, p_error = self.plan_step(
            inc, facts, inc.numbers.step_u(facts.block, request.attempt, DURATION)
        )
        delay, start, u = begin_step(inc, request, facts, minutes)
        yield inc.env.timeout(delay)
        return end_step(inc, request, facts, minutes, p_error, person.name, start, u)

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
        if inc.oncall.fatigue is not None:  # without a fatigue model, fatigue() is 0.0
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
