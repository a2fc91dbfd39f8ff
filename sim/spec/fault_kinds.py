"""The fault kinds: one catalogue of what each kind is and does unless a scenario says
otherwise.

A fault of a kind takes its target ``down`` or leaves it ``degraded`` (its default
*effect*, which a scenario's fault may override) and moves the target's signals from
``BASELINE_SIGNALS`` to the kind's default *signals* (which a fault may override one by
one). Scenarios name kinds in ``faults.<name>.kind``, runbooks in ``fixes``,
expectations in ``fixed_by``; the engine, the runbook drills of ``gameday test`` and
live game-day injections all read them from here. The evidence a trainee sees of each
kind (log excerpts, what changed) is prose and lives with training
(``sim/training/evidence.yaml``), which must list these kinds in this order: it is
checked against ``FAULT_KINDS`` when it is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, get_args

__all__ = [
    "BASELINE_SIGNALS",
    "CATALOGUE",
    "FAULT_KINDS",
    "Effect",
    "FaultKind",
    "FaultKindInfo",
    "fault_signals",
]

FaultKind = Literal[
    "crash",
    "latency",
    "error_rate",
    "saturation",
    "dependency",
    "bad_deploy",
    "config_error",
    "resource_exhaustion",
    "network_partition",
    "certificate_expiry",
    "data_corruption",
]
#: The kinds, in catalogue order.
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)

Effect = Literal["down", "degraded"]

#: Signals of a healthy service.
BASELINE_SIGNALS: Mapping[str, float] = MappingProxyType(
    {"availability": 1.0, "error_rate": 0.001, "latency_ms": 120.0, "saturation": 0.4}
)


@dataclass(frozen=True)
class FaultKindInfo:
    """A fault kind: its default effect on the target and the signals it produces."""

    name: str
    effect: Effect
    signals: Mapping[str, float]
    description: str


CATALOGUE: Mapping[str, FaultKindInfo] = MappingProxyType(
    {
        k.name: k
        for k in (
            FaultKindInfo(
                "crash", "down", {"availability": 0.0, "error_rate": 1.0}, "the process died"
            ),
            FaultKindInfo("latency", "degraded", {"latency_ms": 3000.0}, "responses are slow"),
            FaultKindInfo("error_rate", "degraded", {"error_rate": 0.25}, "requests fail"),
            FaultKindInfo(
                "saturation",
                "degraded",
                {"saturation": 0.98, "latency_ms": 1500.0},
                "a resource is full",
            ),
            FaultKindInfo(
                "dependency",
                "degraded",
                {"error_rate": 0.3, "latency_ms": 800.0},
                "something it calls misbehaves",
            ),
            FaultKindInfo("bad_deploy", "degraded", {"error_rate": 0.4}, "a release broke it"),
            FaultKindInfo(
                "config_error", "degraded", {"error_rate": 0.5}, "a configuration change broke it"
            ),
            FaultKindInfo(
                "resource_exhaustion",
                "down",
                {"saturation": 1.0, "availability": 0.5},
                "memory, disk or connections ran out",
            ),
            FaultKindInfo(
                "network_partition",
                "down",
                {"availability": 0.2, "error_rate": 0.8},
                "part of the network is unreachable",
            ),
            FaultKindInfo(
                "certificate_expiry",
                "down",
                {"availability": 0.0, "error_rate": 1.0},
                "a TLS certificate expired",
            ),
            FaultKindInfo(
                "data_corruption", "degraded", {"error_rate": 0.05}, "stored data is wrong"
            ),
        )
    }
)

if tuple(CATALOGUE) != FAULT_KINDS:  # pragma: no cover - a programming error
    raise AssertionError("the catalogue and FaultKind must list the same kinds, in order")


def fault_signals(kind: str, overrides: Mapping[Any, float]) -> dict[str, float]:
    """Signals of a service while a fault of ``kind`` is active on it."""
    signals = dict(BASELINE_SIGNALS)
    signals.update(CATALOGUE[kind].signals)
    signals.update({str(name): value for name, value in overrides.items()})
    return signals
