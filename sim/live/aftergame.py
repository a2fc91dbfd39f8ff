"""What the after-game report says, computed from the inputs and the event log alone.

The timeline merges the inputs (who gave what) with what happened in the world (fault
onsets, injected ones marked; pages; incidents opened, mitigated, resolved; runbooks
started). Each moment has its simulated clock time and its wall-clock time: an input
was given at a known wall second; a world event's wall time is interpolated between
the inputs around it (marked ``~``). Each incident is set against the manual, semi and
full strategies run with the simulated responders on the same scenario, injections and
seed: the same fault occurrences, matched by (fault, occurrence).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sim.engine import run_once
from sim.eventlog import Event
from sim.metrics import incident_rows
from sim.spec.clock import format_span

from .gameday import GameDay, Input
from .inject import with_injections
from .roles import FACILITATOR

__all__ = ["AfterGame", "IncidentLine", "Moment", "after_game"]

BASELINES = ("manual", "semi", "full")

#: World events the timeline shows, and how it says them.
_SHOWN = {
    "fault_start": "fault {fault} starts ({effect})",
    "page": "page to {role}",
    "incident_open": "incident opened, severity {severity}",
    "runbook_start": "runbook {runbook} started",
    "mitigated": "user impact over",
}


@dataclass(frozen=True, slots=True)
class Moment:
    """One line of the timeline."""

    minute: float
    clock: str  # the simulated clock: ``Mon 10:42``
    wall: str  # the wall clock: ``14:03:10`` (``~`` when interpolated)
    who: str
    role: str
    what: str
    injected: bool = False  # an injected fault's onset, or the inject input


@dataclass(frozen=True, slots=True)
class IncidentLine:
    """One incident: the team's TTD / TTA / TTR and each baseline's on the same fault."""

    incident: int
    service: str
    fault: str
    injected: bool
    team: dict[str, float]  # ttd, tta, ttr (minutes; NaN: did not happen)
    baselines: dict[str, dict[str, float]]  # strategy -> ttd, tta, ttr

    def span(self, strategy: str | None, what: str) -> str:
        value = self.team[what] if strategy is None else self.baselines[strategy][what]
        return format_span(value) if not math.isnan(value) else "—"


@dataclass(frozen=True, slots=True)
class AfterGame:
    title: str
    scenario: str
    seed: int
    seat: str
    players: tuple[tuple[str, str], ...]  # (name, role) in order of joining
    timeline: tuple[Moment, ...]
    incidents: tuple[IncidentLine, ...]
    notes: tuple[Moment, ...]
    messages: tuple[Moment, ...]
    action_items: tuple[Moment, ...]
    actions: tuple[Moment, ...]  # every input, with who gave it
    started: str
    ended: str
    strategies: tuple[str, ...]


def after_game(gameday: GameDay, title: str = "") -> AfterGame:
    spec, inputs = gameday.spec, gameday.inputs
    walls = _WallTimes(inputs)
    given = tuple(_input_moment(gameday, i, walls) for i in inputs)
    world = tuple(_event_moment(gameday, e, walls) for e in gameday.events if e.kind in _SHOWN)
    timeline = tuple(sorted(given + world, key=lambda m: m.minute))
    by_verb: dict[str, list[Moment]] = {}
    for given_input, moment in zip(inputs, given, strict=True):
        if given_input.role == FACILITATOR:
            by_verb.setdefault(given_input.text.split()[0], []).append(moment)
    strategies = tuple(s for s in BASELINES if s in spec.strategies) or tuple(spec.strategies)
    full_spec = with_injections(spec, gameday.injections)
    baseline_rows = {
        s: _by_occurrence(run_once(full_spec, s, gameday.seed).events) for s in strategies
    }
    lines = []
    for row in incident_rows(gameday.events):
        if row["noise"] or not row["fault"]:
            continue
        key = (row["fault"], _occurrence(gameday.events, row["incident"]))
        lines.append(
            IncidentLine(
                row["incident"],
                row["service"],
                row["fault"],
                row["fault"].startswith("inject-"),
                _times(row),
                {s: _times(baseline_rows[s].get(key)) for s in strategies},
            )
        )
    players = tuple((i.who, i.role) for i in inputs if i.role != FACILITATOR and i.text == "join")
    return AfterGame(
        title or f"Game day on {spec.name}",
        spec.name,
        gameday.seed,
        gameday.seat,
        players,
        timeline,
        tuple(lines),
        tuple(by_verb.get("note", [])),
        tuple(by_verb.get("message", [])),
        tuple(by_verb.get("action", [])),
        given,
        walls.text(inputs[0].wall) if inputs else "—",
        walls.text(inputs[-1].wall) if inputs else "—",
        strategies,
    )


def _times(row: dict[str, Any] | None) -> dict[str, float]:
    if row is None:
        return {"ttd": math.nan, "tta": math.nan, "ttr": math.nan}
    return {k: float(row[k]) for k in ("ttd", "tta", "ttr")}


def _occurrence(events: list[Event], incident: int) -> int:
    opened = next(e for e in events if e.kind == "incident_open" and e.incident == incident)
    return int(opened.details["occurrence"] or 0)


def _by_occurrence(events: list[Event]) -> dict[tuple[str, int], dict[str, Any]]:
    rows = {r["incident"]: r for r in incident_rows(events)}
    return {
        (e.details["fault"], e.details["occurrence"]): rows[e.incident]
        for e in events
        if e.kind == "incident_open" and e.details["fault"] and e.incident in rows
    }


class _WallTimes:
    """Wall-clock times of simulated minutes, interpolated between the inputs."""

    def __init__(self, inputs: list[Input]) -> None:
        known = [(i.t, i.wall) for i in inputs if i.wall]
        self.minutes = [t for t, _ in known]
        self.walls = [w for _, w in known]

    def text(self, wall: float) -> str:
        return datetime.fromtimestamp(wall, UTC).strftime("%H:%M:%S") if wall else "—"

    def at(self, minute: float) -> str:
        if not self.minutes:
            return "—"
        i = bisect.bisect_right(self.minutes, minute)
        if i == 0:
            return "~" + self.text(self.walls[0])
        if i == len(self.minutes):
            return "~" + self.text(self.walls[-1])
        (t0, w0), (t1, w1) = (
            (self.minutes[i - 1], self.walls[i - 1]),
            (
                self.minutes[i],
                self.walls[i],
            ),
        )
        share = (minute - t0) / (t1 - t0) if t1 > t0 else 0.0
        return "~" + self.text(w0 + share * (w1 - w0))


def _input_moment(gameday: GameDay, given: Input, walls: _WallTimes) -> Moment:
    return Moment(
        given.t,
        gameday.clock(given.t),
        walls.text(given.wall),
        given.who,
        given.role,
        given.text,
        given.role == FACILITATOR and given.text.startswith("inject"),
    )


def _event_moment(gameday: GameDay, event: Event, walls: _WallTimes) -> Moment:
    d = event.details
    what = _SHOWN[event.kind].format(**d)
    if event.incident:
        what = f"#{event.incident} {event.service}: {what}"
    elif event.service:
        what = f"{event.service}: {what}"
    injected = event.kind == "fault_start" and str(d["fault"]).startswith("inject-")
    if injected:
        what = f"INJECTED {what}"
    return Moment(
        event.t, gameday.clock(event.t), walls.at(event.t), event.actor, "world", what, injected
    )
