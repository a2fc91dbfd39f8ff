"""Shared by the training tests: the shipped training scenarios and their action files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sim.spec import ScenarioSpec, load_scenario
from sim.training import ScriptError, Session, play_script

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ("training-01-crash", "training-02-cascade", "training-03-night-shift")


def scenario_path(name: str) -> Path:
    return ROOT / "scenarios" / f"{name}.yaml"


def actions_path(name: str, persona: str) -> Path:
    return ROOT / "scenarios" / "training" / f"{name}.{persona}.actions"


@cache
def spec_of(name: str) -> ScenarioSpec:
    return load_scenario(scenario_path(name))


def played(name: str, persona: str, seed: int = 1) -> Session:
    session = Session(spec_of(name), seed)
    try:
        play_script(session, actions_path(name, persona))
    except ScriptError as exc:  # the world on this seed changed under the file
        raise AssertionError(
            f"{exc}\nif the engine changed on purpose: python -m tests.training.personas"
        ) from None
    return session
