"""On-call people: a finite pool, escalation timing, night and fatigue.

A responder busy on one incident is not free for another: incidents that find nobody
free queue by severity rank, so a P0 waiting for a person is served before a P2 that
came earlier (ties: first come, first served). Once a person is free for the incident,
the page goes out through the escalation policy; the acknowledgement delay comes from
the levels' ack times. ``OnCall`` gathers what one replication knows of its people.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, cast

import simpy

from sim.spec.scenario import FatigueSpec, RespondersSpec

from .sampling import Sampler, sampler

__all__ = ["Escalation", "OnCall", "Person", "Pool", "queued"]


@dataclass(eq=False, slots=True)  # people are compared by identity
class Person:
    name: str
    role: str
    skill: float
    index: int
    pages: deque[float] = field(default_factory=deque)
    busy: bool = False


class Pool:
    """The roster as a priority-served pool of people.

    A free person is claimed at once (``claim_free``), without a SimPy event: most
    incidents find someone free, and a grant through ``simpy.PriorityResource`` would
    cost a request event and a process resume each. Otherwise the incident queues
    (``wait``) by severity rank, then arrival time, then arrival order — the order
    ``PriorityResource`` serves — and a released person is handed straight to the
    first in the queue.
    """

    def __init__(self, env: simpy.Environment, spec: RespondersSpec) -> None:
        self.env = env
        people = [
            Person(name, entry.role, entry.skill, i)
            for i, (name, entry) in enumerate(spec.people())
        ]
        self.people = people
        # Who answers first when several are free: the most skilled, then roster order,
        # so adding a person to the pool can only make the one who answers as good or
        # better.
        self._preference = sorted(people, key=lambda p: (-p.skill, p.index))
        self._free_count = len(people)
        # Waiting incidents: (rank, since, arrival number, ticket); the ticket's value
        # is the person handed over. Invariant: someone waits only if nobody is free.
        self.queue: list[tuple[int, float, int, simpy.Event]] = []
        self._arrivals = 0

    def answers_first(self, person: Person) -> None:
        """``person`` answers first whenever free (a trainee in a seat: the pages of
        that seat reach them, whoever else is on call)."""
        self._preference = [person, *(p for p in self._preference if p is not person)]

    @property
    def free(self) -> list[Person]:
        """The people free now, in roster order."""
        return [p for p in self.people if not p.busy]

    def claim_free(self) -> Person | None:
        """The free person who answers first (see ``_preference``), claimed now, or None
        when everyone is busy."""
        if not self._free_count:
            return None
        for person in self._preference:
            if not person.busy:
                person.busy = True
                self._free_count -= 1
                return person
        raise AssertionError("unreachable: the free count says someone is free")

    def wait(self, rank: int) -> Generator[simpy.Event, Any, tuple[Person, float]]:
        """Queue for the next released person (severity ``rank`` first); return
        (person, minutes waited). Call only when ``claim_free`` found nobody."""
        self._arrivals += 1
        return (yield from queued(self.env, self.queue, rank, self._arrivals, self.release))

    def release(self, person: Person) -> None:
        """``person`` is done: to the first waiting incident, else back to the free."""
        if self.queue:
            heapq.heappop(self.queue)[3].succeed(person)  # stays busy, on the next one
        else:
            person.busy = False
            self._free_count += 1


def queued(
    env: simpy.Environment,
    queue: list[tuple[int, float, int, simpy.Event]],
    rank: int,
    number: int,
    release: Callable[[Person], None],
) -> Generator[simpy.Event, Any, tuple[Person, float]]:
    """Wait in ``queue`` (a heap by rank, then arrival time and ``number``) until a
    person is handed over; return (person, minutes waited). Interrupted, the entry
    leaves the queue — or, handed a person in the same instant, passes them on
    (``release``)."""
    start = env.now
    ticket = env.event()
    entry = (rank, start, number, ticket)
    heapq.heappush(queue, entry)
    try:
        person: Person = yield ticket
    except simpy.Interrupt:
        if ticket.triggered:
            release(cast(Person, ticket.value))
        else:
            queue.remove(entry)
            heapq.heapify(queue)
        raise
    return person, env.now - start


class Escalation:
    """Timing of a page through the escalation levels, with loops."""

    def __init__(self, spec: RespondersSpec) -> None:
        if spec.escalation is None:
            first_role = spec.roster[0].role
            self.levels: list[tuple[str, float]] = [(first_role, float("inf"))]
            self.loops = 0
        else:
            self.levels = [(lvl.role, lvl.after) for lvl in spec.escalation.levels]
            self.loops = spec.escalation.loops
        self.ack: Sampler = sampler(spec.ack_time)

    def ack_delay(
        self, draw: Callable[[int], float], slowdown: float
    ) -> tuple[float, list[tuple[float, str, int, int]]]:
        """(delay until someone acknowledges, pages sent as (offset, role, level, loop)).

        Each paged level answers after its own ack time; if that exceeds the level's
        window the next level is paged. The last level of the last loop always answers.
        """
        offset = 0.0
        pages: list[tuple[float, str, int, int]] = []
        last = (self.loops + 1) * len(self.levels) - 1
        step = 0
        for loop in range(self.loops + 1):
            for level, (role, window) in enumerate(self.levels):
                pages.append((offset, role, level, loop))
                answer = self.ack(draw(step)) * slowdown
                if answer <= window or step == last:
                    return offset + answer, pages
                offset += window
                step += 1
        raise AssertionError("unreachable: the last level always answers")


class OnCall:
    """The people of one replication: the pool, the escalation policy, and how the hour
    of the day and recent pages change how they work."""

    __slots__ = ("escalation", "fatigue", "night_by_hour", "pool", "start_minute")

    def __init__(self, env: simpy.Environment, spec: RespondersSpec, start_hour: int) -> None:
        self.pool = Pool(env, spec)
        self.escalation = Escalation(spec)
        self.fatigue: FatigueSpec | None = spec.fatigue
        # The night factor by hour of the day (0-23), computed once instead of per call.
        self.night_by_hour = [1.0] * 24
        if spec.night is not None:
            start, end = spec.night.start_hour, spec.night.end_hour
            for hour in range(24):
                if start <= hour < end if start < end else (hour >= start or hour < end):
                    self.night_by_hour[hour] = spec.night.factor
        self.start_minute = start_hour * 60.0

    def night_factor(self, t: float) -> float:
        """How much slower than by day people work at simulated minute ``t``."""
        return self.night_by_hour[int(((self.start_minute + t) // 60) % 24)]

    def extra_error(self, person: Person, t: float) -> float:
        """Extra error probability of ``person`` at ``t`` from their recent pages."""
        fatigue = self.fatigue
        if fatigue is None:
            return 0.0
        pages = person.pages
        horizon = t - fatigue.window
        while pages and pages[0] < horizon:
            pages.popleft()
        return min(fatigue.max_extra, fatigue.error_per_page * max(0, len(pages) - 1))
