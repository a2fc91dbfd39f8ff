"""``gameday train`` driven through a pseudo-terminal, as a person types into it."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from sim.training import debrief, read_actions

from .helpers import ROOT, actions_path, played, scenario_path

NAME = "training-01-crash"
PROMPT = "gameday> "


def _spawn(store: Path) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "100", "LINES": "50"}
    return pexpect.spawn(
        sys.executable,
        [
            "-m",
            "sim.cli",
            "train",
            str(scenario_path(NAME)),
            "--store",
            str(store),
            "--player",
            "tester",
        ],
        cwd=ROOT,
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 100),
    )


def _lines() -> list[str]:
    return [line for _n, line in read_actions(actions_path(NAME, "expert"))]


def _expected_score() -> str:
    return f"{debrief(played(NAME, 'expert')).score.total:g} / 100"


def _type_to_the_end(child: pexpect.spawn, lines: list[str]) -> None:
    """Type ``lines`` at the prompts; the debrief shows the expert's score, exit 0."""
    for line in lines:
        child.expect_exact(PROMPT)
        child.sendline(line)
    child.expect_exact(_expected_score())
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_the_terminal_game_completes_a_scenario_with_tab_completion(tmp_path: Path) -> None:
    child = _spawn(tmp_path / "t.sqlite")
    child.expect("acknowledge")
    child.expect_exact(PROMPT)
    lines = _lines()
    assert lines[0] == "ack"
    child.send("ac\t\r")  # tab completes 'ac' to 'ack'
    child.expect("how severe is it")
    _type_to_the_end(child, lines[1:])


def test_killed_mid_session_it_resumes_where_it_stopped(tmp_path: Path) -> None:
    store = tmp_path / "t.sqlite"
    lines = _lines()
    child = _spawn(store)
    for line in lines[:7]:
        child.expect_exact(PROMPT)
        child.sendline(line)
    child.expect_exact(PROMPT)  # the seventh command was applied and saved
    child.kill(signal.SIGKILL)
    child.close()
    assert child.signalstatus == signal.SIGKILL

    again = _spawn(store)
    again.expect(r"resuming session \w+ at Mon \d\d:\d\d \(7 inputs\)")
    _type_to_the_end(again, lines[7:])


@pytest.mark.parametrize("bad", ["severity P7", "runbook no-such-runbook", "approve"])
def test_a_wrong_command_is_explained_and_changes_nothing(tmp_path: Path, bad: str) -> None:
    child = _spawn(tmp_path / "t.sqlite")
    child.expect_exact(PROMPT)
    child.sendline("ack")
    child.expect_exact(PROMPT)
    child.sendline(bad)
    child.expect(r"usage|unknown runbook|does not answer this")
    child.expect_exact(PROMPT)
    child.sendeof()
    child.expect("resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
