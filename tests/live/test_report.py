"""The after-game report: every action with who did it, baselines on the same faults."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sim.engine import run_once
from sim.live import GameDay
from sim.live.aftergame import AfterGame, after_game
from sim.live.inject import with_injections
from sim.live.report import report_document, write_report
from sim.metrics import incident_rows
from sim.spec.clock import format_span

from .test_gameday import team_day


@pytest.fixture(scope="module")
def after() -> tuple[AfterGame, GameDay]:
    played = team_day()
    return after_game(played, "Tuesday game day"), played


def test_every_input_is_listed_with_who_gave_it(after: tuple[AfterGame, GameDay]) -> None:
    report, played = after
    assert [(m.who, m.role, m.what) for m in report.actions] == [
        (i.who, i.role, i.text) for i in played.inputs
    ]
    markdown = report_document(report).to_markdown()
    for moment in report.actions:
        assert f"| {moment.who} | {moment.role} | {moment.what} |" in markdown


def test_baselines_are_the_strategies_on_the_same_fault_occurrence(
    after: tuple[AfterGame, GameDay],
) -> None:
    report, played = after
    (line,) = [x for x in report.incidents if x.fault == "inject-1-api-oom"]
    assert line.injected
    spec = with_injections(played.spec, played.injections)
    for strategy in ("manual", "semi", "full"):
        rows = incident_rows(run_once(spec, strategy, 3).events)
        (row,) = [r for r in rows if r["fault"] == "inject-1-api-oom"]
        assert line.baselines[strategy]["ttr"] == pytest.approx(row["ttr"])
    (team,) = [r for r in incident_rows(played.events) if r["fault"] == "inject-1-api-oom"]
    assert line.team["ttr"] == pytest.approx(team["ttr"])
    assert not math.isnan(line.team["tta"])
    markdown = report_document(report).to_markdown()
    assert format_span(line.team["ttr"]) in markdown


def test_notes_messages_and_injections_are_in_the_report(
    after: tuple[AfterGame, GameDay], tmp_path: Path
) -> None:
    report, _ = after
    html_path, md_path = write_report(report_document(report), tmp_path)
    markdown = md_path.read_text()
    assert "IC declared late" in markdown
    assert "leadership is asking for an update" in markdown
    assert "INJECTED api: fault inject-1-api-oom starts" in markdown
    assert "Mon 10:12" in markdown  # clock time, not minutes
    assert "IC declared late" in html_path.read_text()
