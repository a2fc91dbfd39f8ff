"""Journals: a game day exported in Chaos Toolkit's shape, replayed by ``gameday replay``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main
from sim.eventlog import digest, read_jsonl
from sim.live.journal import journal, training_journal, write_journal
from sim.training import Session, play_script

from .helpers import ROOT, scenario
from .test_gameday import team_day


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    played = team_day()
    path = tmp_path_factory.mktemp("journal") / "journal.json"
    write_journal(journal(played, "Tuesday game day"), path)
    return path, digest(played.events)


def test_the_journal_has_chaos_toolkits_shape(recorded: tuple[Path, str]) -> None:
    doc = json.loads(recorded[0].read_text())
    assert doc["status"] == "completed" and doc["deviated"] is False
    assert doc["experiment"]["title"] == "Tuesday game day"
    method = doc["experiment"]["method"]
    assert [a["name"] for a in method] == ["inject-1-api-oom", "inject-2-orders-db-latency"]
    assert method[1]["provider"]["arguments"]["at"] == 120.0
    who = {
        (r["activity"]["provider"]["arguments"]["who"], r["activity"]["provider"]["func"])
        for r in doc["run"]
    }
    assert ("facilitator", "facilitate") in who and ("bob", "act") in who
    ext = doc["experiment"]["extensions"][0]
    assert ext["name"] == "gameday" and ext["event_log_digest"] == recorded[1]


def test_replay_gives_a_byte_identical_event_log(
    recorded: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "events.jsonl"
    assert main(["replay", str(recorded[0]), "--events", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["identical"] is True and doc["digest"] == recorded[1]
    assert digest(read_jsonl(out)) == recorded[1]


def test_a_changed_input_gives_another_log(
    recorded: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(recorded[0].read_text())
    inputs = doc["experiment"]["extensions"][0]["inputs"]
    first_status = next(i for i in inputs if i[3].startswith("status"))
    first_status[3] = "status something else entirely"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc))
    assert main(["replay", str(edited)]) == 1
    assert "DIFFERENT" in capsys.readouterr().out


def test_a_training_session_replays_too(tmp_path: Path) -> None:
    spec = scenario()
    session = Session(spec, 1)
    play_script(session, ROOT / "scenarios" / "training" / "training-01-crash.expert.actions")
    path = tmp_path / "training.json"
    write_journal(training_journal(session), path)
    assert main(["replay", str(path)]) == 0


BAD = {
    "not JSON": ("{not json", "1:2: not JSON"),
    "no extension": (json.dumps({"experiment": {"extensions": []}}), "no 'gameday' entry"),
    "a list": ("[1, 2]", "no 'gameday' entry"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_journals_exit_2_with_a_message(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, message = BAD[name]
    path = tmp_path / "bad.json"
    path.write_text(text)
    assert main(["replay", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_broken_fields_name_where(
    recorded: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(recorded[0].read_text())
    ext = doc["experiment"]["extensions"][0]
    cases = [
        ("seed", "x", "gameday.seed: not an integer"),
        ("inputs", [[1, 2]], "gameday.inputs[0]: expected"),
        ("inputs", [[0.0, "f", "facilitator", "x" * 10_000, 0.0]], "gameday.inputs[0]"),
        ("scenario_digest", "0" * 64, "does not match its digest"),
    ]
    for key, value, message in cases:
        broken = json.loads(json.dumps(doc))
        broken["experiment"]["extensions"][0][key] = value
        path = tmp_path / f"{key}.json"
        path.write_text(json.dumps(broken))
        assert main(["replay", str(path)]) == 2, key
        assert message in capsys.readouterr().err
    heavy = json.loads(json.dumps(doc))
    heavy["experiment"]["extensions"][0]["scenario"]["horizon"] = 1e12
    path = tmp_path / "heavy.json"
    path.write_text(json.dumps(heavy))
    assert main(["replay", str(path)]) == 2
    assert "gameday.scenario.horizon: horizon of" in capsys.readouterr().err
    ext["scenario"]["horizon"] = -5
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(doc))
    assert main(["replay", str(path)]) == 2
    assert "gameday.scenario.horizon" in capsys.readouterr().err
    assert main(["replay", str(tmp_path / "missing.json")]) == 2
    assert "missing.json: cannot read: No such file" in capsys.readouterr().err


def test_what_is_not_a_small_regular_file_is_refused(
    recorded: tuple[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(["replay", "/dev/zero"]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert main(["replay", str(tmp_path)]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert main(["replay", str(recorded[0]), "--events", str(tmp_path)]) == 2
    assert "refusing to write over a folder" in capsys.readouterr().err
    monkeypatch.setattr("sim.live.journal.MAX_JOURNAL_BYTES", 1000)
    assert main(["replay", str(recorded[0])]) == 2
    assert "over the" in capsys.readouterr().err
