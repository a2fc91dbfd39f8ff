"""Incident handling: from the first alert to resolution, through the real core.

The process takes the incident through the lifecycle (``sim.response.Incident``),
runs runbooks through the executor (``sim.response.RunbookExecutor``) and asks the
responder policy for every human decision. Automation acts where the strategy says:
``auto_remediation`` (automation takes the incident and picks the runbook),
``auto_triage`` (no human triage time), ``automation_coverage`` (which steps it runs).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator
from typing import Any

import simpy

from sim.response import Done, Mode, RunbookExecutor, State
from sim.response.lifecycle import needs_review
from sim.response.triage import severity_rank

from .incident import AUTOMATION, IncidentRun, end_fault
from .paging import page_expert, summon
from .policy import ResponderPolicy, fast_lane
from .reviews import CompiledReviews, Learn
from .steps import begin_step, end_step
from .uniform_slots import APPROVE, DURATION, EXPERT

__all__ = ["IncidentHandling"]

# ``State.X`` is a lookup through the enum's metaclass, ten times slower than a global
# (CPython 3.11), and these are read on every step and transition.
_OPEN, _TRIAGE, _MITIGATING = State.OPEN, State.TRIAGE, State.MITIGATING
_RESOLVED, _POST_INCIDENT, _CLOSED = State.RESOLVED, State.POST_INCIDENT, State.CLOSED
_AUTOMATED = Mode.AUTOMATED
# A state's name as logged (``str(state)``), looked up rather than converted per row.
_STATE_NAMES = {state: str(state) for state in State}

Process = Generator[simpy.Event, Any, None]


class IncidentHandling:
    """Runs the incident process of every incident of one replication.

    ``policy`` decides for the people; ``closed`` is told when an incident closes (the
    alert grouping forgets it). A policy whose step decisions never wait
    (``fast_lane``) lets the step loop skip a generator per manual attempt and approval.
    """

    def __init__(self, policy: ResponderPolicy, closed: Callable[[IncidentRun], None]) -> None:
        self.policy = policy
        self.fast = fast_lane(policy)
        self.closed = closed
        #: Where a review's action items go (``FaultCalendar.learn``; set by the world).
        self.learn: Learn | None = None

    def process(self, inc: IncidentRun) -> Process:
        """The incident process: from the first alert to resolution."""
        first = True
        while True:
            inc.interruptible = True
            try:
                if first:
                    first = False
                    yield from self._open_phase(inc)
                if not inc.noise:
                    yield from self._remediate(inc)
            except simpy.Interrupt:
                pass  # every fault of the incident healed by itself
            inc.interruptible = False
            # A fault that joined while the process was being interrupted still needs a fix.
            if inc.noise or not inc.has_active():
                break
        reviews = inc.scenario.reviews
        if reviews is not None and not inc.noise and needs_review(inc.core.severity):
            # The review is work: the person stays busy until it is over.
            self._resolve(inc)
            _transition(inc, _POST_INCIDENT, inc.actor, "post-incident review")
            self._detach(inc)
            yield from hold_review(inc, reviews, self.learn)
            _transition(inc, _CLOSED, inc.actor, "review done")
            self._release(inc)
            return
        self._close(inc)

    def _open_phase(self, inc: IncidentRun) -> Process:
        """Someone (or automation) takes the incident; a human triages unless automated."""
        strategy = inc.scenario.strategy
        if inc.noise:
            yield from self._take(inc)
            dismissed = yield from self.policy.is_false_positive(inc)
            # A real fault may have joined while the alert was being checked: then it is
            # no longer a false positive and the response goes on.
            if dismissed and inc.noise:
                _transition(inc, _RESOLVED, inc.actor, "false positive")
            return
        if strategy.auto_remediation:
            _transition(inc, _TRIAGE, AUTOMATION, "auto-remediation took the incident")
            # The on-call is paged at once, in parallel, so a person is at hand by the
            # time a step needs approval or a hand, as with a real auto-remediation
            # pipeline.
            inc.paging = inc.env.process(self._summon_in_background(inc))
            return
        yield from self._take(inc)
        if not strategy.auto_triage:
            severity = yield from self.policy.triage(inc)
            _set_severity(inc, severity, inc.actor, "human")

    def _take(self, inc: IncidentRun) -> Process:
        """A person is at hand for the incident (paged and acknowledged), triaged."""
        if inc.paging is not None:
            if inc.paging.is_alive:
                yield inc.paging  # the page sent in the background is still under way
            inc.paging = None
        if inc.person is None:
            yield from self._summon(inc)
        if inc.core.state is _OPEN:
            _transition(inc, _TRIAGE, inc.actor, "acknowledged")

    def _summon_in_background(self, inc: IncidentRun) -> Process:
        if inc.core.state is _CLOSED:
            return  # closed in the instant it opened (it had healed before detection)
        # Interrupted when the incident closes; ``_close`` gives back whoever was claimed.
        with contextlib.suppress(simpy.Interrupt):
            yield from self._summon(inc)

    def _summon(self, inc: IncidentRun) -> Process:
        """Wait for a free person, page them through the escalation policy, get the ack."""
        if inc.person is None:
            route = inc.route
            if route is not None:
                person, waited = yield from summon(inc, severity_rank(inc.core.severity))
                team = route.desk.teams.names[route.team]
                inc.person = person
                inc.log(
                    "assign",
                    person.name,
                    {"responder": person.name, "waited": waited, "team": team},
                )
            else:
                pool = inc.oncall.pool
                free = pool.claim_free()
                waited = 0.0
                if free is None:
                    free, waited = yield from pool.wait(severity_rank(inc.core.severity))
                inc.person = person = free
                inc.log("assign", person.name, {"responder": person.name, "waited": waited})
            yield from self.policy.acknowledge(inc)
            if inc.oncall.fatigue is not None:
                person.pages.append(inc.env.now)

    def _remediate(self, inc: IncidentRun) -> Process:
        scenario = inc.scenario
        tried: list[str] = []
        for _ in range(scenario.spec.responders.max_attempts):
            if not inc.has_active():
                return
            if scenario.strategy.auto_remediation and not tried:
                # Automation maps the alert to a runbook at once; assist lowers its
                # mistakes.
                choice = inc.pick_runbook(tried)
            else:
                if not _at_hand(inc):
                    yield from self._take(inc)
                choice = yield from self.policy.choose_runbook(inc, tried)
            if choice is None:
                break
            tried.append(choice)
            _transition(inc, _MITIGATING, inc.actor, f"runbook {choice}")
            yield from self._run_runbook(inc, choice)
            if not inc.has_active():
                return
            _transition(inc, _TRIAGE, inc.actor, f"runbook {choice} did not mitigate")
        if inc.has_active():
            # Out of runbooks or attempts: specialists fix it (always possible, slowly).
            yield from self._take(inc)
            if inc.core.state is _TRIAGE:
                _transition(inc, _MITIGATING, inc.actor, "handed to specialists")
            minutes = scenario.expert_time(inc.numbers.u(EXPERT)) * inc.slowdown()
            expert = page_expert(inc) if inc.route is not None else None
            if expert is None:
                yield from inc.work("specialists", minutes)
            else:
                assert inc.route is not None
                try:  # a fault healing by itself interrupts the work: free the expert
                    yield from inc.work("specialists", minutes)
                    # The subject-matter expert worked alongside for the same time.
                    inc.log("work", expert.name, {"what": "expert", "minutes": minutes})
                finally:
                    inc.route.desk.release(expert)
            for f in inc.active():
                end_fault(f, "specialists", inc.actor, inc.logbook)

    def _run_runbook(self, inc: IncidentRun, runbook: str) -> Process:
        scenario = inc.scenario
        inc.runbook = runbook
        inc.steps = steps = scenario.runbooks[runbook]
        fits = inc.fixed_by(runbook)
        executor = RunbookExecutor(
            scenario.programs[runbook], scenario.automated[runbook], keep_journal=False
        )
        inc.numbers.new_step_block(steps.size)
        inc.log("runbook_start", inc.actor, {"runbook": runbook, "fits": fits})
        auto_remediation = scenario.strategy.auto_remediation
        fast, policy = self.fast, self.policy
        # Bound once: the loop below runs about seven times per incident.
        env, next_request, record = inc.env, executor.next_request, executor.record
        by_position, step_u = steps.by_position, inc.numbers.step_u
        wrong_logged = False
        while True:
            request = next_request()
            if isinstance(request, Done):
                break
            automated = request.mode is _AUTOMATED
            facts = by_position[request.position]
            attempt = request.attempt
            if request.needs_approval and not (auto_remediation and automated):
                # Under auto-remediation an automated step runs as a pre-approved
                # standard change; a step a person performs still needs approval.
                if not _at_hand(inc):
                    yield from self._take(inc)
                if fast is not None:
                    minutes = fast.approval_minutes(inc, step_u(facts.block, attempt, APPROVE))
                    yield env.timeout(minutes)
                    inc.worked("approval", minutes)
                else:
                    yield from policy.approve(inc, request)
            if automated or fast is not None:
                # ``SimulatedHuman.perform`` (or automation's attempt) without a generator.
                if not automated and not _at_hand(inc):
                    yield from self._take(inc)
                u_duration = step_u(facts.block, attempt, DURATION)
                if automated:
                    assert facts.auto is not None
                    minutes, p_error, actor = facts.auto(u_duration), facts.p_auto, AUTOMATION
                else:
                    assert fast is not None and inc.person is not None
                    minutes, p_error = fast.plan_step(inc, facts, u_duration)
                    actor = inc.person.name
                delay, start, u_outcome = begin_step(inc, request, facts, minutes)
                yield env.timeout(delay)
                outcome = end_step(inc, request, facts, minutes, p_error, actor, start, u_outcome)
            else:
                if not _at_hand(inc):
                    yield from self._take(inc)
                outcome = yield from policy.perform(inc, request, fits)
            if outcome.kind == "verify_failed" and not wrong_logged:
                wrong_logged = True
                inc.ruled_out.add(runbook)
                inc.log(
                    "error",
                    outcome.actor,
                    {"what": "wrong_runbook", "runbook": runbook, "step": request.step.id},
                )
            record(outcome)
        assert isinstance(request, Done)
        inc.log(
            "runbook_end",
            inc.actor,
            {"runbook": runbook, "outcome": request.outcome, "mitigated": request.mitigated},
        )

    def _close(self, inc: IncidentRun) -> None:
        """Resolve (or dismiss), review when the severity asks for it (as a formality
        taking no time, without ``reviews:``), free the person."""
        core, actor = inc.core, inc.actor
        self._resolve(inc)
        if needs_review(core.severity) and not inc.noise:
            _transition(inc, _POST_INCIDENT, actor, "post-incident review")
            _transition(inc, _CLOSED, actor, "review scheduled")
        else:
            _transition(inc, _CLOSED, actor, "no review needed")
        self._detach(inc)
        self._release(inc)

    @staticmethod
    def _resolve(inc: IncidentRun) -> None:
        core, actor = inc.core, inc.actor
        if core.state in (_OPEN, _TRIAGE):
            reason = "false positive" if inc.noise else "recovered without a fix (self-healed)"
            _transition(inc, _RESOLVED, actor, reason)
        elif core.state is _MITIGATING:
            _transition(inc, _RESOLVED, actor, "service restored")

    def _detach(self, inc: IncidentRun) -> None:
        """The incident leaves the world: no page goes on, its alerts group anew."""
        if inc.paging is not None and inc.paging.is_alive:
            inc.paging.interrupt("incident closed")
        for fault in inc.faults:
            fault.incident = None  # break the cycle: a closed incident is freed at once
        self.closed(inc)

    @staticmethod
    def _release(inc: IncidentRun) -> None:
        if inc.person is not None:
            if inc.route is not None:
                inc.route.desk.release(inc.person)
            else:
                inc.oncall.pool.release(inc.person)
            inc.person = None


def _at_hand(inc: IncidentRun) -> bool:
    """A person already holds the incident (the common case inside a runbook): no need
    to start the ``_take`` generator (which would do nothing) for every step."""
    return inc.person is not None and inc.paging is None and inc.core.state is not _OPEN


def _transition(inc: IncidentRun, to: State, actor: str, reason: str) -> None:
    src = inc.core.state
    inc.core.transition(to, t=inc.env.now, actor=actor, reason=reason)
    inc.log(
        "transition", actor, {"from": _STATE_NAMES[src], "to": _STATE_NAMES[to], "reason": reason}
    )


def _set_severity(inc: IncidentRun, proposed: str, actor: str, by: str) -> None:
    before = inc.core.severity
    after = inc.core.set_severity(proposed, t=inc.env.now, actor=actor, by=by)  # type: ignore[arg-type]
    if after != before:
        inc.log("severity", actor, {"from": before, "to": after, "rule": None})


def hold_review(
    inc: IncidentRun, reviews: CompiledReviews, learn: Learn | None
) -> Generator[simpy.Event, Any, None]:
    """The review of a resolved incident: a person's time, then the action items.

    Called in ``post_incident``; the caller closes the incident and frees the person."""
    if inc.person is None:
        # After every incident in the queue: a review is never more urgent than a page.
        rank = len(inc.scenario.spec.triage_spec.severities)
        route = inc.route
        if route is not None:
            person = route.desk.claim(route.team)
            if person is None:
                person, _ = yield from route.desk.wait(route.team, rank)
        else:
            pool = inc.oncall.pool
            person = pool.claim_free()
            if person is None:
                person, _ = yield from pool.wait(rank)
        inc.person = person
    minutes = reviews.minutes(inc.core.severity, inc.numbers.stream.random())
    minutes *= inc.slowdown()
    yield inc.env.timeout(minutes)
    inc.worked("review", minutes)
    if learn is None:
        return
    cause = f"review of incident {inc.number}"
    seen: set[tuple[str, str]] = set()
    for run in inc.faults:
        key = (run.fault.kind, run.fault.target)
        if key not in seen:
            seen.add(key)
            learn(*key, cause)
