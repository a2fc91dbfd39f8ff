"""The registry of live game days: tokens, join codes, roles, the wall clock, restarts."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.eventlog import digest
from sim.live import RoleError
from sim.live.registry import Registry
from sim.live.store import GameDayStore
from sim.spec import load_scenario

from .helpers import SCENARIO


class Wall:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def registry(path: Path, wall: Wall) -> Registry:
    return Registry(GameDayStore(path / "gamedays.sqlite"), load_scenario, wall)


def test_the_wall_clock_drives_the_world_at_the_chosen_speed(tmp_path: Path) -> None:
    wall = Wall()
    reg = registry(tmp_path, wall)
    made = reg.create(str(SCENARIO), seed=2)
    reg.facilitate(made.id, made.token, "speed 10")
    reg.facilitate(made.id, made.token, "start")
    wall.now += 60  # one wall minute at 10x: ten simulated minutes
    with reg.now(made.id) as live:
        assert live.gameday.now == pytest.approx(10.0)
    reg.facilitate(made.id, made.token, "pause")
    wall.now += 600
    with reg.now(made.id) as live:
        assert live.gameday.now == pytest.approx(10.0)
        assert live.clock.state == "paused"
    reg.facilitate(made.id, made.token, "next")  # the clock stands: the world may step
    with reg.now(made.id) as live:
        assert live.gameday.now > 10.0
    reg.facilitate(made.id, made.token, "resume")
    with pytest.raises(RoleError, match="pause"):
        reg.facilitate(made.id, made.token, "next")


def test_without_the_token_nothing_is_paused_injected_or_ended(tmp_path: Path) -> None:
    reg = registry(tmp_path, Wall())
    made = reg.create(str(SCENARIO))
    for text in ("pause", "inject api-oom", "end", "start", "note sneaky"):
        for token in ("", "not-the-token", made.token[:-1]):
            with pytest.raises(RoleError, match="facilitator token"):
                reg.facilitate(made.id, token, text)
    assert reg.get(made.id).gameday.inputs == []
    assert reg.store.inputs(made.id) == []


def test_players_join_with_the_code_and_act_within_their_role(tmp_path: Path) -> None:
    wall = Wall()
    reg = registry(tmp_path, wall)
    made = reg.create(str(SCENARIO), seed=2)
    with pytest.raises(RoleError, match="join code"):
        reg.join("WRONG1", "ann", "commander")
    gid, comms = reg.join(made.join_code.lower(), "cy", "communications")
    assert gid == made.id
    _, ops = reg.join(made.join_code, "bob", "operations")
    with pytest.raises(RoleError, match="joined already"):
        reg.join(made.join_code, "bob", "expert")
    with pytest.raises(RoleError, match="unknown player"):
        reg.act("forged-key", "status all good")
    reg.facilitate(made.id, made.token, "speed 60")
    reg.facilitate(made.id, made.token, "start")
    reg.facilitate(made.id, made.token, "inject api-oom")
    wall.now += 30 * 60
    with pytest.raises(RoleError, match="communications role may not 'runbook'"):
        reg.act(comms, "runbook restart-service")
    assert reg.act(comms, "status checkout is down, we are on it") == "ok"
    with pytest.raises(RoleError, match="operations role may not 'severity'"):
        reg.act(ops, "severity P1")
    with reg.now(made.id) as live:
        kinds = {p.kind for p in live.gameday.prompts()}
    assert kinds <= {"page", "runbook", "noise", "step"}


def test_a_restarted_server_resumes_with_no_input_lost(tmp_path: Path) -> None:
    wall = Wall()
    reg = registry(tmp_path, wall)
    made = reg.create(str(SCENARIO), seed=2)
    _, key = reg.join(made.join_code, "ann", "commander")
    reg.facilitate(made.id, made.token, "speed 60")
    reg.facilitate(made.id, made.token, "start")
    reg.facilitate(made.id, made.token, "inject api-oom")
    wall.now += 8 * 60
    with reg.now(made.id) as live:
        kinds = [p.kind for p in live.gameday.prompts()]
    assert kinds == ["page"]
    reg.act(key, "ack")
    reg.facilitate(made.id, made.token, "pause")
    with reg.now(made.id) as live:
        before = (list(live.gameday.inputs), digest(live.gameday.events), live.gameday.now)
    restarted = registry(tmp_path, wall)  # a new process: only the SQLite file is shared
    with restarted.now(made.id) as live:
        after = (list(live.gameday.inputs), digest(live.gameday.events), live.gameday.now)
    assert after == before
    assert restarted.player(key).role == "commander"
