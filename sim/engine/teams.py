"""Teams in a replication: per-team queues, on-call schedules and escalation policies.

Used only by scenarios with ``teams:``; without them the roster is one ``Pool`` and
nothing here runs. An incident is routed to a team and a policy (``CompiledTeams.route``);
it is taken by a free person the team has on call now (the schedule's order), or waits
in that team's queue by severity rank, then arrival — the order ``Pool`` serves. A
person in several teams serves each team's queue while on call for it: when released,
they take the most urgent incident waiting in those queues. When a shift changes, the
people coming on call look at their queues too.

Paging follows the policy's levels: level 0 pages the routed team's on-call who took
the incident; a page unacknowledged after the level's ``timeout`` escalates
(``page_escalated``) to the next level's targets, and after the last level the policy
starts again ``repeat`` more times. When a later level answers, a free person it paged
takes over the incident (the first one is released): only people paged for an
incident are ever assigned to it.
"""

from __future__ import annotations

import heapq
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import simpy

from sim.spec.checks_teams import team_members
from sim.spec.scenario import ScenarioSpec
from sim.spec.triage import Route

from .responders import Person, queued
from .schedules import OnCallSchedule

__all__ = ["CompiledTeams", "PolicyLevel", "TeamDesk"]


@dataclass(frozen=True, slots=True)
class PolicyLevel:
    targets: tuple[str, ...]  # as written: team or person names
    teams: tuple[int, ...]  # team targets: their on-call is paged
    people: tuple[int, ...]  # person targets
    timeout: float


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    name: str
    levels: tuple[PolicyLevel, ...]
    repeat: int


class CompiledTeams:
    """What a scenario's teams are, for every replication (immutable once built)."""

    def __init__(self, spec: ScenarioSpec) -> None:
        people = spec.responders.people()
        index = {name: i for i, (name, _) in enumerate(people)}
        skills = [entry.skill for _, entry in people]
        members = team_members(spec)
        self.names = tuple(spec.teams)
        self.index = {name: i for i, name in enumerate(self.names)}
        self.members = tuple(tuple(index[n] for n in members[t]) for t in self.names)
        self.schedules: list[OnCallSchedule] = []
        for team, t in spec.teams.items():
            zones = getattr(t.schedule, "zones", ())
            self.schedules.append(
                OnCallSchedule(
                    t.schedule,
                    self.members[self.index[team]],
                    [[index[n] for n in z.members if n in index] for z in zones],
                    skills,
                    spec.start_hour,
                    spec.start_day,
                )
            )
        self.policies = {
            name: CompiledPolicy(
                name,
                tuple(
                    PolicyLevel(
                        tuple(level.targets),
                        tuple(self.index[x] for x in level.targets if x in self.index),
                        tuple(index[x] for x in level.targets if x not in self.index),
                        level.timeout,
                    )
                    for level in p.levels
                ),
                p.repeat,
            )
            for name, p in spec.escalation_policies.items()
        }
        self.team_policy = tuple(spec.teams[t].escalation for t in self.names)
        self.service_team = {
            name: self.index[svc.team]
            for name, svc in spec.services.items()
            if svc.team in self.index
        }
        self._routes: dict[tuple[str, str, str], tuple[int, CompiledPolicy]] = {}

    def route(self, route: Route, service: str) -> tuple[int, CompiledPolicy]:
        """(team, policy) of an incident of ``service`` that triage routed to ``route``:
        the route's team when it is one, else the service's, else the first team; the
        route's policy when it is one, else the team's own, else page the on-call."""
        key = (route.team, route.escalation, service)
        found = self._routes.get(key)
        if found is None:
            team = self.index.get(route.team, self.service_team.get(service, 0))
            name = route.escalation
            if name not in self.policies:
                name = self.team_policy[team] or ""
            policy = self.policies.get(name) or CompiledPolicy(
                "", (PolicyLevel((self.names[team],), (team,), (), float("inf")),), 0
            )
            found = self._routes[key] = (team, policy)
        return found


# A queued incident: (severity rank, since, arrival number, ticket of the person handed).
_Entry = tuple[int, float, int, simpy.Event]


class TeamDesk:
    """The teams of one replication, over the people of its ``Pool``."""

    def __init__(self, env: simpy.Environment, teams: CompiledTeams, people: list[Person]) -> None:
        self.env = env
        self.teams = teams
        self.people = people
        self.queues: list[list[_Entry]] = [[] for _ in teams.names]
        self.of_person: list[tuple[int, ...]] = [
            tuple(t for t, members in enumerate(teams.members) if p.index in members)
            for p in people
        ]
        self._arrivals = 0

    def start(self) -> None:
        for team, schedule in enumerate(self.teams.schedules):
            if schedule.next_change(0.0) != float("inf"):
                self.env.process(self._shifts(team))

    def on_call(self, team: int) -> list[Person]:
        people = self.people
        return [people[i] for i in self.teams.schedules[team].on_call(self.env.now)]

    def claim(self, team: int) -> Person | None:
        """The first free person ``team`` has on call, claimed now, or None."""
        for person in self.on_call(team):
            if not person.busy:
                person.busy = True
                return person
        return None

    def wait(self, team: int, rank: int) -> Generator[simpy.Event, Any, tuple[Person, float]]:
        """Queue in ``team``'s queue; return (person handed over, minutes waited)."""
        self._arrivals += 1
        return (yield from queued(self.env, self.queues[team], rank, self._arrivals, self.release))

    def release(self, person: Person) -> None:
        """``person`` is done: to the most urgent incident waiting in a queue of a team
        they are on call for now, else free."""
        if not self._hand_over(person):
            person.busy = False

    def _hand_over(self, person: Person) -> bool:
        best: list[_Entry] | None = None
        schedules, now = self.teams.schedules, self.env.now
        for team in self.of_person[person.index]:
            queue = self.queues[team]
            if (
                queue
                and (best is None or queue[0][:3] < best[0][:3])
                and person.index in schedules[team].on_call(now)
            ):
                best = queue
        if best is None:
            return False
        person.busy = True
        heapq.heappop(best)[3].succeed(person)
        return True

    def _shifts(self, team: int) -> Generator[simpy.Event, Any, None]:
        """At every shift change, free people coming on call take waiting incidents."""
        env, schedule = self.env, self.teams.schedules[team]
        while True:
            yield env.timeout(schedule.next_change(env.now) - env.now)
            for person in self.on_call(team):
                if not person.busy:
                    self._hand_over(person)

    def paged(self, level: PolicyLevel) -> list[Person]:
        """The people a level pages now: its teams' on-call and its persons."""
        found = {p.index: p for team in level.teams for p in self.on_call(team)}
        for i in level.people:
            found.setdefault(i, self.people[i])
        return list(found.values())
