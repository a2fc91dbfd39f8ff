"""Teams in the engine: routing, escalation by policy, per-team pools and schedules.

The queueing test runs two teams side by side, each an M/M/c queue of its own with its
own arrival stream; each must match its own Erlang C result within 4 standard errors
of the mean over replications (the replications are the independent units).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from pathlib import Path

import pytest

from sim.engine import run_once
from sim.engine.schedules import OnCallSchedule
from sim.metrics import incident_rows
from sim.spec import ScenarioSpec, load_scenario
from sim.spec.checks_teams import team_members
from sim.spec.teams import BusinessHours, FollowTheSun, WeeklyRotation, Zone

from .builders import queue_scenario
from .test_queueing import erlang_c

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def three_teams() -> ScenarioSpec:
    return load_scenario(ROOT / "scenarios" / "three-teams.yaml")


def _by_incident(events):
    found = defaultdict(list)
    for e in events:
        if e.incident:
            found[e.incident].append(e)
    return found


def test_database_fault_pages_the_dba_rotation_and_escalates_after_the_timeout(
    three_teams,
) -> None:
    members = team_members(three_teams)
    levels = three_teams.escalation_policies["dba-policy"].levels
    timeouts = [lvl.timeout for lvl in levels] * 2  # repeat: 1
    escalations = 0
    for seed in range(1, 4):
        result = run_once(three_teams, "manual", seed)
        assert result.ok, result.error
        for rows in _by_incident(result.events).values():
            if rows[0].service != "postgres":
                continue
            pages = [r for r in rows if r.kind == "page"]
            first = pages[0]
            # The week's DBA is paged first, and the DBA rotation only.
            assert first.details["team"] == "dba" and first.details["level"] == 0
            assert first.details["people"] and set(first.details["people"]) <= set(members["dba"])
            week = math.floor(first.t / 10080)
            assert first.details["people"] == [members["dba"][week % 2]]
            acked = next(
                r.t for r in rows if r.kind == "transition" and r.details["to"] == "triage"
            )
            ups = [r for r in rows if r.kind == "page_escalated"]
            for k, up in enumerate(ups, 1):
                escalations += up.details["level"] == 1
                # Each escalation comes the level's timeout after the previous page, with
                # no acknowledgement yet: level 2 (index 1) pages the DBA lead.
                assert up.details["policy"] == "dba-policy"
                assert (up.details["level"], up.details["loop"]) == (k % 2, k // 2)
                assert up.t == pytest.approx(first.t + sum(timeouts[:k]))
                assert acked > up.t
                paged = next(r for r in pages if r.t == up.t)
                if up.details["level"] == 1:
                    assert paged.details["people"] == ["dora"]
    assert escalations >= 3  # the check above ran, several times


def test_nobody_outside_the_routed_team_is_assigned_unless_paged(three_teams) -> None:
    members = team_members(three_teams)
    checked = 0
    for strategy in three_teams.strategies:
        for seed in range(1, 4):
            result = run_once(three_teams, strategy, seed)
            assert result.ok, result.error
            for rows in _by_incident(result.events).values():
                paged = {p for r in rows if r.kind == "page" for p in r.details["people"]}
                for r in rows:
                    if r.kind != "assign":
                        continue
                    checked += 1
                    who = r.details["responder"]
                    assert who in paged or who in members[r.details.get("team", "")], (
                        who,
                        r.details,
                    )
                    assert who in paged  # the holder is always among the people paged
    assert checked > 100


def test_a_person_is_only_in_their_teams_queues(three_teams) -> None:
    """Platform engineers never take a database incident unless paged by its policy
    (the DBA policy never pages them), so no postgres incident is held by pat or pia."""
    for seed in range(1, 4):
        for e in run_once(three_teams, "manual", seed).events:
            if e.kind == "assign" and e.service == "postgres":
                assert e.details["responder"] in {"dana", "dmitri", "dora"}


def _two_teams(horizon_hours: float) -> ScenarioSpec:
    base = queue_scenario(responders=3, services=1000, incidents_per_hour=1.5)
    data = base.model_dump(by_alias=True, exclude={"digest"})
    # Team a owns a third of the services (0.5 incidents/hour), team b the rest (1/hour).
    for i, name in enumerate(data["services"]):
        data["services"][name]["team"] = "a" if i < 333 else "b"
    data["faults"] = {
        f"f{i}": {
            **fault,
            "tbf": {"dist": "exponential", "mean": 333 * 120.0 if i < 333 else 667 * 60.0},
        }
        for i, fault in enumerate(data["faults"].values())
    }
    data["responders"]["roster"] = [
        {"name": "ann", "role": "a"},
        {"name": "bob", "role": "b"},
        {"name": "bea", "role": "b"},
    ]
    data["teams"] = {"a": {"members": ["a"]}, "b": {"members": ["b"]}}
    data["horizon"] = horizon_hours * 60.0
    return ScenarioSpec.model_validate(data)


@pytest.mark.slow
def test_two_teams_are_two_independent_erlang_c_queues() -> None:
    spec = _two_teams(horizon_hours=1500)
    per_team: dict[str, list[float]] = {"a": [], "b": []}
    for seed in range(12):
        result = run_once(spec, "queue", seed)
        assert result.ok, result.error
        team_of = {e.incident: e.details["team"] for e in result.events if e.kind == "assign"}
        rows = [r for r in incident_rows(result.events, result.horizon) if not r["noise"]]
        for team, waits in per_team.items():
            mine = [r["waited"] for r in rows if team_of.get(r["incident"]) == team]
            waits.append(statistics.fmean(mine))
    for team, c, rate in (("a", 1, 0.5 / 60), ("b", 2, 1 / 60)):
        _, theory = erlang_c(c, rate, 60.0)
        waits = per_team[team]
        se = statistics.stdev(waits) / math.sqrt(len(waits))
        assert abs(statistics.fmean(waits) - theory) < 4 * se, (team, waits, theory, se)
        assert se < 0.15 * theory  # a tolerance that can fail
    # One pool of three would wait far less than team a does: the teams are separate.
    _, pooled = erlang_c(3, 1.5 / 60, 60.0)
    assert statistics.fmean(per_team["a"]) > 5 * pooled


def test_weekly_rotation_hands_over_every_week() -> None:
    s = OnCallSchedule(WeeklyRotation(kind="weekly"), [4, 7, 9], [], [1.0] * 10, 9, "Mon")
    assert [s.on_call(t) for t in (0, 10079, 10080, 20160, 30240)] == [(4,), (4,), (7,), (9,), (4,)]
    assert s.next_change(5.0) == 10080


def test_business_hours_and_follow_the_sun_follow_the_clock() -> None:
    office = OnCallSchedule(BusinessHours(kind="business_hours"), [1, 2], [], [1.0] * 3, 9, "Fri")
    assert office.on_call(0) == (1, 2)  # Friday 09:00
    assert office.on_call(8 * 60) == ()  # Friday 17:00
    assert office.on_call(24 * 60) == ()  # Saturday 09:00
    assert office.on_call(3 * 1440) == (1, 2)  # Monday 09:00
    assert office.next_change(0) == 8 * 60
    sun = OnCallSchedule(
        FollowTheSun(
            kind="follow_the_sun",
            zones=[Zone(members=["x"], utc_offset=0), Zone(members=["y"], utc_offset=8)],
            hours=(9, 17),
        ),
        [0, 1],
        [[0], [1]],
        [1.0, 1.0],
        0,
        "Mon",
    )
    assert sun.on_call(10 * 60) == (0,)  # 10:00 UTC: 18:00 at +8
    assert sun.on_call(2 * 60) == (1,)  # 02:00 UTC: 10:00 at +8
    assert sun.on_call(18 * 60) == ()
    assert sun.next_change(2 * 60) == 9 * 60  # +8 goes home at 09:00 UTC, 0 arrives


def test_cross_team_help_is_paged_as_an_expert(three_teams) -> None:
    """Route everything to platform and leave the database fault without a runbook: its
    incidents end with specialists, and the DBA rotation is paged as the expert."""
    data = three_teams.model_dump(by_alias=True)
    data["triage"]["rules"] = [r for r in data["triage"]["rules"] if r["name"] != "database-to-dba"]
    data["faults"]["postgres-saturation"]["runbooks"] = []
    spec = ScenarioSpec.model_validate(data)
    members = team_members(spec)
    experts = 0
    for seed in range(1, 4):
        result = run_once(spec, "manual", seed)
        assert result.ok, result.error
        for rows in _by_incident(result.events).values():
            if rows[0].service != "postgres":
                continue
            assigned = {r.details["responder"] for r in rows if r.kind == "assign"}
            assert assigned <= set(members["platform"])  # the routed team only
            pages = [r for r in rows if r.kind == "page" and r.details.get("expert")]
            if not any(r.kind == "work" and r.details["what"] == "specialists" for r in rows):
                continue
            (page,) = pages
            assert page.details["team"] == "dba"
            helped = [r for r in rows if r.kind == "work" and r.details["what"] == "expert"]
            if page.details["people"]:
                experts += 1
                assert page.details["people"][0] in members["dba"]
                assert [r.actor for r in helped] == page.details["people"]
    assert experts >= 3
