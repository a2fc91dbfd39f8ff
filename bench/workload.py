"""The benchmark workload: one plain-data description, two models built from it.

``make_workload(services, days)`` draws (from a fixed seed) a system of ``services``
services with a random dependency DAG, one or two faults per service, three alert rules,
five runbooks and three responders. ``Workload.scenario()`` turns it into a validated
``ScenarioSpec`` for the engine; ``bench/bare_model.py`` reads the same dataclasses
directly. Keeping one source of numbers is what makes the two models comparable: same
fault rates, same detection, same step durations and failure probabilities.

The fault rates are scaled so that the *total* fault rate is ``incidents_per_day``
(default 5) whatever the number of services: cost per incident is then comparable
between 10 and 1,000 services.

Everything that both models need and that does not change during a run (which alert
rules a fault breaches, the severity of each alert, which runbooks fix a fault) is
precomputed here, the way the engine's ``compile_scenario`` precomputes it once per
scenario.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Literal

from sim.response import select_automated
from sim.spec import RunbookSpec, ScenarioSpec
from sim.spec.checks import check_scenario

__all__ = [
    "KIND_EFFECT",
    "KIND_SIGNALS",
    "Dist",
    "Fault",
    "Rule",
    "Runbook",
    "Service",
    "Step",
    "Workload",
    "make_workload",
]

STRATEGY = "semi"

# Signals of a service while a fault of each kind is active, written out in full so
# that neither model depends on engine defaults. Every kind breaches at least one rule.
_HEALTHY = {"availability": 1.0, "error_rate": 0.001, "latency_ms": 120.0, "saturation": 0.4}
KIND_SIGNALS: dict[str, dict[str, float]] = {
    "crash": {**_HEALTHY, "availability": 0.0, "error_rate": 1.0},
    "latency": {**_HEALTHY, "latency_ms": 3000.0},
    "error_rate": {**_HEALTHY, "error_rate": 0.25},
    "bad_deploy": {**_HEALTHY, "error_rate": 0.4, "latency_ms": 1800.0},
    "config_error": {**_HEALTHY, "error_rate": 0.5},
    "resource_exhaustion": {**_HEALTHY, "availability": 0.5, "saturation": 1.0},
    "dependency": {**_HEALTHY, "error_rate": 0.3, "latency_ms": 800.0},
    "network_partition": {**_HEALTHY, "availability": 0.2, "error_rate": 0.8},
}
KIND_EFFECT: dict[str, Literal["down", "degraded"]] = {
    "crash": "down",
    "latency": "degraded",
    "error_rate": "degraded",
    "bad_deploy": "degraded",
    "config_error": "degraded",
    "resource_exhaustion": "down",
    "dependency": "degraded",
    "network_partition": "down",
}
# Relative frequency of fault kinds (bad deploys and error bursts are the common pages).
_KIND_WEIGHTS = {
    "crash": 2,
    "latency": 3,
    "error_rate": 3,
    "bad_deploy": 4,
    "config_error": 2,
    "resource_exhaustion": 2,
    "dependency": 2,
    "network_partition": 1,
}
_TRAFFIC = (1.0, 0.6, 0.4, 0.2, 0.1)  # traffic shares of the (at most 5) user-facing services
_DEGRADED_IMPACT = 0.3  # the spec's default share of users hit while a service is degraded
_SEVERITIES = ("P0", "P1", "P2", "P3")


@dataclass(frozen=True, slots=True)
class Dist:
    """A duration distribution in minutes: fixed(a), exponential(mean a),
    lognormal(median a, p90 b) or uniform(a, b)."""

    kind: Literal["fixed", "exponential", "lognormal", "uniform"]
    a: float
    b: float = 0.0

    def spec(self) -> dict[str, Any]:
        """The spec's ``{dist: ...}`` mapping."""
        if self.kind == "fixed":
            return {"dist": "fixed", "value": self.a}
        if self.kind == "exponential":
            return {"dist": "exponential", "mean": self.a}
        if self.kind == "lognormal":
            return {"dist": "lognormal", "median": self.a, "p90": self.b}
        return {"dist": "uniform", "low": self.a, "high": self.b}


def _ln(median: float, p90: float) -> Dist:
    return Dist("lognormal", median, p90)


@dataclass(frozen=True, slots=True)
class Step:
    """One runbook step. ``auto`` is None for steps only a human can do."""

    id: str
    manual: Dist
    p_manual: float
    auto: Dist | None = None
    p_auto: float = 0.0
    timeout: float | None = None
    retries: int = 0
    on_failure: Literal["retry", "escalate"] = "escalate"
    approval: bool = False
    mitigates: bool = False

    def spec(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "action": f"do {self.id}",
            "automatable": self.auto is not None,
            "manual": {"duration": self.manual.spec(), "failure_probability": self.p_manual},
            "retries": self.retries,
            "on_failure": self.on_failure,
            "requires_approval": self.approval,
            "mitigates": self.mitigates,
        }
        if self.auto is not None:
            d["automated"] = {"duration": self.auto.spec(), "failure_probability": self.p_auto}
        if self.timeout is not None:
            d["timeout"] = self.timeout
        return d


@dataclass(frozen=True, slots=True)
class Runbook:
    id: str
    fixes: tuple[str, ...]
    steps: tuple[Step, ...]

    def spec(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.id.replace("-", " "),
            "fixes": list(self.fixes),
            "steps": [s.spec() for s in self.steps],
        }


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    tier: int
    traffic_share: float
    cost_per_minute: float
    depends_on: tuple[tuple[str, Literal["hard", "soft"]], ...]


@dataclass(frozen=True, slots=True)
class Fault:
    name: str
    kind: str
    target: str
    tbf_mean: float  # minutes; exponential time between onsets (a Poisson process)


@dataclass(frozen=True, slots=True)
class Rule:
    """An alert rule watching every service (``service`` omitted in the spec)."""

    name: str
    signal: str
    op: Literal["<", ">"]
    threshold: float
    for_: float
    interval: float
    delay: Dist
    severity_label: Literal["critical", "warning"]

    def breached(self, signals: dict[str, float]) -> bool:
        value = signals[self.signal]
        return value < self.threshold if self.op == "<" else value > self.threshold


# Five runbooks of five steps. Durations and error rates are in the range of the shipped
# runbooks; each fault kind used by the workload is fixed by at least one of them.
_RUNBOOKS = (
    Runbook(
        "restart-service",
        ("crash", "resource_exhaustion", "error_rate"),
        (
            Step("gather-state", _ln(5, 15), 0.03, Dist("fixed", 1), 0.005, 15, 1, "retry"),
            Step("capture-logs", _ln(6, 20), 0.05, _ln(2, 4), 0.02, 20, 1, "retry"),
            Step("restart-pods", _ln(8, 25), 0.06, _ln(4, 9), 0.01, 30, 2, "retry", mitigates=True),
            Step("announce", _ln(3, 8), 0.02, None, 0.0, 15, 1, "retry"),
            Step("watch-recurrence", Dist("uniform", 10, 20), 0.03, timeout=30),
        ),
    ),
    Runbook(
        "rollback-deploy",
        ("bad_deploy", "error_rate", "latency"),
        (
            Step("identify-release", _ln(6, 20), 0.04, Dist("fixed", 1), 0.01, 20, 1, "retry"),
            Step("check-migrations", _ln(5, 15), 0.05, None, 0.0, 20, 1, "retry"),
            Step(
                "rollback",
                _ln(10, 30),
                0.07,
                _ln(5, 10),
                0.02,
                40,
                2,
                "retry",
                approval=True,
                mitigates=True,
            ),
            Step("verify-metrics", _ln(5, 12), 0.03, Dist("fixed", 2), 0.01, 20, 1, "retry"),
            Step("announce", _ln(3, 8), 0.02, None, 0.0, 15, 1, "retry"),
        ),
    ),
    Runbook(
        "scale-out",
        ("latency", "resource_exhaustion"),
        (
            Step("check-capacity", _ln(4, 12), 0.03, Dist("fixed", 1), 0.005, 15, 1, "retry"),
            Step("raise-limits", _ln(6, 18), 0.05, _ln(2, 5), 0.02, 20, 1, "retry"),
            Step(
                "scale-replicas", _ln(7, 20), 0.05, _ln(3, 6), 0.01, 30, 2, "retry", mitigates=True
            ),
            Step("watch-latency", Dist("uniform", 5, 15), 0.02, timeout=30),
            Step("announce", _ln(3, 8), 0.02, None, 0.0, 15, 1, "retry"),
        ),
    ),
    Runbook(
        "revert-config",
        ("config_error", "error_rate"),
        (
            Step("diff-config", _ln(5, 15), 0.04, Dist("fixed", 1), 0.01, 20, 1, "retry"),
            Step("find-change", _ln(6, 20), 0.05, None, 0.0, 20, 1, "retry"),
            Step(
                "revert",
                _ln(5, 15),
                0.06,
                _ln(2, 4),
                0.01,
                20,
                2,
                "retry",
                approval=True,
                mitigates=True,
            ),
            Step("verify-errors", _ln(4, 10), 0.03, Dist("fixed", 2), 0.01, 15, 1, "retry"),
            Step("announce", _ln(3, 8), 0.02, None, 0.0, 15, 1, "retry"),
        ),
    ),
    Runbook(
        "failover-dependency",
        ("dependency", "network_partition"),
        (
            Step("confirm-dependency", _ln(6, 20), 0.05, Dist("fixed", 2), 0.01, 20, 1, "retry"),
            Step("check-secondary", _ln(4, 12), 0.04, _ln(1, 3), 0.01, 15, 1, "retry"),
            Step(
                "switch-traffic", _ln(8, 25), 0.07, _ln(3, 6), 0.02, 30, 2, "retry", mitigates=True
            ),
            Step("verify-traffic", _ln(5, 12), 0.03, None, 0.0, 20, 1, "retry"),
            Step("open-vendor-ticket", _ln(5, 15), 0.02),
        ),
    ),
)

_RULES = (
    Rule("availability-low", "availability", "<", 0.99, 2, 1, _ln(0.5, 2), "critical"),
    Rule("error-rate-high", "error_rate", ">", 0.05, 2, 1, _ln(0.5, 2), "critical"),
    Rule("latency-high", "latency_ms", ">", 1500, 2, 1, _ln(0.5, 2), "warning"),
)

# Responder times (minutes), as in the shipped seed-benchmark scenario.
_ACK = _ln(4, 15)
_DIAGNOSIS = _ln(15, 60)
_APPROVAL = _ln(3, 12)
_EXPERT = _ln(120, 480)

# Inline triage: the first matching rule decides; no rule -> P3. ``severity_of`` below is
# the same table in plain Python, for the bare model.
_TRIAGE = {
    "precedence": "first_match",
    "group_by": ["service"],
    "rules": [
        {
            "name": "user-impact",
            "matchers": ['severity="critical"'],
            "when": ["affected_users_pct >= 25"],
            "severity": "P0",
        },
        {
            "name": "critical-tier-1",
            "matchers": ['severity="critical"'],
            "when": ["tier <= 1"],
            "severity": "P1",
        },
        {"name": "critical", "matchers": ['severity="critical"'], "severity": "P2"},
    ],
}


def severity_of(label: str, affected_users_pct: float, tier: int) -> str:
    """The severity the inline triage rules give (mirror of ``_TRIAGE``)."""
    if label != "critical":
        return "P3"
    if affected_users_pct >= 25:
        return "P0"
    return "P1" if tier <= 1 else "P2"


@dataclass(frozen=True)
class Workload:
    """Everything both models run on. Times are minutes."""

    name: str
    days: float
    services: tuple[Service, ...]
    faults: tuple[Fault, ...]
    rules: tuple[Rule, ...] = _RULES
    runbooks: tuple[Runbook, ...] = _RUNBOOKS
    # Responders: three people, escalation primary -> secondary -> manager, one loop.
    skills: tuple[float, ...] = (1.0, 1.0, 0.8)
    roles: tuple[str, ...] = ("primary", "secondary", "manager")
    escalation: tuple[float, ...] = (10.0, 10.0, 15.0)  # ack window of each level
    loops: int = 1
    ack: Dist = _ACK
    diagnosis: Dist = _DIAGNOSIS
    approval: Dist = _APPROVAL
    expert: Dist = _EXPERT
    wrong_runbook_p: float = 0.15
    max_attempts: int = 3
    night: tuple[int, int, float] = (22, 7, 1.5)  # start hour, end hour, slowdown
    start_hour: int = 9
    coverage: float = 0.4  # automation_coverage of the strategy (auto_triage is on)
    # A memo of ``impact`` (contents may change; the workload itself stays frozen).
    _impacts: dict[tuple[str, str], tuple[float, int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def horizon(self) -> float:
        return self.days * 1440.0

    @property
    def expected_faults(self) -> float:
        """Mean number of fault onsets over the horizon (sum of the Poisson rates)."""
        return self.horizon * sum(1.0 / f.tbf_mean for f in self.faults)

    # -- precomputed facts, shared by both models ---------------------------------------

    def automated(self, runbook: Runbook) -> frozenset[str]:
        """Steps automation performs at ``coverage``.

        Asked of ``sim.response.select_automated`` itself rather than re-implemented:
        it is a once-per-scenario policy (which steps a team automated), not part of the
        simulated process, and copying it would let the two models drift apart.
        """
        return select_automated(RunbookSpec.model_validate(runbook.spec()), self.coverage)

    def fixes(self, fault: Fault) -> tuple[int, ...]:
        """Indices of the runbooks that fix ``fault`` (every runbook listing its kind)."""
        return tuple(i for i, rb in enumerate(self.runbooks) if fault.kind in rb.fixes)

    def impact(self, fault: Fault) -> tuple[float, int]:
        """(affected_users_pct, tier) of ``fault``: the engine's propagation rule — hard
        edges pass the state on, soft edges turn down into degraded and stop degraded."""
        key = (fault.target, KIND_EFFECT[fault.kind])
        if not self._impacts:
            self._build_impacts()
        return self._impacts[key]

    def _build_impacts(self) -> None:
        # Once per workload: the reverse graph, then one propagation per (target, effect).
        by_name = {s.name: s for s in self.services}
        dependents: dict[str, list[tuple[str, str]]] = {s.name: [] for s in self.services}
        for s in self.services:
            for dep, edge in s.depends_on:
                dependents[dep].append((s.name, edge))
        rank = {"healthy": 0, "degraded": 1, "down": 2}
        for f in self.faults:
            key = (f.target, KIND_EFFECT[f.kind])
            if key in self._impacts:
                continue
            health = {f.target: KIND_EFFECT[f.kind]}
            todo = [f.target]
            while todo:
                node = todo.pop()
                for dependent, edge in dependents[node]:
                    state = health[node]
                    passed = state if edge == "hard" else ("degraded" if state == "down" else None)
                    if passed is not None and rank[passed] > rank[health.get(dependent, "healthy")]:
                        health[dependent] = passed
                        todo.append(dependent)
            users = sum(
                by_name[n].traffic_share * (1.0 if st == "down" else _DEGRADED_IMPACT)
                for n, st in health.items()
            )
            tier = min(by_name[n].tier for n in health)
            self._impacts[key] = (min(100.0, 100.0 * users), tier)

    def watches(self, fault: Fault) -> tuple[tuple[Rule, int], ...]:
        """The rules that ``fault`` breaches, each with the severity rank of its alert."""
        signals = KIND_SIGNALS[fault.kind]
        users, tier = self.impact(fault)
        return tuple(
            (r, _SEVERITIES.index(severity_of(r.severity_label, users, tier)))
            for r in self.rules
            if r.breached(signals)
        )

    # -- the engine's view ----------------------------------------------------------------

    def scenario(self) -> ScenarioSpec:
        """The workload as a resolved ``ScenarioSpec`` (inline runbooks and triage),
        cross-checked like a loaded file; raises ValueError on any error finding."""
        start, end, factor = self.night
        spec = ScenarioSpec.model_validate(
            {
                "name": self.name,
                "horizon": self.horizon,
                "start_hour": self.start_hour,
                "runbooks": [rb.spec() for rb in self.runbooks],
                "triage": _TRIAGE,
                "services": {
                    s.name: {
                        "tier": s.tier,
                        "traffic_share": s.traffic_share,
                        "cost_per_minute": s.cost_per_minute,
                        "degraded_impact": _DEGRADED_IMPACT,
                        "depends_on": dict(s.depends_on),
                    }
                    for s in self.services
                },
                "faults": {
                    f.name: {
                        "kind": f.kind,
                        "target": f.target,
                        "effect": KIND_EFFECT[f.kind],
                        "tbf": Dist("exponential", f.tbf_mean).spec(),
                        "signals": KIND_SIGNALS[f.kind],
                    }
                    for f in self.faults
                },
                "alert_rules": {
                    r.name: {
                        "signal": r.signal,
                        "op": r.op,
                        "threshold": r.threshold,
                        "for": r.for_,
                        "interval": r.interval,
                        "detection_delay": r.delay.spec(),
                        "labels": {"severity": r.severity_label},
                    }
                    for r in self.rules
                },
                "responders": {
                    "roster": [
                        {"role": role, "count": 1, "skill": skill}
                        for role, skill in zip(self.roles, self.skills, strict=True)
                    ],
                    "escalation": {
                        "levels": [
                            {"role": role, "after": after}
                            for role, after in zip(self.roles, self.escalation, strict=True)
                        ],
                        "loops": self.loops,
                    },
                    "ack_time": self.ack.spec(),
                    "diagnosis_time": self.diagnosis.spec(),
                    "wrong_runbook_probability": self.wrong_runbook_p,
                    "approval_time": self.approval.spec(),
                    "expert_fix_time": self.expert.spec(),
                    "max_attempts": self.max_attempts,
                    "night": {"start_hour": start, "end_hour": end, "factor": factor},
                },
                "strategies": {
                    STRATEGY: {
                        "automation_coverage": self.coverage,
                        "auto_triage": True,
                        "auto_remediation": False,
                        "assist": 0.0,
                    }
                },
            }
        )
        errors = [f for f in check_scenario(spec) if f.severity == "error"]
        if errors:
            raise ValueError(
                "generated scenario is invalid: " + "; ".join(f.message for f in errors)
            )
        return spec


def make_workload(
    services: int, days: float, *, incidents_per_day: float = 5.0, seed: int = 2024
) -> Workload:
    """A seeded random system of ``services`` services simulated for ``days`` days.

    The first few services (at most five, about one in ten) are user-facing. Each
    service depends on up to three *later* services (so the graph is a DAG), half of
    the edges hard. Each service has one or two faults of distinct kinds; their mean
    times between failures are drawn with relative weights and scaled so that all
    faults together arrive at ``incidents_per_day``.
    """
    rng = random.Random(seed)
    names = [f"svc-{i:04d}" for i in range(services)]
    facing = max(1, min(len(_TRAFFIC), services // 10))
    svcs = []
    for i, name in enumerate(names):
        later = names[i + 1 : i + 1 + max(3, services // 4)]  # a window keeps layers shallow
        deps = rng.sample(later, min(len(later), rng.randint(0, 3)))
        svcs.append(
            Service(
                name=name,
                tier=1 if i < facing else rng.choice((1, 2, 2, 3, 3, 3)),
                traffic_share=_TRAFFIC[i] if i < facing else 0.0,
                cost_per_minute=100.0 * _TRAFFIC[i] if i < facing else 0.0,
                depends_on=tuple((d, "hard" if rng.random() < 0.5 else "soft") for d in deps),
            )
        )
    kinds, weights = list(_KIND_WEIGHTS), list(_KIND_WEIGHTS.values())
    drawn: list[tuple[str, str, str, float]] = []
    for name in names:
        count = 2 if rng.random() < 0.5 else 1
        chosen: list[str] = []
        while len(chosen) < count:
            kind = rng.choices(kinds, weights)[0]
            if kind not in chosen:
                chosen.append(kind)
        drawn.extend(
            (f"{name}-{kind.replace('_', '-')}", kind, name, rng.uniform(0.5, 1.5))
            for kind in chosen
        )
    # Rate of fault i is w_i / sum(w) * incidents_per_day: the total is incidents_per_day.
    total_weight = sum(w for *_, w in drawn)
    faults = tuple(
        Fault(fname, kind, target, 1440.0 * total_weight / (w * incidents_per_day))
        for fname, kind, target, w in drawn
    )
    return Workload(
        name=f"bench-{services}svc-{days:g}d", days=days, services=tuple(svcs), faults=faults
    )
