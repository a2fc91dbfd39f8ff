"""Paging with teams: who takes an incident, how the page escalates, cross-team help.

The incident-facing half of ``teams`` (``TeamDesk`` keeps the queues and schedules):
``summon`` finds a person for an incident routed to a team, ``page`` sends the page
through the escalation policy until someone acknowledges, ``page_expert`` pages
another team as subject-matter experts. Each reads the desk from the incident's route.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from .incident import IncidentRun
from .responders import Person
from .sampling import Sampler
from .teams import TeamDesk

__all__ = ["page", "page_expert", "summon"]


def summon(inc: IncidentRun, rank: int) -> Generator[simpy.Event, Any, tuple[Person, float]]:
    """A person for the incident: a free one its team has on call, else the wait in
    its team's queue. A team with nobody on call at all (out of business hours)
    escalates at once through its policy: each level's timeout later the next level
    is tried, and the incident waits in the queue of the first level with a team on
    call (the routed team's if none has)."""
    route = inc.route
    assert route is not None
    desk = route.desk
    env, team = desk.env, route.team
    person = desk.claim(team)
    if person is not None:
        return person, 0.0
    start = env.now
    levels = route.policy.levels
    if not desk.teams.schedules[team].on_call(start):
        offset = 0.0
        for number in range(1, len(levels)):
            offset += levels[number - 1].timeout
            yield env.timeout(start + offset - env.now)
            inc.log(
                "page_escalated",
                "monitoring",
                {
                    "policy": route.policy.name,
                    "level": number,
                    "loop": 0,
                    "after": levels[number - 1].timeout,
                },
            )
            route.level = number
            for candidate in desk.paged(levels[number]):
                if not candidate.busy:
                    candidate.busy = True
                    return candidate, env.now - start
            staffed = [t for t in levels[number].teams if desk.teams.schedules[t].on_call(env.now)]
            if staffed:
                team = staffed[0]
                break
        else:
            route.level = 0
    person, _ = yield from desk.wait(team, rank)
    return person, env.now - start


def page(
    inc: IncidentRun, ack: Sampler, draw: Callable[[int], float], slowdown: float
) -> Generator[simpy.Event, Any, None]:
    """Page by the incident's policy until someone acknowledges (see the module)."""
    route = inc.route
    assert route is not None and inc.person is not None
    desk = route.desk
    env = desk.env
    policy = route.policy
    levels = policy.levels
    last = (policy.repeat + 1) * len(levels) - 1
    start, offset, step = env.now, 0.0, route.level
    team = desk.teams.names[route.team]
    for loop in range(policy.repeat + 1):
        for number, level in enumerate(levels):
            if loop == 0 and number < route.level:
                continue  # escalated past while nobody was on call (``summon``)
            if step > route.level:
                yield env.timeout(start + offset - env.now)
                after = levels[number - 1].timeout if number else levels[-1].timeout
                inc.log(
                    "page_escalated",
                    "monitoring",
                    {"policy": policy.name, "level": number, "loop": loop, "after": after},
                )
                paged = desk.paged(level)
            else:
                paged = [inc.person]
            inc.log(
                "page",
                "monitoring",
                {
                    "role": ",".join(level.targets),
                    "level": number,
                    "loop": loop,
                    "team": team,
                    "people": [p.name for p in paged],
                },
            )
            answer = ack(draw(step)) * slowdown
            if answer <= level.timeout or step == last:
                yield env.timeout(start + offset + answer - env.now)
                if step > route.level:
                    _answered_by(desk, inc, paged)
                return
            offset += level.timeout
            step += 1
    raise AssertionError("unreachable: the last level always answers")


def page_expert(inc: IncidentRun) -> Person | None:
    """Cross-team help for an incident handed to specialists: when a failing
    service belongs to another team than the routed one, that team's on-call is
    paged as a subject-matter expert (``page`` with ``expert``) and, if free,
    claimed to work alongside (the caller releases them)."""
    route = inc.route
    if route is None:
        return None
    desk = route.desk
    owners = [desk.teams.service_team.get(run.fault.target) for run in inc.active()]
    team = next((t for t in owners if t is not None and t != route.team), None)
    if team is None:
        return None
    expert = desk.claim(team)
    inc.log(
        "page",
        "monitoring",
        {
            "role": desk.teams.names[team],
            "level": 0,
            "loop": 0,
            "team": desk.teams.names[team],
            "people": [expert.name] if expert is not None else [],
            "expert": True,
        },
    )
    return expert


def _answered_by(desk: TeamDesk, inc: IncidentRun, paged: list[Person]) -> None:
    """A later level answered: a free person it paged takes the incident over."""
    holder = inc.person
    assert holder is not None
    if holder in paged:
        return
    for person in paged:
        if not person.busy:
            person.busy = True
            inc.person = person
            inc.log(
                "assign",
                person.name,
                {"responder": person.name, "waited": 0.0, "handover_from": holder.name},
            )
            desk.release(holder)
            return
