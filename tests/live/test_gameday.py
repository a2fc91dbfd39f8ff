"""The live game-day model: roles, injections, and exact replay from the inputs."""

from __future__ import annotations

import pytest

from sim.eventlog import digest
from sim.live import GameDay, InjectError, LiveError, RoleError
from sim.training import CommandError, ReplayError

from .helpers import PLAYERS, play, scenario


def team_day(seed: int = 3) -> GameDay:
    gameday = GameDay(scenario(), seed)
    for role, name in PLAYERS.items():
        gameday.act(name, role, "join")
    gameday.facilitate("start")
    gameday.advance_to(12.5)
    gameday.facilitate("inject api-oom")
    gameday.facilitate("inject orders-db latency 20m at 2h")
    gameday.facilitate("message leadership is asking for an update")
    play(gameday, 200)
    gameday.act("ann", "commander", "status api restarted, watching")
    gameday.facilitate("note IC declared late")
    gameday.facilitate("end")
    return gameday


def test_replay_of_the_inputs_gives_the_same_event_log() -> None:
    played = team_day()
    kinds = {e.kind for e in played.events}
    assert {"action", "runbook_start", "step", "mitigated"} <= kinds
    minutes = [i.t for i in played.inputs]
    assert minutes == sorted(minutes) and minutes[-1] > 190
    assert [i.t for i in played.inputs if i.text.startswith("inject")] == [12.5, 12.5]
    again = GameDay.replay(scenario(), 3, played.inputs)
    assert digest(again.events) == digest(played.events)
    assert again.inputs == played.inputs


def test_actions_are_logged_with_who_did_them() -> None:
    played = team_day()
    by = {(e.actor, e.details["command"]) for e in played.events if e.kind == "action"}
    assert ("ann", "ack") in by and ("ann", "severity") in by
    assert ("bob", "runbook") in by and ("bob", "do") in by
    assert ("ann", "status") in by
    # Only the team's seat is prompted: steps the team answered were done by its seat.
    steps = [e for e in played.events if e.kind == "step" and e.incident == 1]
    assert steps and {e.actor for e in steps} == {played.seat}


def test_injected_fault_starts_when_asked_and_natural_faults_stay_put() -> None:
    played = team_day()
    starts = {e.details["fault"]: e.t for e in played.events if e.kind == "fault_start"}
    assert starts["inject-1-api-oom"] == 12.5
    assert starts["inject-2-orders-db-latency"] == 120.0
    plain = GameDay(scenario(), 3)
    plain.advance_to(240)
    natural = {e.details["fault"]: e.t for e in plain.events if e.kind == "fault_start"}
    assert natural == {k: v for k, v in starts.items() if not k.startswith("inject-")}


def test_roles_nobody_plays_are_simulated() -> None:
    alone = GameDay(scenario(), 3)
    alone.facilitate("start")
    alone.advance_to(240)
    assert alone.prompts() == []
    assert any(e.kind == "mitigated" for e in alone.events)
    assert not any(e.kind == "action" for e in alone.events)


def test_a_role_cannot_do_what_it_may_not() -> None:
    gameday = GameDay(scenario(), 3)
    gameday.act("cy", "communications", "join")
    gameday.act("ann", "commander", "join")
    gameday.facilitate("inject api-oom")
    play_to = 10.0
    gameday.advance_to(play_to)
    before = list(gameday.inputs)
    with pytest.raises(RoleError, match="communications role may not 'ack'"):
        gameday.act("cy", "communications", "ack")
    with pytest.raises(RoleError, match="communications role may not 'runbook'"):
        gameday.act("cy", "communications", "runbook restart-service")
    with pytest.raises(RoleError):
        gameday.act("ann", "commander", "do")
    with pytest.raises(RoleError, match="unknown role"):
        gameday.act("eve", "admin", "join")
    assert gameday.inputs == before


def test_bad_inputs_change_nothing() -> None:
    gameday = GameDay(scenario(), 3)
    gameday.act("ann", "commander", "join")
    before = (list(gameday.inputs), digest(gameday.events))
    with pytest.raises(InjectError, match="unknown fault"):
        gameday.facilitate("inject no-such-fault")
    with pytest.raises(InjectError, match="unknown service"):
        gameday.facilitate("inject nowhere crash 10m")
    with pytest.raises(InjectError, match="horizon"):
        gameday.facilitate("inject api-oom at 30d")
    with pytest.raises(LiveError, match="speed"):
        gameday.facilitate("speed 1000")
    with pytest.raises(LiveError, match="characters"):
        gameday.facilitate("note " + "x" * 600)
    with pytest.raises(CommandError, match="nothing waits"):
        gameday.act("ann", "commander", "ack")
    assert (gameday.inputs, digest(gameday.events)) == before


def test_nothing_is_given_after_the_end() -> None:
    gameday = GameDay(scenario(), 3)
    gameday.facilitate("end")
    with pytest.raises(LiveError, match="over"):
        gameday.facilitate("inject api-oom")


def test_stepped_play_advances_to_the_next_event_or_ten_minutes() -> None:
    gameday = GameDay(scenario(), 3)  # its own fault starts at minute 30
    gameday.facilitate("speed stepped")
    minutes = []
    for _ in range(4):
        gameday.facilitate("next")
        minutes.append(gameday.now)
    assert minutes[:3] == [10.0, 20.0, 30.0]
    assert [e.t for e in gameday.events if e.kind == "fault_start"] == [30.0]
    assert 30.0 < minutes[3] <= 40.0  # the alert's evaluation, or ten minutes more


def test_inputs_from_another_scenario_do_not_replay() -> None:
    played = team_day()
    other = scenario().model_copy(update={"horizon": 60.0})
    with pytest.raises(ReplayError):
        GameDay.replay(other, 3, played.inputs)
