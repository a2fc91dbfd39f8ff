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

from sim.spec.scenario import ScenarioSpec, Signal

__all__ = ["BASELINE_SIGNALS", "KIND_DEFAULTS", "Impact", "Topology", "fault_signals"]

#: Signals of a healthy service.
BASELINE_SIGNALS: dict[str, float] = {
    "availability": 1.0,
    "error_rate": 0.001,
    "latency_ms": 120.0,
    "saturation": 0.4,
}

#: Per fault kind: default effect on the target and the signals it produces.
KIND_DEFAULTS: dict[str, tuple[str, dict[str, float]]] = {
    "crash": ("down", {"availability": 0.0, "error_rate": 1.0}),
    "latency": ("degraded", {"latency_ms": 3000.0}),
    "error_rate": ("degraded", {"error_rate": 0.25}),
    "saturation": ("degraded", {"saturation": 0.98, "latency_ms": 1500.0}),
    "dependency": ("degraded", {"error_rate": 0.3, "latency_ms": 800.0}),
    "bad_deploy": ("degraded", {"error_rate": 0.4}),
    "config_error": ("degraded", {"error_rate": 0.5}),
    "resource_exhaustion": ("down", {"saturation": 1.0, "availability": 0.5}),
    "network_partition": ("down", {"availability": 0.2, "error_rate": 0.8}),
    "certificate_expiry": ("down", {"availability": 0.0, "error_rate": 1.0}),
    "data_corruption": ("degraded", {"error_rate": 0.05}),
}

_RANK = {"healthy": 0, "degraded": 1, "down": 2}


def fault_signals(kind: str, overrides: dict[Signal, float]) -> dict[str, float]:
    """Signals of a service while a fault of ``kind`` is active on it."""
    signals = dict(BASELINE_SIGNALS)
    signals.update(KIND_DEFAULTS[kind][1])
    signals.update({str(name): value for name, value in overrides.items()})
    return signals


@dataclass(frozen=True, slots=True)
class Impact:
    affected_users_pct: float
    cost_per_min: float
    tier: int
    services_impacted: int
    health: tuple[tuple[str, str], ...]  # (service, degraded|down), sorted


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
