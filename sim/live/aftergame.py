"""What the after-game report says, computed from the inputs and the event log alone.

The timeline is ``views.timeline`` (inputs and world events, in simulated and wall
clock time, injected faults marked). Each incident is set against the manual, semi and
full strategies run with the simulated responders on the same scenario, injections and
seed: the same fault occurrences, matched by (fault, occurrence).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.engine import run_once
from sim.eventlog import Event
from sim.metrics import incident_rows
from sim.spec.clock import format_span

from .gameday import GameDay
from .inject import with_injections
from .roles import FACILITATOR
from .views import Moment, WallTimes, input_moment, timeline

__all__ = ["AfterGame", "IncidentLine", "after_game"]

BASELINES = ("manual", "semi", "full")


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
    walls = WallTimes(inputs)
    given = tuple(input_moment(gameday, i, walls) for i in inputs)
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
        timeline(gameday),
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
