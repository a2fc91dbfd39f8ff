"""The knobs: every what-if setting a sweep, the CLI's ``--param`` and the dashboard
turn, defined once — name, type, unit, description, how it applies to a scenario, and
its value as a scenario is written.

A knob applies to a scenario's *data* (``model_dump``); ``variants.vary`` validates the
result again, so every check of the spec still holds for a variant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from .scenario import ScenarioSpec

__all__ = ["KNOBS", "Knob", "KnobType"]

#: ``share``: 0..1; ``minutes``: a duration (a sweep also takes "7d").
KnobType = Literal["share", "bool", "int", "float", "minutes"]
Data = dict[str, Any]


@dataclass(frozen=True)
class Knob:
    """One knob: ``apply(data, value)`` sets it in a scenario's data; ``written(spec,
    strategy)`` is its value as the scenario is written (None: no single value)."""

    name: str
    type: KnobType
    unit: str
    description: str
    apply: Callable[[Data, Any], None]
    written: Callable[[ScenarioSpec, str], Any]
    label: str  # its name for people: "Automation coverage"
    #: (low, high, step) a what-if control offers for a scenario, in the knob's own
    #: units (a share from 0 to 1); None for on/off knobs and knobs without a control.
    bounds: Callable[[ScenarioSpec], tuple[float, float, float]] | None = None


def _every_strategy(field: str) -> Callable[[Data, Any], None]:
    def apply(data: Data, value: Any) -> None:
        for strategy in data["strategies"].values():
            strategy[field] = value

    return apply


def _of_strategy(field: str) -> Callable[[ScenarioSpec, str], Any]:
    return lambda spec, strategy: getattr(spec.strategies[strategy], field)


def _scale(dist: Data, factor: float) -> Data:
    scaled = dict(dist)
    for key in ("value", "mean", "median", "p90", "low", "high", "mode", "scale"):
        if key in scaled and isinstance(scaled[key], int | float):
            scaled[key] = scaled[key] * factor
    if "values" in scaled:
        scaled["values"] = [v * factor for v in scaled["values"]]
    return scaled


def _resize_roster(data: Data, total: Any) -> None:
    """Grow the first roster entry, or shrink from the last entry backwards.

    An entry that shrinks to nobody leaves the roster, and so do escalation levels that
    paged its role (the escalation then skips them, as a real rota would).
    """
    total = int(total)
    if total < 1:
        raise ValueError(f"responders must be at least 1, got {total}")
    responders = data["responders"]
    roster = responders["roster"]
    current = sum(entry["count"] for entry in roster)
    if total > current:
        roster[0]["count"] += total - current
        roster[0]["name"] = None
        return
    excess = current - total
    for entry in reversed(roster):
        cut = min(excess, entry["count"] - (1 if entry is roster[0] else 0))
        entry["count"] -= cut
        excess -= cut
        if entry["count"] > 1:
            entry["name"] = None
    responders["roster"] = [entry for entry in roster if entry["count"] > 0]
    roles = {entry["role"] for entry in responders["roster"]}
    escalation = responders.get("escalation")
    if escalation is not None:
        levels = [lvl for lvl in escalation["levels"] if lvl["role"] in roles]
        responders["escalation"] = {**escalation, "levels": levels} if levels else None


def _roster_bounds(spec: ScenarioSpec) -> tuple[float, float, float]:
    """The first roster entry grows or shrinks (``_resize_roster``), the others stay: at
    least one of it."""
    others = sum(entry.count for entry in spec.responders.roster[1:])
    return others + 1, max(others + 12, spec.responders.size + 4), 1


def _fixed(
    low: float, high: float, step: float
) -> Callable[[ScenarioSpec], tuple[float, float, float]]:
    return lambda _spec: (low, high, step)


def _ack_scale(data: Data, value: Any) -> None:
    data["responders"]["ack_time"] = _scale(data["responders"]["ack_time"], float(value))


def _detection_delay(data: Data, value: Any) -> None:
    for rule in data["alert_rules"].values():
        rule["detection_delay"] = {"dist": "fixed", "value": float(value)}


def _wrong_runbook(data: Data, value: Any) -> None:
    data["responders"]["wrong_runbook_probability"] = float(value)


def _horizon(data: Data, value: Any) -> None:
    data["horizon"] = float(value)


#: Every knob by name. Strategy knobs apply to every strategy.
KNOBS: Mapping[str, Knob] = MappingProxyType(
    {
        k.name: k
        for k in (
            Knob(
                "automation_coverage",
                "share",
                "share of steps",
                "share of automatable steps run by automation (0..1), all strategies",
                _every_strategy("automation_coverage"),
                _of_strategy("automation_coverage"),
                "Automation coverage",
                _fixed(0.0, 1.0, 0.01),
            ),
            Knob(
                "assist",
                "share",
                "share",
                "diagnosis assistance (0..1), all strategies",
                _every_strategy("assist"),
                _of_strategy("assist"),
                "Diagnosis assistance",
                _fixed(0.0, 1.0, 0.01),
            ),
            Knob(
                "auto_triage",
                "bool",
                "on/off",
                "automated triage on/off (true/false), all strategies",
                _every_strategy("auto_triage"),
                _of_strategy("auto_triage"),
                "Auto triage",
            ),
            Knob(
                "auto_remediation",
                "bool",
                "on/off",
                "alerts start runbooks with no human (true/false), all strategies",
                _every_strategy("auto_remediation"),
                _of_strategy("auto_remediation"),
                "Auto remediation",
            ),
            Knob(
                "responders",
                "int",
                "people on the roster",
                "total number of responders (the first roster entry grows or shrinks)",
                _resize_roster,
                lambda spec, _strategy: spec.responders.size,
                "Responders",
                _roster_bounds,
            ),
            Knob(
                "ack_scale",
                "float",
                "x as written",
                "multiply acknowledgement times (e.g. 0.5 = twice as fast)",
                _ack_scale,
                lambda _spec, _strategy: 1.0,
                "Acknowledgement time",
                _fixed(0.25, 3.0, 0.25),
            ),
            Knob(
                "detection_delay",
                "minutes",
                "minutes",
                "fixed detection delay in minutes for every alert rule",
                _detection_delay,
                lambda _spec, _strategy: None,  # each rule's own delay
                "Fixed detection delay",
                _fixed(0, 30, 1),
            ),
            Knob(
                "wrong_runbook_probability",
                "share",
                "probability",
                "chance that diagnosis picks a runbook that does not fit",
                _wrong_runbook,
                lambda spec, _strategy: spec.responders.wrong_runbook_probability,
                "Wrong-runbook probability",
                _fixed(0.0, 1.0, 0.01),
            ),
            Knob(
                "horizon",
                "minutes",
                "minutes",
                "simulated minutes",
                _horizon,
                lambda spec, _strategy: spec.horizon,
                "Horizon",
            ),
        )
    }
)
