"""The fault calendar: when each fault definition strikes, and what each onset sets off.

Every onset logs ``fault_start``, takes its incident's uniforms, and sets timers for
the alerts its signals will raise (``monitoring.fire_time`` plus the rule's detection
delay) and for self-healing. Timers are bare timeouts with a callback rather than
processes: they never wait on anything else, and a callback costs a fraction of a
process (no generator, no initialisation event, no resume) for about four timers per
incident.

Fault onsets wait in the calendar's own heap, with only the earliest one as a SimPy
timer: SimPy's event heap then holds the events of incidents under way rather than one
pending timer per fault definition, so every push and pop on it is cheaper, and the
cost per incident does not grow with the number of fault definitions.
"""

from __future__ import annotations

import functools
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass

import simpy

from .compiled import CompiledFault, CompiledScenario
from .incident import FaultRun, end_fault
from .logbook import Logbook
from .monitoring import fire_time
from .reviews import CompiledReviews
from .streams import UniformBlocks, stream_seed, stream_seeds

__all__ = ["AlertDue", "FaultCalendar"]

#: A timer callback for a watch's alert: (fault occurrence, firing tick, watch index,
#: the timer's event).
AlertDue = Callable[[FaultRun, float, int, simpy.Event], None]

_INF = float("inf")


@dataclass(eq=False, slots=True)
class _Arrivals:
    """Where one fault definition's onset process stands."""

    fault: CompiledFault
    rng: random.Random
    scheduled: list[float]  # ``at`` times still to come
    next_random: float  # the next stochastic onset (inf: none)
    occurrence: int = 0
    rate: float = 1.0  # times the original rate (reviews' action items lower it)


class FaultCalendar:
    """The onsets of every fault definition of one replication."""

    def __init__(
        self, scenario: CompiledScenario, seed: int, logbook: Logbook, alert_due: AlertDue
    ) -> None:
        self.scenario = scenario
        self.horizon = scenario.spec.horizon
        self.logbook = logbook
        self.env = logbook.env
        self.alert_due = alert_due
        self._arrival_seeds = stream_seeds(seed, "arrivals", len(scenario.faults))
        self._incident_uniforms = UniformBlocks(stream_seed(seed, "incident"))
        # The next onset of every fault definition: (time, order of scheduling, arrivals).
        self._calendar: list[tuple[float, int, _Arrivals]] = []
        self._entries = 0
        self._arrivals: list[_Arrivals] = []

    def start(self) -> None:
        for fault in self.scenario.faults:
            rng = random.Random(self._arrival_seeds[fault.index])
            first = fault.tbf(rng.random()) if fault.tbf is not None else _INF
            arrivals = _Arrivals(fault, rng, list(fault.at), first)
            self._arrivals.append(arrivals)
            self._next_onset(arrivals)
        self._arm()

    def _next_onset(self, arrivals: _Arrivals) -> None:
        """Schedule the next onset of one fault definition: scheduled ``at`` times and
        stochastic ones.

        By default (``interval_from: onset``) stochastic onsets form a renewal process
        of onsets (``tbf`` between onsets), so they do not depend on how fast the
        previous occurrence was fixed — common random numbers across strategies. With
        ``interval_from: recovery`` the next onset is drawn when an occurrence ends
        (``_recovered``): a faster fix brings the next failure sooner, so such a fault's
        onsets differ between strategies.
        """
        scheduled, fault = arrivals.scheduled, arrivals.fault
        t = min(scheduled[0] if scheduled else _INF, arrivals.next_random)
        if t >= self.horizon:
            return
        if scheduled and scheduled[0] == t:
            scheduled.pop(0)
        else:
            assert fault.tbf is not None
            # ``rate`` is 1.0 unless a review lowered it (x / 1.0 is x, bit for bit).
            arrivals.next_random = t + fault.tbf(arrivals.rng.random()) / arrivals.rate
        self._entries += 1  # ties at one instant: in order of scheduling
        heapq.heappush(self._calendar, (t, self._entries, arrivals))

    def _arm(self) -> None:
        if self._calendar:
            self._arm_for(self._calendar[0][0])

    def _arm_for(self, t: float) -> None:
        """A timer for the onset due at ``t`` (the clock's ``now + (t - now)`` may land a
        hair before ``t``: ``_due`` is told which onset it is for)."""
        self.env.timeout(t - self.env.now).callbacks.append(functools.partial(self._due, t))

    def _due(self, armed_for: float, _: simpy.Event) -> None:
        calendar = self._calendar
        if not calendar or calendar[0][0] != armed_for:
            # A timer armed for an onset that an earlier one (``interval_from:
            # recovery``, armed when its fault ended) came before: already handled.
            return
        t, _order, arrivals = heapq.heappop(calendar)
        self._onset(arrivals, t)
        self._arm()

    def _onset(self, arrivals: _Arrivals, t: float) -> None:
        fault, rng, env = arrivals.fault, arrivals.rng, self.env
        arrivals.occurrence += 1
        run = FaultRun(
            fault,
            arrivals.occurrence,
            t,
            rng.getrandbits(64),
            self._incident_uniforms.take(self.scenario.incident_uniforms),
        )
        heal = fault.self_heal(rng.random()) if fault.self_heal is not None else None
        deliveries = []
        for i, w in enumerate(fault.watches):
            fire = fire_time(t, w.interval, w.pending)
            deliveries.append((fire + w.delay(rng.random()), fire, i))
        if len(deliveries) > 1:
            deliveries.sort()  # timers due at the same instant fire in this order
        self.started(run)
        for deliver_at, fired_at, i in deliveries:
            env.timeout(deliver_at - t).callbacks.append(
                functools.partial(self.alert_due, run, fired_at, i)
            )
        if heal is not None:
            env.timeout(heal).callbacks.append(functools.partial(self._heal_timer, run))
        if fault.from_recovery:
            # The next onset is drawn when this one ends (``_recovered``), not now.
            arrivals.next_random = _INF
            run.on_end = functools.partial(self._recovered, arrivals)
        self._next_onset(arrivals)

    def _recovered(self, arrivals: _Arrivals) -> None:
        """An occurrence of a fault with ``interval_from: recovery`` ended: its next
        onset comes ``tbf`` from now (scheduled on the calendar and armed if first)."""
        assert arrivals.fault.tbf is not None
        now = self.env.now
        arrivals.next_random = now + arrivals.fault.tbf(arrivals.rng.random()) / arrivals.rate
        before = self._calendar[0][0] if self._calendar else _INF
        self._next_onset(arrivals)
        if self._calendar and self._calendar[0][0] < before:
            self._arm_for(self._calendar[0][0])

    def learn(self, kind: str, service: str, cause: str, reviews: CompiledReviews) -> None:
        """A review's action items about ``kind`` faults on ``service``: ``reviews.delay``
        from now, every such fault definition's rate is cut by ``effectiveness`` (not
        below ``floor`` of the original), from its next drawn onset on."""
        hits = [a for a in self._arrivals if a.fault.kind == kind and a.fault.target == service]
        if hits:
            self.env.timeout(reviews.delay).callbacks.append(
                functools.partial(self._lowered, hits, cause, reviews)
            )

    def _lowered(
        self, hits: list[_Arrivals], cause: str, reviews: CompiledReviews, _: simpy.Event
    ) -> None:
        for arrivals in hits:
            before = arrivals.rate
            arrivals.rate = max(reviews.floor, before * (1.0 - reviews.effectiveness))
            if arrivals.rate != before:
                f = arrivals.fault
                self.logbook.write(
                    0,
                    "rate_change",
                    f.target,
                    "system",
                    {"fault": f.name, "fault_kind": f.kind, "rate": arrivals.rate, "by": cause},
                )

    def started(self, run: FaultRun) -> None:
        """Log the onset of ``run``: what it does to users."""
        f, impact = run.fault, run.fault.impact
        self.logbook.write(
            0,
            "fault_start",
            f.target,
            "chaos",
            {
                "fault": f.name,
                "fault_kind": f.kind,
                "effect": f.effect,
                "occurrence": run.occurrence,
                "affected_users_pct": impact.affected_users_pct,
                "cost_per_min": impact.cost_per_min,
                "tier": impact.tier,
                "services_impacted": impact.services_impacted,
            },
        )

    def _heal_timer(self, run: FaultRun, _: simpy.Event) -> None:
        if run.ended is None:
            end_fault(run, "self_heal", "system", self.logbook)
