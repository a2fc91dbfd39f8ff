"""Services, their dependency graph, and what a fault does to users and signals.

Impact is computed per fault, in isolation, once per scenario: a fault on ``db`` that
takes it down makes hard dependents down and soft dependents degraded, transitively;
``affected_users_pct`` sums the traffic shares of impacted user-facing services
(degraded ones weighted by their ``degraded_impact``), capped at 100. Overlapping
faults are rare at realistic rates, and a per-fault impact keeps cost attribution to
incidents unambiguous — that is why no live, combined health state is kept.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from sim.response.triage import Impact as TriageImpact
from sim.spec.fault_kinds import BASELINE_SIGNALS, fault_signals
from sim.spec.scenario import ScenarioSpec

__all__ = ["BASELINE_SIGNALS", "Impact", "Topology", "fault_signals", "triage_impact"]

_RANK = {"healthy": 0, "degraded": 1, "down": 2}


@dataclass(frozen=True, slots=True)
class Impact:
    affected_users_pct: float
    cost_per_min: float
    tier: int
    services_impacted: int
    health: tuple[tuple[str, str], ...]  # (service, degraded|down), sorted


def triage_impact(impact: Impact | None, alert_count: int) -> TriageImpact:
    """What triage knows of an incident's impact: its fault's (None: a noise alert,
    no impact) and how many alerts it has so far."""
    if impact is None:
        return TriageImpact(tier=4, alert_count=alert_count)
    return TriageImpact(
        affected_users_pct=impact.affected_users_pct,
        revenue_per_min=impact.cost_per_min,
        tier=impact.tier,
        services_impacted=impact.services_impacted,
        alert_count=alert_count,
    )


class Topology:
    """The service graph of one scenario (reverse edges for propagation)."""

    def __init__(self, spec: ScenarioSpec) -> None:
        self.spec = spec
        self.dependents: dict[str, list[tuple[str, str]]] = {name: [] for name in spec.services}
        for name, svc in spec.services.items():
            for dep, edge in svc.depends_on.items():
                self.dependents[dep].append((name, edge))
        self._cache: dict[tuple[str, str], Impact] = {}

    def impact(self, service: str, effect: str) -> Impact:
        key = (service, effect)
        if key not in self._cache:
            self._cache[key] = self._propagate(service, effect)
        return self._cache[key]

    def _propagate(self, service: str, effect: str) -> Impact:
        health = {service: effect}
        todo = deque([service])
        while todo:
            node = todo.popleft()
            state = health[node]
            for dependent, edge in self.dependents[node]:
                # Hard edges pass the state on; soft edges soften it (down -> degraded,
                # degraded -> no effect).
                passed = state if edge == "hard" else ("degraded" if state == "down" else None)
                if passed is None:
                    continue
                if _RANK[passed] > _RANK[health.get(dependent, "healthy")]:
                    health[dependent] = passed
                    todo.append(dependent)
        users = cost = 0.0
        tier = 4
        for name, state in health.items():
            svc = self.spec.services[name]
            weight = 1.0 if state == "down" else svc.degraded_impact
            users += svc.traffic_share * weight
            cost += svc.cost_per_minute * weight
            tier = min(tier, svc.tier)
        return Impact(
            affected_users_pct=min(100.0, 100.0 * users),
            cost_per_min=cost,
            tier=tier,
            services_impacted=len(health),
            health=tuple(sorted(health.items())),
        )
