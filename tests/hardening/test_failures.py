"""Failure is not success: failed replications make compare, sweep and run exit 1 and
say how many failed and why, unless ``--allow-partial`` (issue 12)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

import sim.experiments.batches as batches
from sim.cli import main

from .helpers import scenario_dict, write_scenario


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every replication of strategy ``full`` fails as a crash inside the engine would."""
    real = batches.run_once

    def run_once(spec: Any, strategy: str, seed: int, **kw: Any) -> Any:
        result = real(spec, strategy, seed, **kw)
        if strategy != "full":
            return result
        trace = "Traceback (most recent call last):\nRuntimeError: the engine broke\n"
        return dataclasses.replace(result, error=trace)

    monkeypatch.setattr(batches, "run_once", run_once)


@pytest.fixture
def scenario(tmp_path: Path) -> str:
    return str(write_scenario(tmp_path / "s", scenario_dict()))


def test_compare_with_failed_replications_exits_1_and_says_why(
    failing: None, scenario: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["compare", scenario, "-n", "3", "--executor", "serial", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "3 of 6 replications failed" in err
    assert re.search(r"full: 3 failed; seed \d+: RuntimeError: the engine broke", err), err
    assert "--allow-partial" in err


def test_compare_allow_partial_accepts_them_but_still_counts(
    failing: None, scenario: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["compare", scenario, "-n", "3", "--executor", "serial", "--allow-partial"])
    assert code == 0
    assert "3 of 6 replications failed" in capsys.readouterr().err


def test_sweep_with_failed_replications_exits_1(
    failing: None, scenario: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["sweep", scenario, "--param", "responders=2,3", "-n", "2", "--executor", "serial"]
    code = main([*args, "--out", str(tmp_path / "sw"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "4 of 8 replications failed" in err
    assert "RuntimeError: the engine broke" in err
    code = main([*args, "--out", str(tmp_path / "sw2"), "--quiet", "--allow-partial"])
    assert code == 0


def test_run_with_a_failed_replication_exits_1(
    scenario: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sim.engine.run as engine_run

    def broken(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(engine_run, "compile_scenario", broken)
    assert main(["run", scenario, "--strategy", "full"]) == 1
    assert "the engine broke" in capsys.readouterr().err
