"""``gameday train`` on bad input: a clear message naming the file and line, exit 2, no
traceback; an action file that stops early leaves a session to resume (exit 1)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sim.commands.train import default_player
from sim.training import Session, TrainingStore
from tests.cli import gameday

from .helpers import ROOT, scenario_path, spec_of


def train(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    return gameday("train", *args, "--store", str(tmp / "t.sqlite"), timeout=120, stdin="")


def test_a_line_that_cannot_be_played_is_named_with_its_file_and_line(tmp_path: Path) -> None:
    actions = tmp_path / "bad.actions"
    actions.write_text("# first a good one\nack\nseverity P9\n", encoding="utf-8")
    done = train(str(scenario_path("training-01-crash")), "--actions", str(actions), tmp=tmp_path)
    assert done.returncode == 2
    assert f"{actions}:3: usage: severity P0|P1|P2|P3" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_broken_scenario_is_reported_with_line_and_column(tmp_path: Path) -> None:
    broken = ROOT / "tests" / "spec" / "broken" / "scenario-training-unknown-names.yaml"
    done = train(str(broken), tmp=tmp_path)
    assert done.returncode == 2
    assert "scenario-training-unknown-names.yaml:37:9: unknown roster role 'primay'" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unknown_role_is_refused(tmp_path: Path) -> None:
    done = train(str(scenario_path("training-01-crash")), "--role", "boss", tmp=tmp_path)
    assert done.returncode == 2
    assert "unknown role 'boss'" in done.stderr


def test_an_action_file_that_stops_early_leaves_a_session_to_resume(tmp_path: Path) -> None:
    actions = tmp_path / "short.actions"
    actions.write_text("ack\nseverity P0\n", encoding="utf-8")
    done = train(str(scenario_path("training-01-crash")), "--actions", str(actions), tmp=tmp_path)
    assert done.returncode == 1
    session = Session(spec_of("training-01-crash"), 1)
    for line in ("ack", "severity P0"):
        session.act(line)
    assert f"the session is not over (at {session.clock()})" in done.stderr
    assert "to resume" in done.stderr
    store = TrainingStore(tmp_path / "t.sqlite")
    sid = store.unfinished("training-01-crash", 1, "primary", default_player())
    assert sid is not None and [i.text for i in store.inputs(sid)] == ["ack", "severity P0"]
