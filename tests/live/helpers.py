"""A scripted team for live game-day tests: who answers which decision, with what."""

from __future__ import annotations

from pathlib import Path

from sim.live import GameDay
from sim.spec import load_scenario
from sim.spec.scenario import ScenarioSpec

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "training-01-crash.yaml"

#: The answer a careful team gives to each decision, and the role that gives it.
ANSWERS = {
    "page": ("commander", "ack"),
    "triage": ("commander", "severity P1"),
    "noise": ("commander", "dismiss"),
    "runbook": ("operations", "runbook restart-service"),
    "approve": ("commander", "approve"),
    "step": ("operations", "do"),
}
PLAYERS = {"commander": "ann", "operations": "bob"}


def scenario() -> ScenarioSpec:
    return load_scenario(SCENARIO)


def answer_all(gameday: GameDay) -> list[str]:
    """Answer every waiting decision the way ``ANSWERS`` says; return what was given."""
    given = []
    for prompt in gameday.prompts():
        role, text = ANSWERS[prompt.kind]
        gameday.act(PLAYERS[role], role, text)
        given.append(text)
    return given


def play(gameday: GameDay, until: float, step: float = 1.0) -> None:
    """Let the world run to ``until`` minute by minute, answering as it goes."""
    t = gameday.now
    while t < until:
        t = min(until, t + step)
        gameday.advance_to(t)
        answer_all(gameday)
