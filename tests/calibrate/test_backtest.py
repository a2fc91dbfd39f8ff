"""Back-test: fitted on the earlier 75%, the simulated later period reproduces the
held-out actuals within their intervals."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from sim.calibrate import calibrate
from sim.calibrate.backtest import run_backtest, split_at
from sim.calibrate.synthetic import Truth, export_text, simulate_history
from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "exports" / "synthetic-opsgenie.csv"


def test_cli_holdout_reports_mttr_p90_and_rate_within_the_actual_ci(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "fitted.yaml"
    argv = ["calibrate", str(SAMPLE), "--format", "opsgenie", "--out", str(out)]
    assert main([*argv, "--holdout", "25%", "-n", "30", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)["backtest"]
    assert doc["holdout"] == 0.25 and doc["held_out"] > 50
    mttr = doc["figures"]["MTTR"]
    assert mttr["within"], mttr
    actual, low, high = mttr["actual"]
    assert low < actual < high
    for name in ("TTR p90", "incidents/week"):
        assert doc["figures"][name]["within"], (name, doc["figures"][name])


def test_backtest_on_another_synthetic_history(tmp_path: Path) -> None:
    """A different history (other seed, other rates): MTTR still reproduced."""
    truth = Truth(weeks=20, rates={"api": 8.0, "db": 2.0})
    incidents, _ = simulate_history(truth, 99)
    path = tmp_path / "history.csv"
    path.write_text(export_text(incidents, "incidentio"))
    bt = run_backtest(calibrate(path, "incidentio"), 0.25, replications=30, seed=3)
    mttr = bt.figure("MTTR")
    assert mttr.within, mttr
    # The model was fitted only on incidents opened before the cut.
    assert bt.fitted_on + bt.held_out == len(incidents)
    assert bt.fitted.clean.as_of == bt.cut


def test_split_censors_incidents_running_across_the_cut(tmp_path: Path) -> None:
    incidents, _ = simulate_history(Truth(weeks=8), 5)
    path = tmp_path / "history.csv"
    path.write_text(export_text(incidents, "opsgenie"))
    clean = calibrate(path, "opsgenie").clean
    fit_part, later, cut = split_at(clean, 0.25)
    assert all(i.created < cut for i in fit_part.incidents)
    assert all(i.created >= cut for i in later)
    for seen in fit_part.incidents:
        end = seen.created + timedelta(minutes=seen.ttr)
        assert end <= cut + timedelta(seconds=1)
        original = next(i for i in clean.incidents if i.id == seen.id)
        assert seen.ttr_censored == (original.created + timedelta(minutes=original.ttr) > cut)
