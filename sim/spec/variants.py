"""What-if variants of a scenario: the knobs sweeps and the dashboard turn.

A variant is made by changing the scenario's *data* and validating it again, so every
check still applies and the result is a fresh frozen object (with its own digest).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .scenario import ScenarioSpec
from .workload import work_problem

__all__ = ["KNOBS", "MINUTE_KNOBS", "vary"]

#: Knob name -> what it changes. Strategy knobs apply to every strategy.
KNOBS: dict[str, str] = {
    "automation_coverage": "share of automatable steps run by automation (0..1), all strategies",
    "assist": "diagnosis assistance (0..1), all strategies",
    "auto_triage": "automated triage on/off (true/false), all strategies",
    "auto_remediation": "alerts start runbooks with no human (true/false), all strategies",
    "responders": "total number of responders (the first roster entry grows or shrinks)",
    "ack_scale": "multiply acknowledgement times (e.g. 0.5 = twice as fast)",
    "detection_delay": "fixed detection delay in minutes for every alert rule",
    "wrong_runbook_probability": "chance that diagnosis picks a runbook that does not fit",
    "horizon": "simulated minutes",
}

#: Knobs whose values are minutes (a sweep also takes durations such as "7d" for them).
MINUTE_KNOBS = frozenset({"horizon", "detection_delay"})

_STRATEGY_KNOBS = ("automation_coverage", "assist", "auto_triage", "auto_remediation")


def _scale(dist: dict[str, Any], factor: float) -> dict[str, Any]:
    scaled = dict(dist)
    for key in ("value", "mean", "median", "p90", "low", "high", "mode", "scale"):
        if key in scaled and isinstance(scaled[key], int | float):
            scaled[key] = scaled[key] * factor
    if "values" in scaled:
        scaled["values"] = [v * factor for v in scaled["values"]]
    return scaled


def _resize_roster(responders: dict[str, Any], total: int) -> None:
    """Grow the first roster entry, or shrink from the last entry backwards.

    An entry that shrinks to nobody leaves the roster, and so do escalation levels that
    paged its role (the escalation then skips them, as a real rota would).
    """
    if total < 1:
        raise ValueError(f"responders must be at least 1, got {total}")
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


def vary(spec: ScenarioSpec, changes: Mapping[str, Any]) -> ScenarioSpec:
    """A copy of ``spec`` with the knobs in ``changes`` set (see ``KNOBS``).

    Raises KeyError for an unknown knob, pydantic's ValidationError for a bad value and
    ValueError for a variant over the limits of ``sim.spec.limits`` (``horizon=1e12``).
    """
    data = spec.model_dump(by_alias=True, exclude_defaults=False)
    for knob, value in changes.items():
        if knob in _STRATEGY_KNOBS:
            for strategy in data["strategies"].values():
                strategy[knob] = value
        elif knob == "responders":
            _resize_roster(data["responders"], int(value))
        elif knob == "ack_scale":
            data["responders"]["ack_time"] = _scale(data["responders"]["ack_time"], float(value))
        elif knob == "detection_delay":
            for rule in data["alert_rules"].values():
                rule["detection_delay"] = {"dist": "fixed", "value": float(value)}
        elif knob == "wrong_runbook_probability":
            data["responders"]["wrong_runbook_probability"] = float(value)
        elif knob == "horizon":
            data["horizon"] = float(value)
        else:
            raise KeyError(f"unknown knob {knob!r} (known: {', '.join(KNOBS)})")
    variant = ScenarioSpec.model_validate(data)
    problem = work_problem(variant)
    if problem is not None:
        raise ValueError(problem)
    return variant
