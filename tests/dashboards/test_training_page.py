"""The Training page under AppTest: played with its buttons and its command box to the
debrief, whose numbers must be the session's; a new browser session resumes from the URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sim.training import debrief, read_actions

from ..training.helpers import actions_path, played
from .conftest import APP

NAME = "training-01-crash"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("GAMEDAY_RESULTS_DIR", str(tmp_path))
    monkeypatch.setenv("GAMEDAY_TRAINING_DB", str(tmp_path / "training.sqlite"))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("pages/training.py")
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}: {[b.label for b in at.button]}"
    return found[0]


def send(at: AppTest, line: str) -> AppTest:
    at.text_input(key="t-command").set_value(line)
    return ok(button(at, "Send").click().run())


def test_the_page_plays_a_scenario_to_the_debrief(app: AppTest) -> None:
    at = ok(app)
    at.selectbox[0].select(NAME)
    at = ok(button(at, "Start or resume").click().run())
    assert "acknowledge" in at.info[0].value
    lines = [line for _n, line in read_actions(actions_path(NAME, "expert"))]
    assert lines[:2] == ["ack", "severity P0"]
    at = ok(button(at, "Acknowledge").click().run())  # the buttons ...
    assert "how severe" in at.info[0].value
    at.selectbox(key="t-severity").select("P0")
    at = ok(button(at, "Set severity").click().run())
    assert "what do you do" in at.info[0].value
    assert any("P0" in str(df.value) for df in at.dataframe)  # the incident now shows P0
    for line in lines[2:]:  # ... and the command box, as typed in the terminal
        at = send(at, line)
    expected = debrief(played(NAME, "expert"))
    assert at.metric[0].value == f"{expected.score.total:g} / 100"
    assert any("Debrief" in s.value for s in at.subheader)
    shown = "".join(str(t.value) for t in at.table)
    for part in expected.score.parts:
        assert part.name in shown and f"{part.points:g}" in shown
    assert any("api-oom (crash)" in m.value for m in at.markdown)  # revealed only now


def test_a_wrong_command_shows_why_and_changes_nothing(app: AppTest) -> None:
    at = ok(app)
    at.selectbox[0].select(NAME)
    at = ok(button(at, "Start or resume").click().run())
    at = send(at, "approve")
    assert at.error and "does not answer this" in at.error[0].value
    assert "acknowledge" in at.info[0].value


def test_a_new_browser_session_resumes_from_the_url(app: AppTest, tmp_path: Path) -> None:
    at = ok(app)
    at.selectbox[0].select(NAME)
    at = ok(button(at, "Start or resume").click().run())
    at = ok(button(at, "Acknowledge").click().run())
    sid = at.query_params["session"]
    sid = sid[0] if isinstance(sid, list) else sid
    clock = at.info[0].value.split("**")[1]

    fresh = AppTest.from_file(str(APP), default_timeout=120)  # another browser tab
    fresh.run()
    fresh.switch_page("pages/training.py")
    fresh.query_params["session"] = sid  # the URL it was opened with
    fresh = ok(fresh.run())
    assert "how severe" in fresh.info[0].value
    assert fresh.info[0].value.split("**")[1] == clock
