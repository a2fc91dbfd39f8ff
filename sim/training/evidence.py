"""What the world shows of itself: evidence texts, recent changes and service health.

Texts come from ``evidence.yaml`` (per fault kind) plus the scenario's
``training.evidence`` (per fault) and ``training.red_herrings``. Everything here is
read from the event log and the scenario, never from engine state.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from sim.eventlog import Event
from sim.spec.fault_kinds import FAULT_KINDS
from sim.spec.scenario import ScenarioSpec
from sim.spec.training import Evidence, TrainingSpec

__all__ = [
    "SIGNAL_LABELS",
    "ActiveFault",
    "EvidenceBook",
    "active_faults",
    "kind_texts",
    "service_signals",
]

#: The four signals as the trainee reads them (names chosen so that no fault kind shows).
SIGNAL_LABELS = {
    "availability": "availability",
    "error_rate": "error ratio",
    "latency_ms": "p99 ms",
    "saturation": "utilisation",
}
# What a service's logs say while a fault elsewhere reaches it through the graph.
_REACHED_LOG = "{service}: calls to {target} failing or timing out (pool wait > 5 s)"
# Signals of a service a fault elsewhere reaches through its graph, by health.
_REACHED = {
    "down": {"availability": 0.0, "error_rate": 1.0},
    "degraded": {"error_rate": 0.2, "latency_ms": 1500.0},
}


@functools.cache
def kind_texts() -> dict[str, Evidence]:
    """The evidence of each fault kind, in the order of the kinds' catalogue
    (``sim.spec.fault_kinds``), which it must match kind for kind."""
    raw = yaml.safe_load(resources.files(__package__).joinpath("evidence.yaml").read_text())
    if tuple(raw) != FAULT_KINDS:
        missing = sorted(set(FAULT_KINDS) - set(raw))
        unknown = sorted(set(raw) - set(FAULT_KINDS))
        raise ValueError(
            "sim/training/evidence.yaml must list the fault kinds of sim.spec.fault_kinds, "
            f"in their order (missing: {missing}, unknown: {unknown})"
        )
    return {kind: Evidence.model_validate(texts) for kind, texts in raw.items()}


@dataclass(frozen=True, slots=True)
class ActiveFault:
    """A fault occurrence seen in the log: its name, kind, target and when it was on."""

    name: str
    kind: str
    target: str
    start: float
    end: float  # inf while it goes on


def active_faults(events: Sequence[Event]) -> list[ActiveFault]:
    """Every fault occurrence so far, in order of onset."""
    found: dict[tuple[str, int], ActiveFault] = {}
    for e in events:
        if e.kind == "fault_start":
            d = e.details
            found[d["fault"], d["occurrence"]] = ActiveFault(
                d["fault"], d["fault_kind"], e.service, e.t, float("inf")
            )
        elif e.kind == "fault_end":
            key = (e.details["fault"], e.details["occurrence"])
            f = found[key]
            found[key] = ActiveFault(f.name, f.kind, f.target, f.start, e.t)
    return list(found.values())


class EvidenceBook:
    """The evidence texts of one scenario."""

    def __init__(self, spec: ScenarioSpec) -> None:
        self.spec = spec
        self.training = spec.training or TrainingSpec()
        self.kinds = kind_texts()

    def _texts(self, fault: ActiveFault) -> Evidence:
        base = self.kinds.get(fault.kind, Evidence())
        extra = self.training.evidence.get(fault.name, Evidence())
        return Evidence(logs=[*base.logs, *extra.logs], changes=[*base.changes, *extra.changes])

    def logs(
        self,
        service: str,
        faults: Sequence[ActiveFault],
        now: float,
        reached: Callable[[str], Collection[str]],
    ) -> list[str]:
        """Log excerpts of ``service`` now: its active faults', what it sees of faults
        elsewhere that reach it (``reached(fault)``: the services a fault reaches), and
        any red herring's."""
        lines = []
        for f in faults:
            if not f.start <= now < f.end:
                continue
            if f.target == service:
                lines += [text.format(service=service) for text in self._texts(f).logs]
            elif service in reached(f.name):
                lines.append(_REACHED_LOG.format(service=service, target=f.target))
        lines += [
            h.log
            for h in self.training.red_herrings
            if h.log is not None and h.service == service and h.at <= now
        ]
        return lines or [f"{service}: nothing unusual in the last 15 minutes"]

    def changes(
        self, faults: Sequence[ActiveFault], now: float, clock: Callable[[float], str]
    ) -> list[str]:
        """Deploys and configuration changes so far, oldest first, with their times."""
        found = [
            (f.start, text.format(service=f.target))
            for f in faults
            if f.start <= now
            for text in self._texts(f).changes
        ]
        found += [
            (h.at, h.change)
            for h in self.training.red_herrings
            if h.change is not None and h.at <= now
        ]
        found.sort(key=lambda item: item[0])
        return [f"{clock(t)}  {text}" for t, text in found] or [
            "no deploys or configuration changes since the shift started"
        ]


def service_signals(
    spec: ScenarioSpec,
    healthy: dict[str, float],
    pictures: Callable[[str], Any],
    faults: Sequence[ActiveFault],
    at: float,
) -> dict[str, tuple[str, dict[str, float]]]:
    """Per service: (``ok``/``degraded``/``down``, the four signals) at minute ``at``.

    ``pictures(name)`` is the engine's ``FaultPicture`` of a fault definition: its
    target's signals and the health of every service it reaches.
    """
    rank = {"ok": 0, "degraded": 1, "down": 2}
    result = {name: ("ok", dict(healthy)) for name in spec.services}
    for f in faults:
        if not f.start <= at < f.end:
            continue
        picture = pictures(f.name)
        for service, health in picture.health:
            state, signals = result[service]
            effect = picture.signals if service == picture.target else _REACHED[health]
            for key, value in effect.items():
                worse = min if key == "availability" else max
                signals[key] = worse(signals[key], value)
            if rank[health] > rank[state]:
                state = health
            result[service] = (state, signals)
    return result
