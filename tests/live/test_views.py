"""What players read: an observation for the role, never the fault behind it."""

from __future__ import annotations

from dataclasses import astuple, replace

from sim.live import GameDay
from sim.live.views import player_view, timeline

from .helpers import scenario


def test_a_player_sees_symptoms_not_the_fault() -> None:
    gameday = GameDay(scenario(), 3)
    gameday.act("ann", "commander", "join")
    gameday.facilitate("inject api-oom")
    gameday.advance_to(8)
    view = player_view(gameday, "commander")
    assert [p.kind for p in view.prompts] == ["page"]
    assert view.pages and view.incidents
    text = repr(astuple(replace(view, runbooks=())))  # the runbook list is the same for all
    for hidden in ("api-oom", "inject-1", "crash", "oom"):
        assert hidden not in text
    # Operations is not played: nothing waits for it, and the page is the commander's.
    assert player_view(gameday, "operations").prompts == ()


def test_the_timeline_marks_injections_in_clock_time() -> None:
    gameday = GameDay(scenario(), 3)
    gameday.facilitate("inject api-oom at 20m")
    gameday.advance_to(40)
    marked = [m for m in timeline(gameday) if m.injected]
    assert [(m.clock, m.role) for m in marked] == [
        ("Mon 10:00", "facilitator"),
        ("Mon 10:20", "world"),
    ]
    assert marked[1].what.startswith("INJECTED api: fault inject-1-api-oom starts")
