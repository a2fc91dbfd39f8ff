"""What people read during a game day: the timeline and a player's observation.

The timeline (for the facilitator and the report) merges the inputs with what happened
in the world; each moment has its simulated clock time and wall-clock time (an input's
is known; a world event's is interpolated between the inputs around it, marked ``~``).
A player's view is an observation, not the state: pages, incidents with what the team
may know (never the fault's name or kind), the decisions waiting for the player's role,
the facilitator's messages and what the team did.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import UTC, datetime

from sim.eventlog import Event
from sim.training.views import PromptView

from .gameday import GameDay, Input
from .roles import FACILITATOR

__all__ = ["Moment", "PlayerView", "PromptView", "WallTimes", "player_view", "timeline"]

#: World events the timeline shows, and how it says them.
SHOWN = {
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
    role: str  # a player role, ``facilitator`` or ``world``
    what: str
    injected: bool = False  # an injected fault's onset, or the inject input


class WallTimes:
    """Wall-clock times of simulated minutes, interpolated between the inputs."""

    def __init__(self, inputs: list[Input]) -> None:
        known = [(i.t, i.wall) for i in inputs if i.wall]
        self.minutes = [t for t, _ in known]
        self.walls = [w for _, w in known]

    @staticmethod
    def text(wall: float) -> str:
        return datetime.fromtimestamp(wall, UTC).strftime("%H:%M:%S") if wall else "—"

    def at(self, minute: float) -> str:
        if not self.minutes:
            return "—"
        i = bisect.bisect_right(self.minutes, minute)
        if i in (0, len(self.minutes)):
            return "~" + self.text(self.walls[min(i, len(self.walls) - 1)])
        t0, t1 = self.minutes[i - 1], self.minutes[i]
        w0, w1 = self.walls[i - 1], self.walls[i]
        share = (minute - t0) / (t1 - t0) if t1 > t0 else 0.0
        return "~" + self.text(w0 + share * (w1 - w0))


def input_moment(gameday: GameDay, given: Input, walls: WallTimes) -> Moment:
    return Moment(
        given.t,
        gameday.clock(given.t),
        walls.text(given.wall),
        given.who,
        given.role,
        given.text,
        given.role == FACILITATOR and given.text.startswith("inject"),
    )


def event_moment(gameday: GameDay, event: Event, walls: WallTimes) -> Moment:
    d = event.details
    what = SHOWN[event.kind].format(**d)
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


def timeline(gameday: GameDay) -> tuple[Moment, ...]:
    """Inputs and world events in time order (inputs first at the same minute)."""
    walls = WallTimes(gameday.inputs)
    given = [input_moment(gameday, i, walls) for i in gameday.inputs]
    world = [event_moment(gameday, e, walls) for e in gameday.events if e.kind in SHOWN]
    return tuple(sorted(given + world, key=lambda m: m.minute))


@dataclass(frozen=True, slots=True)
class PlayerView:
    clock: str
    role: str
    prompts: tuple[PromptView, ...]  # decisions waiting for this role, oldest first
    pages: tuple[tuple[str, str, str], ...]  # (clock, alert, service), newest first
    incidents: tuple[tuple[int, str, str, str, str], ...]  # number, service, opened, state, sev.
    messages: tuple[tuple[str, str], ...]  # (clock, text) from the facilitator, newest first
    feed: tuple[tuple[str, str, str, str], ...]  # (clock, who, role, text), newest first
    runbooks: tuple[tuple[str, str], ...]  # (id, title)
    ended: bool


def player_view(gameday: GameDay, role: str, feed: int = 30) -> PlayerView:
    """What a player of ``role`` sees now."""
    spec, events = gameday.spec, gameday.events
    prompts = tuple(PromptView.of(p) for p in gameday.prompts(role))
    pages = tuple(
        (gameday.clock(e.t), str(e.details["alert"]), e.service)
        for e in reversed(events)
        if e.kind == "alert"
    )
    state: dict[int, list[str]] = {}
    for e in events:
        if e.kind == "incident_open":
            state[e.incident] = [e.service, gameday.clock(e.t), "open", e.details["severity"]]
        elif e.kind == "transition" and e.incident in state:
            state[e.incident][2] = e.details["to"]
        elif e.kind == "severity" and e.incident in state:
            state[e.incident][3] = e.details["to"]
    incidents = tuple((n, v[0], v[1], v[2], v[3]) for n, v in state.items())
    messages = tuple(
        (gameday.clock(i.t), i.text.partition(" ")[2])
        for i in reversed(gameday.inputs)
        if i.role == FACILITATOR and i.text.startswith("message ")
    )
    team = tuple(
        (gameday.clock(i.t), i.who, i.role, i.text)
        for i in reversed(gameday.inputs)
        if i.role != FACILITATOR
    )[:feed]
    return PlayerView(
        gameday.clock(),
        role,
        prompts,
        pages[:feed],
        incidents,
        messages,
        team,
        tuple((r.id, r.title) for r in spec.runbook_index.values()),
        gameday.ended,
    )
