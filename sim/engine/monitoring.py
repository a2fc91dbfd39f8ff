"""Monitoring: when does an alert rule fire for a fault, and noise alerts.

Signals are piecewise constant in the simulation (they change only when a fault starts
or ends), so evaluating every rule every ``interval`` would waste millions of events
to learn what one division tells: a rule first sees a breach at the next evaluation
tick after the change, fires once it has been pending for ``for`` (Prometheus
semantics: fire at the first tick where ``tick - active_since >= for``), and the page
reaches people ``detection_delay`` later — provided the fault is still active at the
firing tick. ``fire_time`` computes exactly what tick-by-tick evaluation would.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from sim.spec.fault_kinds import fault_signals
from sim.spec.scenario import AlertRuleSpec, ScenarioSpec

from .sampling import Sampler, sampler

__all__ = ["NoiseSource", "Watch", "fire_time", "noise_sources", "watches_for_faults"]

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


def fire_time(onset: float, interval: float, pending: float) -> float:
    """The evaluation tick at which a rule whose condition became true at ``onset`` fires."""
    first = math.ceil(onset / interval - 1e-9) * interval
    # The tolerance above treats an onset a hair after a tick as on it; the rule then
    # fires at the onset itself, never before it (a negative delay for the engine).
    first = max(first, onset)
    return first + math.ceil(pending / interval - 1e-9) * interval


@dataclass(frozen=True, slots=True)
class Watch:
    """An alert rule that a fault's signals breach."""

    rule: str
    labels: tuple[tuple[str, str], ...]
    interval: float
    pending: float
    delay: Sampler
    # Per alert, the engine needs the labels as a mapping and the alert's fingerprint:
    # both are fixed per watch, so they are built here once (never mutated).
    label_map: dict[str, str] = field(init=False, compare=False, repr=False)
    fingerprint: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        _freeze_extras(self, dict(self.labels), "")


def _freeze_extras(obj: Watch | NoiseSource, label_map: dict[str, str], suffix: str) -> None:
    # A noise alert's fingerprint differs from a real one's on the same rule and service,
    # so deduplication never merges a false positive into a real fault's alert.
    object.__setattr__(obj, "label_map", label_map)
    object.__setattr__(obj, "fingerprint", f"{obj.rule}/{label_map.get('service', '')}{suffix}")


def _breaches(rule: AlertRuleSpec, signals: dict[str, float]) -> bool:
    return _OPS[rule.op](signals[rule.signal], rule.threshold)


def _labels(
    name: str, rule: AlertRuleSpec, service: str, spec: ScenarioSpec
) -> tuple[tuple[str, str], ...]:
    svc = spec.services[service]
    labels = {
        "alertname": name,
        "service": service,
        "signal": rule.signal,
        "tier": str(svc.tier),
    }
    if svc.team:
        labels["team"] = svc.team
    labels.update(rule.labels)
    return tuple(sorted(labels.items()))


def watches_for_faults(spec: ScenarioSpec) -> dict[str, tuple[Watch, ...]]:
    """For each fault definition, the alert rules its signals breach (rule order)."""
    result: dict[str, tuple[Watch, ...]] = {}
    for fname, fault in spec.faults.items():
        signals = fault_signals(fault.kind, fault.signals)
        found = []
        for rname, rule in spec.alert_rules.items():
            if rule.service not in (None, fault.target) or not _breaches(rule, signals):
                continue
            found.append(
                Watch(
                    rule=rname,
                    labels=_labels(rname, rule, fault.target, spec),
                    interval=rule.interval,
                    pending=rule.for_,
                    delay=sampler(rule.detection_delay),
                )
            )
        result[fname] = tuple(found)
    return result


@dataclass(frozen=True, slots=True)
class NoiseSource:
    """False-positive alerts of one rule on one service, ``per_minute`` on average."""

    rule: str
    service: str
    labels: tuple[tuple[str, str], ...]
    per_minute: float
    label_map: dict[str, str] = field(init=False, compare=False, repr=False)
    fingerprint: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        _freeze_extras(self, dict(self.labels), "/noise")


def noise_sources(spec: ScenarioSpec) -> list[NoiseSource]:
    sources = []
    for rname, rule in spec.alert_rules.items():
        if rule.noise_per_day <= 0:
            continue
        services = [rule.service] if rule.service is not None else list(spec.services)
        for service in services:
            sources.append(
                NoiseSource(
                    rule=rname,
                    service=service,
                    labels=_labels(rname, rule, service, spec),
                    per_minute=rule.noise_per_day / 1440.0,
                )
            )
    return sources
