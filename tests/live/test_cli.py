"""``gameday live`` and ``gameday replay`` from the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli import main
from sim.live.registry import Registry
from sim.live.store import GameDayStore
from sim.spec import load_scenario

from .helpers import SCENARIO


def test_create_play_export_replay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "gd.sqlite")
    assert main(["live", "--store", store, "create", str(SCENARIO), "--seed", "4"]) == 0
    out = capsys.readouterr().out
    gid = re.search(r"game day\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    token = re.search(r"token\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    code = re.search(r"join code\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    registry = Registry(GameDayStore(store), load_scenario)
    _, key = registry.join(code, "ann", "commander")
    registry.facilitate(gid, token, "speed stepped")
    registry.facilitate(gid, token, "inject api-oom at 5m")
    for _ in range(40):
        registry.facilitate(gid, token, "next")
        with registry.now(gid) as live:
            waiting = [p.kind for p in live.gameday.prompts()]
        if waiting == ["page"]:
            break
    assert registry.act(key, "ack") == "ok"
    registry.facilitate(gid, token, "action automate the restart")
    registry.facilitate(gid, token, "end")
    journal, report = tmp_path / "j.json", tmp_path / "report"
    assert (
        main(
            [
                "live",
                "--store",
                store,
                "export",
                gid,
                "--journal",
                str(journal),
                "--report",
                str(report),
            ]
        )
        == 0
    )
    markdown = (report / "report.md").read_text()
    assert "| ann | commander | ack |" in markdown and "automate the restart" in markdown
    assert main(["replay", str(journal)]) == 0
    assert "identical to the recorded log" in capsys.readouterr().out


def test_bad_requests_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "gd.sqlite")
    assert main(["live", "--store", store, "export", "nope", "--journal", "x.json"]) == 2
    assert "no game day 'nope'" in capsys.readouterr().err
    assert main(["live", "--store", store, "create", str(tmp_path / "missing.yaml")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_export_refuses_to_write_over_a_folder_or_a_device(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "gd.sqlite")
    assert main(["live", "--store", store, "create", str(SCENARIO)]) == 0
    gid = re.search(r"game day\s+(\S+)", capsys.readouterr().out).group(1)  # type: ignore[union-attr]
    assert main(["live", "--store", store, "export", gid, "--journal", str(tmp_path)]) == 2
    assert "refusing to write over a folder" in capsys.readouterr().err
    assert main(["live", "--store", store, "export", gid, "--journal", "/dev/null"]) == 2
    assert "refusing to write over a" in capsys.readouterr().err
    file = tmp_path / "file"
    file.write_text("x")
    assert main(["live", "--store", store, "export", gid, "--report", str(file)]) == 2
    assert "not a folder" in capsys.readouterr().err
