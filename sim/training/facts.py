"""A trainee's incidents as the event log tells them: the facts scoring and the
postmortem are computed from (nothing else is read)."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.eventlog import Event

__all__ = ["Action", "IncidentFacts", "trainee_incidents"]


@dataclass(frozen=True, slots=True)
class Action:
    t: float
    command: str
    arg: str
    text: str
    prompt: str
    step: str


@dataclass(slots=True)
class IncidentFacts:
    """One incident the trainee faced."""

    number: int
    service: str
    noise: bool
    fault: str  # "" for a false positive
    occurrence: int
    kind: str
    onset: float
    detected: float
    expected_severity: str  # what the triage rules said when the trainee triaged
    rule: str  # the triage rule that decided it
    acknowledged: float = math.nan
    mitigated: float = math.nan
    closed: float = math.nan
    severity: str = ""  # what the trainee set
    runbooks: list[tuple[float, str, bool]] = field(default_factory=list)  # (t, id, fits)
    step_errors: list[tuple[float, str]] = field(default_factory=list)  # (t, step)
    steps: list[tuple[float, str, bool, str]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    transitions: list[tuple[float, str, str]] = field(default_factory=list)
    reached: bool = True  # False: it waited for the trainee until the session ended

    @property
    def ttr(self) -> float:
        return self.mitigated - self.onset

    def said(self, command: str) -> list[Action]:
        return [a for a in self.actions if a.command == command]


def trainee_incidents(
    events: Sequence[Event], trainee: str, faced: Collection[str] | None = None
) -> list[IncidentFacts]:
    """The incidents the trainee answered at least one prompt of, and the real incidents
    of ``faced`` faults (None: every fault) that nobody else took and that never reached
    the trainee before the end (``reached`` False), in order of opening."""
    faults: dict[tuple[str, int], dict[str, Any]] = {}
    found: dict[int, IncidentFacts] = {}
    severity: dict[int, tuple[str, str]] = {}  # the rules' current (severity, rule)
    for e in events:
        d = e.details
        if e.kind == "fault_start":
            faults[d["fault"], d["occurrence"]] = d
        elif e.kind == "incident_open":
            fault = faults.get((d["fault"], d["occurrence"])) if d["fault"] else None
            found[e.incident] = IncidentFacts(
                e.incident,
                e.service,
                d["noise"],
                d["fault"] or "",
                d["occurrence"] or 0,
                fault["fault_kind"] if fault else "",
                d["onset"] if d["onset"] is not None else math.nan,
                e.t,
                d["severity"],
                d["rule"] or "default",
            )
            severity[e.incident] = (d["severity"], d["rule"] or "default")
        elif e.incident in found:
            _record(found[e.incident], e, trainee, severity)
    taken = {e.incident for e in events if e.kind == "assign" and e.actor != trainee}
    result = []
    for f in found.values():
        if any(a.prompt != "end" for a in f.actions):
            result.append(f)
        elif not f.noise and f.number not in taken and (faced is None or f.fault in faced):
            f.reached = False
            result.append(f)
    return result


def _record(
    inc: IncidentFacts, e: Event, trainee: str, severity: dict[int, tuple[str, str]]
) -> None:
    d = e.details
    if e.kind == "severity" and e.actor != trainee:
        severity[inc.number] = (d["to"], d["rule"] or severity[inc.number][1])
    elif e.kind == "action" and e.actor == trainee:
        action = Action(e.t, d["command"], d["arg"], d["text"], d["prompt"], d["step"])
        inc.actions.append(action)
        if action.command == "severity" and action.prompt == "triage":
            inc.severity = action.arg
            inc.expected_severity, inc.rule = severity[inc.number]
    elif e.kind == "transition":
        inc.transitions.append((e.t, d["to"], d["reason"]))
        if d["to"] == "triage" and math.isnan(inc.acknowledged):
            inc.acknowledged = e.t
        elif d["to"] == "closed":
            inc.closed = e.t
    elif e.kind == "mitigated":
        inc.mitigated = d.get("impact_ended", e.t)
    elif e.kind == "runbook_start" and e.actor == trainee:
        inc.runbooks.append((e.t, d["runbook"], d["fits"]))
    elif e.kind == "step" and e.actor == trainee:
        inc.steps.append((e.t, d["step"], d["ok"], d["failure"] or ""))
    elif e.kind == "error" and e.actor == trainee and d["what"] == "step_error":
        inc.step_errors.append((e.t, d["step"]))
