"""What the commands share (``sim.commands.common``): scenario and strategies, JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main
from sim.commands.common import load_with_strategies

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = str(ROOT / "scenarios" / "seed-benchmark.yaml")


def test_strategies_default_to_all_in_file_order() -> None:
    loaded = load_with_strategies(SCENARIO, None)
    assert loaded is not None
    spec, strategies = loaded
    assert strategies == list(spec.strategies)
    assert load_with_strategies(SCENARIO, ["full"], None) == (spec, ["full"])


def test_the_first_problem_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown strategy comes before the caller's checks; one line, then None."""
    assert load_with_strategies(SCENARIO, ["nope"], "-n must be at least 2") is None
    err = capsys.readouterr().err
    assert err == f"{SCENARIO}: unknown strategy nope (known: manual, semi, full)\n"
    assert load_with_strategies(SCENARIO, None, None, "-n bad", "--workers bad") is None
    assert capsys.readouterr().err == f"{SCENARIO}: -n bad\n"
    assert load_with_strategies(str(ROOT / "nope.yaml"), None) is None
    assert "nope.yaml" in capsys.readouterr().err


def test_run_json_is_valid_json_without_incidents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A replication too short for any incident has no MTTR: null, not NaN (not JSON)."""
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "runbooks").symlink_to(ROOT / "runbooks", target_is_directory=True)
    (tmp_path / "scenarios" / "triage").symlink_to(
        ROOT / "scenarios" / "triage", target_is_directory=True
    )
    text = (
        Path(SCENARIO).read_text(encoding="utf-8").replace("\nhorizon: 365d\n", "\nhorizon: 1m\n")
    )
    short = tmp_path / "scenarios" / "short.yaml"
    short.write_text(text, encoding="utf-8")
    assert main(["run", str(short), "--json"]) == 0
    out = capsys.readouterr().out
    doc = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))
    assert doc["incidents"] == 0
    assert doc["mttr"] == {"mean": None, "median": None, "p90": None}
