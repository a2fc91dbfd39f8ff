"""The simulated world of one replication (``run.run_once`` runs it).

One ``simpy.Environment`` per call; no global state. Timers (timeouts with a callback):
each fault definition's next onset, each occurrence's alert deliveries and optional
self-healing. Processes: one noise process, and one per incident (``handling.handle``).
"""

from __future__ import annotations

import functools
import heapq
import random
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

import simpy

from sim.eventlog import Event
from sim.response import AlertGrouper, Incident, simulated_alert
from sim.response.triage import Impact as TriageImpact
from sim.spec.limits import MAX_EVENTS_PER_REPLICATION, WorkLimitExceeded
from sim.spec.scenario import ScenarioSpec

from .compiled import CompiledFault, CompiledScenario
from .handling import handle
from .incident import AUTOMATION, IncidentRun, new_event
from .monitoring import fire_time
from .policy import ResponderPolicy, SimulatedHuman, fast_lane
from .responders import Escalation, Pool
from .rng import UniformBlocks, stream, stream_seed, stream_seeds

__all__ = ["FaultRun", "PolicyFactory", "World"]


@dataclass(eq=False, slots=True)
class FaultRun:
    """One occurrence of a fault definition."""

    fault: CompiledFault
    occurrence: int
    onset: float
    seed: int  # of its incident's overflow stream
    uniforms: Sequence[float]  # its incident's prepared uniforms (see ``IncidentRun``)
    ended: float | None = None
    incident: IncidentRun | None = None


@dataclass(eq=False, slots=True)
class _Arrivals:
    """Where one fault definition's onset process stands."""

    fault: CompiledFault
    rng: random.Random
    scheduled: list[float]  # ``at`` times still to come
    next_random: float  # the next stochastic onset (inf: none)
    occurrence: int = 0


_INF = float("inf")


PolicyFactory = Callable[["World"], ResponderPolicy]


class World:
    """Everything that exists during one replication."""

    def __init__(
        self,
        compiled: CompiledScenario,
        seed: int,
        policy_factory: PolicyFactory | None = None,
    ) -> None:
        self.c = compiled
        self.spec: ScenarioSpec = compiled.spec
        self.seed = seed
        # The engine reads ``env._now`` rather than ``env.now``: SimPy's ``now`` is a
        # property over that attribute, and it is read tens of times per incident.
        self.env = simpy.Environment()
        self.events: list[Event] = []
        self._append = self.events.append  # bound once: ~24 rows per incident
        self.pool = Pool(self.env, self.spec.responders)
        self.escalation = Escalation(self.spec.responders)
        self.grouper = AlertGrouper(compiled.triage.group_key)
        self.open_incidents: dict[tuple[str, ...], IncidentRun] = {}
        self.incident_count = 0
        self.policy: ResponderPolicy = (policy_factory or (lambda w: SimulatedHuman()))(self)
        # A policy whose step decisions never wait lets the step loop skip a generator
        # per manual attempt and approval (see ``fast_lane``).
        self.fast_human: SimulatedHuman | None = fast_lane(self.policy)
        strategy = compiled.strategy
        self.wrong_runbook_p = self.spec.responders.wrong_runbook_probability * (
            1.0 - strategy.assist
        )
        self.fatigue = self.spec.responders.fatigue
        night = self.spec.responders.night
        # The night factor by hour of the day (0-23), computed once instead of per call.
        self.night_by_hour = [1.0] * 24
        if night is not None:
            start, end = night.start_hour, night.end_hour
            for hour in range(24):
                if start <= hour < end if start < end else (hour >= start or hour < end):
                    self.night_by_hour[hour] = night.factor
        self.start_minute = self.spec.start_hour * 60.0
        self._arrival_seeds = stream_seeds(seed, "arrivals", len(compiled.faults))
        self._incident_uniforms = UniformBlocks(stream_seed(seed, "incident"))
        # The next onset of every fault definition: (time, order of scheduling, arrivals).
        self._calendar: list[tuple[float, int, _Arrivals]] = []
        self._calendar_entries = 0
        self._triage_impacts: dict[tuple[int, int], TriageImpact] = {}

    # ------------------------------------------------------------------ helpers

    def log(
        self, incident: int, kind: str, service: str, actor: str, details: dict[str, Any]
    ) -> None:
        if len(self.events) >= MAX_EVENTS_PER_REPLICATION:  # the one cap every row meets
            raise WorkLimitExceeded.event_cap(self.env._now, MAX_EVENTS_PER_REPLICATION)
        # ``tuple.__new__`` is what ``Event(...)`` does, minus a Python-level call.
        self._append(new_event(Event, (self.env._now, kind, incident, service, actor, details)))

    def night_factor(self, t: float) -> float:
        return self.night_by_hour[int(((self.start_minute + t) // 60) % 24)]

    # ------------------------------------------------------------------ faults

    def start(self) -> None:
        for fault in self.c.faults:
            rng = random.Random(self._arrival_seeds[fault.index])
            first = fault.tbf(rng.random()) if fault.tbf is not None else float("inf")
            self._next_onset(_Arrivals(fault, rng, list(fault.at), first))
        self._arm_calendar()
        if self.c.noise:
            self.env.process(self._noise())

    # The world's own timers (fault onsets, alert deliveries, self-healing) are bare
    # timeouts with a callback rather than processes: they never wait on anything
    # else, and a callback costs a fraction of a process (no generator, no
    # initialisation event, no resume) for about four timers per incident.
    #
    # Fault onsets wait in the world's own calendar (a heap), with only the earliest
    # one as a SimPy timer: SimPy's event heap then holds the events of incidents under
    # way rather than one pending timer per fault definition, so every push and pop on
    # it is cheaper and the cost per incident does not grow with the fault definitions.

    def _next_onset(self, arrivals: _Arrivals) -> None:
        """Schedule the next onset of one fault definition: scheduled ``at`` times and
        stochastic ones.

        Stochastic onsets form a renewal process (``tbf`` between onsets), so they do
        not depend on how fast the previous occurrence was fixed — common random
        numbers across strategies.
        """
        scheduled, fault = arrivals.scheduled, arrivals.fault
        t = min(scheduled[0] if scheduled else _INF, arrivals.next_random)
        if t >= self.spec.horizon:
            return
        if scheduled and scheduled[0] == t:
            scheduled.pop(0)
        else:
            assert fault.tbf is not None
            arrivals.next_random = t + fault.tbf(arrivals.rng.random())
        self._calendar_entries += 1  # ties at one instant: in order of scheduling
        heapq.heappush(self._calendar, (t, self._calendar_entries, arrivals))

    def _arm_calendar(self) -> None:
        if self._calendar:
            self.env.timeout(self._calendar[0][0] - self.env._now).callbacks.append(self._onset_due)

    def _onset_due(self, _: simpy.Event) -> None:
        t, _order, arrivals = heapq.heappop(self._calendar)
        self._onset(arrivals, t)
        self._arm_calendar()

    def _onset(self, arrivals: _Arrivals, t: float) -> None:
        fault, rng, env = arrivals.fault, arrivals.rng, self.env
        arrivals.occurrence += 1
        run = FaultRun(
            fault,
            arrivals.occurrence,
            t,
            rng.getrandbits(64),
            self._incident_uniforms.take(self.c.incident_uniforms),
        )
        heal = fault.self_heal(rng.random()) if fault.self_heal is not None else None
        deliveries = []
        for i, w in enumerate(fault.watches):
            fire = fire_time(t, w.interval, w.pending)
            deliveries.append((fire + w.delay(rng.random()), fire, i))
        if len(deliveries) > 1:
            deliveries.sort()  # timers due at the same instant fire in this order
        self._fault_start(run)
        for deliver_at, fired_at, i in deliveries:
            env.timeout(deliver_at - t).callbacks.append(
                functools.partial(self._alert_due, run, fired_at, i)
            )
        if heal is not None:
            env.timeout(heal).callbacks.append(functools.partial(self._heal_due, run))
        self._next_onset(arrivals)

    def _fault_start(self, run: FaultRun) -> None:
        f, impact = run.fault, run.fault.impact
        self.log(
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

    def _heal_due(self, run: FaultRun, _: simpy.Event) -> None:
        if run.ended is None:
            self.end_fault(run, "self_heal", "system")

    def end_fault(self, run: FaultRun, by: str, actor: str) -> None:
        """The fault stops affecting users; its incident is mitigated if nothing is left."""
        run.ended = self.env._now
        self.log(
            0,
            "fault_end",
            run.fault.target,
            actor,
            {"fault": run.fault.name, "occurrence": run.occurrence, "by": by},
        )
        inc = run.incident
        if inc is None or inc.has_active():
            return
        inc.core.mark_mitigated(self.env._now, actor)
        self.log(inc.number, "mitigated", inc.service, actor, {"by": by})
        if by == "self_heal" and inc.interruptible and inc.process is not None:
            inc.process.interrupt("self-healed")

    # ------------------------------------------------------------------ alerts

    def _alert_due(self, run: FaultRun, fired_at: float, i: int, _: simpy.Event) -> None:
        if run.ended is not None and run.ended <= fired_at:
            return  # the condition cleared before the rule fired: no alert
        watch = run.fault.watches[i]
        self._deliver(watch.rule, watch.label_map, watch.fingerprint, fired_at, run)

    def _noise(self) -> Generator[simpy.Event, Any, None]:
        rng = stream(self.seed, "noise")
        sources = self.c.noise
        total = sum(s.per_minute for s in sources)
        while True:
            gap = rng.expovariate(total)
            if self.env._now + gap >= self.spec.horizon:
                return
            yield self.env.timeout(gap)
            pick, acc = rng.random() * total, 0.0
            source = sources[-1]
            for s in sources:
                acc += s.per_minute
                if pick < acc:
                    source = s
                    break
            self._deliver(source.rule, source.label_map, source.fingerprint, self.env._now, None)

    def _triage_impact(self, run: FaultRun | None, alert_count: int) -> TriageImpact:
        """What triage knows of the impact: fixed per fault (none for noise) but for the
        alert count, so each combination is built once per replication."""
        key = (run.fault.index if run is not None else -1, alert_count)
        found = self._triage_impacts.get(key)
        if found is None:
            impact = run.fault.impact if run is not None else None
            found = self._triage_impacts[key] = TriageImpact(
                affected_users_pct=impact.affected_users_pct if impact else 0.0,
                revenue_per_min=impact.cost_per_min if impact else 0.0,
                tier=impact.tier if impact else 4,
                services_impacted=impact.services_impacted if impact else 0,
                alert_count=alert_count,
            )
        return found

    def _deliver(
        self,
        rule: str,
        labels: dict[str, str],
        fingerprint: str,
        fired_at: float,
        run: FaultRun | None,
    ) -> None:
        now = self.env._now
        noise = run is None
        alert = simulated_alert(rule, labels, now, fingerprint)
        grouping = self.grouper.offer(alert)
        if grouping.action == "duplicate":
            inc = self.open_incidents.get(grouping.key)
            if inc is not None and run is not None and run not in inc.faults:
                self._attach(inc, run)
            return
        severity, deciding_rule = self.c.triage.severity(
            alert, self._triage_impact(run, grouping.alert_count)
        )
        service = labels.get("service", "")
        self.log(
            0,
            "alert",
            service,
            "monitoring",
            {
                "alert": rule,
                "fingerprint": fingerprint,
                "fired_at": fired_at,
                "noise": noise,
                "group": "/".join(grouping.key),
            },
        )
        if grouping.action == "opened":
            self._open(grouping.key, service, severity, deciding_rule, run)
        elif grouping.action == "joined":
            inc = self.open_incidents[grouping.key]
            if run is not None:
                self._attach(inc, run)
            before = inc.core.severity
            after = inc.core.set_severity(severity, t=now, actor=AUTOMATION, by="automation")
            if after != before:
                self.log(
                    inc.number,
                    "severity",
                    service,
                    AUTOMATION,
                    {"from": before, "to": after, "rule": deciding_rule},
                )

    def _attach(self, inc: IncidentRun, run: FaultRun) -> None:
        if run.incident is None and run.ended is None:
            run.incident = inc
            inc.faults.append(run)
            if inc.noise:
                inc.noise = False  # a real fault showed up under a noise incident

    def _open(
        self,
        key: tuple[str, ...],
        service: str,
        severity: Any,
        rule: str | None,
        run: FaultRun | None,
    ) -> None:
        self.incident_count += 1
        number = self.incident_count
        # A noise alert's incident has no prepared uniforms: whether one opens depends
        # on the strategy (an open incident of the same group absorbs the alert), so it
        # draws everything from a stream of its own.
        seed, uniforms = (
            (run.seed, run.uniforms) if run is not None else (self.seed * 7919 + number, [])
        )
        inc = IncidentRun(
            self,
            number,
            service,
            key,
            Incident(str(number), self.env._now, severity),
            uniforms,
            seed,
            self.policy,
            run is None,
        )
        self.open_incidents[key] = inc
        self.log(
            number,
            "incident_open",
            service,
            "monitoring",
            {
                "severity": severity,
                "rule": rule,
                "noise": run is None,
                "fault": run.fault.name if run else None,
                "occurrence": run.occurrence if run else None,
                "onset": run.onset if run else None,
            },
        )
        if run is not None:
            self._attach(inc, run)
            if run.ended is not None:
                # The alert fired while the fault was active but reached people after it
                # had already ended: user impact ended at run.ended, before detection.
                run.incident = inc
                inc.faults.append(run)
                inc.core.mark_mitigated(self.env._now, "system")
                self.log(
                    number,
                    "mitigated",
                    service,
                    "system",
                    {"by": "self_heal", "impact_ended": run.ended},
                )
        inc.process = self.env.process(handle(inc))
