"""A replication a team plays while the world keeps running: the engine of a live game day.

The team takes one responder's seat, as a trainee does (``SeatPolicy``), but the world
does not stop at a decision: ``run_until(t)`` steps the environment to simulated minute
``t`` and every decision asked meanwhile waits, as a pending SimPy event, until someone
answers it (``answer``). People thinking costs simulated time, as it does on a real
game day. Which decisions are asked at all is the caller's ``plays(kind)``: a decision
nobody in the room can take goes to the responder model (``SimulatedHuman``), so
simulated colleagues fill the roles nobody plays.

There is still one clock and no thread: the caller maps wall-clock time to simulated
minutes and calls ``run_until``; how often it does so changes nothing in the event log
(SimPy orders events by time, priority and scheduling order, and a stop at ``t`` only
adds an event of its own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sim.eventlog import Event
from sim.spec.scenario import ScenarioSpec

from .compiled import compile_scenario
from .incident import IncidentRun
from .interactive import Prompt, Reply, SeatPolicy
from .world import World

__all__ = ["LiveWorld", "TeamSeat"]


class TeamSeat(SeatPolicy):
    """The seat a team plays: a decision is a prompt only when ``plays(kind)``."""

    def __init__(self, world: World, role: str, plays: Callable[[str], bool]) -> None:
        super().__init__(world, role, None, True)
        self.plays = plays

    def holds(self, inc: IncidentRun, kind: str = "") -> bool:
        return super().holds(inc, kind) and (not kind or self.plays(kind))


class LiveWorld:
    """One replication of ``spec`` under ``strategy`` with ``seed``; a team in one seat."""

    def __init__(
        self, spec: ScenarioSpec, strategy: str, seed: int, role: str, plays: Callable[[str], bool]
    ) -> None:
        compiled = compile_scenario(spec, strategy)
        self.world = World(compiled, seed, lambda w: TeamSeat(w, role, plays))
        seat = self.world.policy
        assert isinstance(seat, TeamSeat)
        self.seat = seat
        self.horizon = spec.horizon
        self.world.start()

    @property
    def now(self) -> float:
        return float(self.world.env.now)

    @property
    def finished(self) -> bool:
        return self.now >= self.horizon

    @property
    def events(self) -> list[Event]:
        """The event log so far (the engine's own list: read, never change it)."""
        return self.world.events

    @property
    def seat_name(self) -> str:
        return self.seat.person.name

    def prompts(self) -> list[Prompt]:
        """The decisions waiting for an answer, oldest first."""
        return [p for p, event in self.seat.waiting.values() if not event.triggered]

    def next_event(self) -> float:
        """When the next thing happens in the world (the horizon if nothing does)."""
        return min(float(self.world.env.peek()), self.horizon)

    def run_until(self, t: float) -> None:
        """Run the world to minute ``t`` (at most the horizon); events due at ``t`` itself
        wait for the next call, as events due at the horizon never happen."""
        t = min(t, self.horizon)
        if t > self.now:
            self.world.env.run(until=t)

    def step_instant(self, at_most: float) -> None:
        """Run every event of the next instant that has any, if it comes within
        ``at_most`` minutes; else run ``at_most`` minutes ("advance to the next event"
        of a stepped game day: a world waiting for people may have nothing scheduled)."""
        env = self.world.env
        while float(env.peek()) <= self.now < self.horizon:  # due already (answers given)
            env.step()
        t = float(env.peek())
        if t > self.now + at_most or t >= self.horizon:
            self.run_until(self.now + at_most)
            return
        while float(env.peek()) == t:
            env.step()

    def answer(self, number: int, reply: Reply) -> None:
        """Answer prompt ``number``; the world acts on it at the next ``run_until``."""
        waiting = self.seat.waiting.get(number)
        if waiting is None or waiting[1].triggered:
            raise KeyError(f"no decision {number} is waiting")
        waiting[1].succeed(reply)

    def log(
        self, incident: int, kind: str, service: str, actor: str, details: dict[str, Any]
    ) -> None:
        """Record something a person did that the engine does not act on."""
        self.world.logbook.write(incident, kind, service, actor, details)
