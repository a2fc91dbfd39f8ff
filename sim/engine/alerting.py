"""Alerting: from a delivered alert to an incident, through grouping and triage.

Every alert (a fault's, when its watch fires, or a noise alert) is grouped
(``sim.response.AlertGrouper``): a duplicate only attaches its fault to the open
incident, a new group opens an incident, an alert joining a group may raise the
incident's severity. Severity comes from the real triage engine, with what triage
knows of the fault's impact (``triage_impact``).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from sim.response import Alert, AlertGrouper, Incident, simulated_alert
from sim.spec.triage import Route

from .compiled import CompiledScenario
from .handling import IncidentHandling
from .incident import AUTOMATION, FaultRun, IncidentRun, Routed
from .logbook import Logbook
from .policy import ResponderPolicy
from .responders import OnCall
from .streams import stream
from .teams import TeamDesk
from .topology import triage_impact
from .uniform_slots import IncidentNumbers

__all__ = ["Alerting"]


class Alerting:
    """The alert pipeline of one replication and the incidents it keeps open."""

    def __init__(
        self,
        scenario: CompiledScenario,
        seed: int,
        logbook: Logbook,
        oncall: OnCall,
        policy: ResponderPolicy,
        desk: TeamDesk | None = None,
    ) -> None:
        self.scenario = scenario
        self.desk = desk  # the teams, for a scenario with ``teams:``
        self.seed = seed
        self.logbook = logbook
        self.env = logbook.env
        self.oncall = oncall
        self.handling = IncidentHandling(policy, self._closed)
        self.grouper = AlertGrouper(scenario.triage.group_key)
        self.open_incidents: dict[tuple[str, ...], IncidentRun] = {}
        self.incident_count = 0
        # (fingerprint, fault index or -1, alert count) -> (severity, rule, route)
        self._severities: dict[tuple[str, int, int], tuple[Any, str | None, Route]] = {}

    def start(self) -> None:
        if self.scenario.noise:
            self.env.process(self._noise())

    def alert_due(self, run: FaultRun, fired_at: float, i: int, _: simpy.Event) -> None:
        """A watch of ``run`` fired at ``fired_at`` and its alert reaches people now."""
        if run.ended is not None and run.ended <= fired_at:
            return  # the condition cleared before the rule fired: no alert
        watch = run.fault.watches[i]
        self._deliver(watch.rule, watch.label_map, watch.fingerprint, fired_at, run, run.seed)

    def _noise(self) -> Generator[simpy.Event, Any, None]:
        rng = stream(self.seed, "noise")
        sources = self.scenario.noise
        horizon = self.scenario.spec.horizon
        total = sum(s.per_minute for s in sources)
        env = self.env
        while True:
            gap = rng.expovariate(total)
            if env.now + gap >= horizon:
                return
            yield env.timeout(gap)
            pick, acc = rng.random() * total, 0.0
            source = sources[-1]
            for s in sources:
                acc += s.per_minute
                if pick < acc:
                    source = s
                    break
            seed = rng.getrandbits(64)  # of the incident this alert opens, if it opens one
            self._deliver(source.rule, source.label_map, source.fingerprint, env.now, None, seed)

    def _triage(
        self, alert: Alert, run: FaultRun | None, alert_count: int
    ) -> tuple[Any, str | None, Route]:
        """Triage's (severity, deciding rule, route) for ``alert`` of ``run`` (None:
        noise), the ``alert_count``-th of its group.

        Triage is a pure function of the alert's labels and ``triage_impact``; both are
        fixed by the alert's fingerprint (its rule and service), its fault and the
        count, so each combination is evaluated once per replication (about one alert
        in ten is a new combination on the seed benchmark)."""
        key = (alert.fingerprint, run.fault.index if run is not None else -1, alert_count)
        found = self._severities.get(key)
        if found is None:
            impact = triage_impact(run.fault.impact if run is not None else None, alert_count)
            found = self._severities[key] = self.scenario.triage.routed(alert, impact)
        return found

    def _deliver(
        self,
        rule: str,
        labels: dict[str, str],
        fingerprint: str,
        fired_at: float,
        run: FaultRun | None,
        seed: int,
    ) -> None:
        """Deliver an alert of ``run`` (None: noise); ``seed`` is the overflow seed of the
        incident it would open."""
        now = self.env.now
        alert = simulated_alert(rule, labels, now, fingerprint)
        grouping = self.grouper.offer(alert)
        if grouping.action == "duplicate":
            inc = self.open_incidents.get(grouping.key)
            if inc is not None and run is not None and run not in inc.faults:
                _attach(inc, run)
            return
        service = labels.get("service", "")
        severity, deciding_rule, route = self._triage(alert, run, grouping.alert_count)
        teams = self.scenario.teams
        routed = None
        if teams is not None and self.desk is not None:
            team, policy = teams.route(route, service)
            routed = Routed(team, policy, self.desk)
        self.logbook.write(
            0,
            "alert",
            service,
            "monitoring",
            {
                "alert": rule,
                "fingerprint": fingerprint,
                "fired_at": fired_at,
                "noise": run is None,
                "group": "/".join(grouping.key),
            },
        )
        if grouping.action == "opened":
            self._open(grouping.key, service, severity, deciding_rule, run, seed, routed)
        elif grouping.action == "joined":
            inc = self.open_incidents[grouping.key]
            if run is not None:
                _attach(inc, run)
            before = inc.core.severity
            after = inc.core.set_severity(severity, t=now, actor=AUTOMATION, by="automation")
            if after != before:
                inc.log(
                    "severity", AUTOMATION, {"from": before, "to": after, "rule": deciding_rule}
                )

    def _open(
        self,
        key: tuple[str, ...],
        service: str,
        severity: Any,
        rule: str | None,
        run: FaultRun | None,
        seed: int,
        routed: Routed | None = None,
    ) -> None:
        self.incident_count += 1
        number = self.incident_count
        scenario, now = self.scenario, self.env.now
        # A noise alert's incident has no prepared uniforms: whether one opens depends
        # on the strategy (an open incident of the same group absorbs the alert), so it
        # draws everything from the stream its alert's seed starts.
        uniforms = run.uniforms if run is not None else ()
        inc = IncidentRun(
            scenario,
            self.oncall,
            self.logbook,
            number,
            service,
            key,
            Incident(str(number), now, severity),
            IncidentNumbers(uniforms, seed, scenario.step_block_width),
            run is None,
        )
        self.open_incidents[key] = inc
        inc.route = routed
        inc.log(
            "incident_open",
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
            _attach(inc, run)
            if run.ended is not None:
                # The alert fired while the fault was active but reached people after it
                # had already ended: user impact ended at run.ended, before detection.
                run.incident = inc
                inc.faults.append(run)
                inc.core.mark_mitigated(now, "system")
                inc.log("mitigated", "system", {"by": "self_heal", "impact_ended": run.ended})
        inc.process = self.env.process(self.handling.process(inc))

    def _closed(self, inc: IncidentRun) -> None:
        self.grouper.close(inc.key)
        self.open_incidents.pop(inc.key, None)


def _attach(inc: IncidentRun, run: FaultRun) -> None:
    if run.incident is None and run.ended is None:
        run.incident = inc
        inc.faults.append(run)
        if inc.noise:
            inc.noise = False  # a real fault showed up under a noise incident
