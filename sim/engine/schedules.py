"""Who of a team is on call at a simulated minute, and when that can next change.

A schedule works on the scenario's clock: minute 0 is ``start_hour`` on ``start_day``,
and that clock is UTC+0 for follow-the-sun zones. ``on_call(t)`` lists the people on
call in the order they are asked (a weekly rotation's person of the week first; a pool
by skill, then roster order, as ``Pool`` asks); ``next_change(t)`` is the first minute
after ``t`` at which the list may differ (inf: never), so a team's queue is looked at
again when someone comes on call.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sim.spec.clock import WEEKDAYS, Weekday
from sim.spec.teams import AlwaysOnCall, BusinessHours, FollowTheSun, Schedule, WeeklyRotation

__all__ = ["OnCallSchedule"]

_DAY = 1440.0


class OnCallSchedule:
    """One team's schedule over its members (person indices of the roster, in the order
    the team lists them; ``skills`` by person index, for the always-on pool's order)."""

    __slots__ = ("_always", "_bounds", "_members", "_spec", "_start", "_weekday0", "_zones")

    def __init__(
        self,
        spec: Schedule,
        members: Sequence[int],
        zones: Sequence[Sequence[int]],
        skills: Sequence[float],
        start_hour: int,
        start_day: Weekday,
    ) -> None:
        self._spec = spec
        self._members = tuple(members)
        self._start = start_hour * 60.0  # clock minute of the day at t = 0
        self._weekday0 = WEEKDAYS.index(start_day)
        self._zones = tuple(tuple(z) for z in zones)
        # Always on call: the pool's order (most skilled first, then roster order).
        self._always = tuple(sorted(members, key=lambda p: (-skills[p], p)))
        self._bounds: tuple[float, ...] = ()  # clock minutes of the day a shift changes at
        if isinstance(spec, BusinessHours):
            self._bounds = tuple(sorted({spec.hours[0] * 60.0, spec.hours[1] * 60.0 % _DAY}))
        elif isinstance(spec, FollowTheSun):
            edges = {
                ((hour - zone.utc_offset) * 60.0) % _DAY
                for zone in spec.zones
                for hour in spec.hours
            }
            self._bounds = tuple(sorted(edges))

    def on_call(self, t: float) -> tuple[int, ...]:
        """Person indices on call at minute ``t``, in the order they are asked."""
        spec = self._spec
        if isinstance(spec, AlwaysOnCall):
            return self._always
        if isinstance(spec, WeeklyRotation):
            members = self._members
            turn = math.floor((t - spec.handoff) / spec.every)
            n = len(members)
            return tuple(members[(turn + j) % n] for j in range(min(spec.on_call, n)))
        clock = self._start + t
        if isinstance(spec, BusinessHours):
            day = int(clock // _DAY)
            weekday = WEEKDAYS[(self._weekday0 + day) % 7]
            minute = clock - day * _DAY
            start, end = spec.hours
            if weekday in spec.days and start * 60 <= minute < end * 60:
                return self._members
            return ()
        assert isinstance(spec, FollowTheSun)
        on: list[int] = []
        start, end = spec.hours
        for zone, people in zip(spec.zones, self._zones, strict=True):
            local = ((clock + zone.utc_offset * 60.0) % _DAY) / 60.0
            if start <= local < end:
                on.extend(people)
        return tuple(on)

    def next_change(self, t: float) -> float:
        """The first minute after ``t`` at which ``on_call`` may change (inf: never)."""
        spec = self._spec
        if isinstance(spec, AlwaysOnCall):
            return math.inf
        if isinstance(spec, WeeklyRotation):
            turn = math.floor((t - spec.handoff) / spec.every)
            return spec.handoff + (turn + 1) * spec.every
        clock = self._start + t
        day = clock // _DAY
        minute = clock - day * _DAY
        for bound in self._bounds:
            if bound > minute:
                return day * _DAY + bound - self._start
        return (day + 1) * _DAY + self._bounds[0] - self._start
