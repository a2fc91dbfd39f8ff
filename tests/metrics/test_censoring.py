"""Censored data: waits and repairs still under way at the horizon are never zero.

- A wait still going at the horizon counts with its age then and is flagged; the
  summary counts it; a ``max_wait`` expectation fails on it (it passed before, when
  such a wait read as 0).
- The Kaplan–Meier median of TTR under heavy censoring matches the exact median of a
  known distribution within its interval, where the median over the mitigated
  incidents alone is biased low.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import yaml

from sim.engine import run_once
from sim.metrics import incident_rows, summarize
from sim.metrics.survival import km_quantiles
from sim.spec import ScenarioSpec
from tests.engine.builders import ONE_STEP_RUNBOOK, queue_scenario

ROOT = Path(__file__).resolve().parents[2]


def _blocked(horizon: float = 500.0, expect: list[dict] | None = None) -> dict:
    """One responder busy for 1000 minutes from t=0; a second incident from t=10 waits
    for them past the horizon (500)."""
    runbook = {
        **ONE_STEP_RUNBOOK,
        "steps": [{**ONE_STEP_RUNBOOK["steps"][0], "manual": {"duration": 1000}}],
    }
    return {
        "kind": "scenario",
        "name": "blocked",
        "horizon": horizon,
        "runbooks": [runbook],
        "triage": {"rules": []},
        "services": {"a": {}, "b": {}},
        "faults": {
            "a-crash": {"kind": "crash", "target": "a", "at": [0]},
            "b-crash": {"kind": "crash", "target": "b", "at": [10]},
        },
        "alert_rules": {"down": {"signal": "availability", "op": "<", "threshold": 0.5}},
        "responders": {
            "roster": [{"role": "oncall"}],
            "ack_time": 0,
            "triage_time": 0,
            "diagnosis_time": 0,
            "wrong_runbook_probability": 0,
        },
        "strategies": {"manual": {}},
        "expect": expect or [],
    }


def test_a_wait_past_the_horizon_counts_its_age_and_is_reported() -> None:
    spec = ScenarioSpec.model_validate(_blocked())
    result = run_once(spec, "manual", 1)
    rows = incident_rows(result.events, result.horizon)
    assert [r["wait_censored"] for r in rows] == [False, True]
    assert rows[1]["waited"] == spec.horizon - rows[1]["detected"] > 480
    assert [r["censored"] for r in rows] == [True, True]  # neither repair is over
    summary = summarize(rows)
    assert summary["censored"] == {"ttr": 2, "waits": 1}
    # Without the horizon, the age is unknown: NaN, never zero.
    assert math.isnan(incident_rows(result.events)[1]["waited"])


def test_max_wait_fails_on_a_wait_still_under_way(tmp_path: Path) -> None:
    path = tmp_path / "blocked.yaml"
    path.write_text(yaml.safe_dump(_blocked(expect=[{"check": "max_wait", "max": 60}])))
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "test", str(path), "-n", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    out = " ".join((proc.stdout + proc.stderr).split())  # the report wraps lines
    assert proc.returncode == 1, out
    assert "longest wait for a responder 490.0 min (8h10m) (still waiting at the horizon)" in out
    assert "> max 60.0 min" in out, out
    assert "2 wait(s) still under way at the horizon" in out, out  # one per replication


def test_kaplan_meier_median_matches_the_exact_median_under_heavy_censoring() -> None:
    """Repairs ~ exponential(mean 600 min) started at random over a 1500-minute run:
    about 40% are still open at the horizon. The exact median is 600 ln 2 = 415.9."""
    spec = queue_scenario(
        responders=400, services=400, incidents_per_hour=2, handling_mean=600, horizon_hours=25
    )
    observed: list[float] = []
    censored: list[bool] = []
    naive: list[float] = []
    for seed in range(8):
        result = run_once(spec, "queue", seed)
        assert result.ok, result.error
        for row in incident_rows(result.events, result.horizon):
            observed.append(row["ttr_observed"])
            censored.append(row["censored"])
            if not row["censored"]:
                naive.append(row["ttr"])
    exact = 600 * math.log(2)
    km = km_quantiles(observed, censored)
    lo, hi = km["median"]["ci95"]
    assert km["censored"] > 0.3 * km["n"]  # the censoring is heavy
    assert lo <= exact <= hi, km
    assert hi - lo < 0.5 * exact  # an interval narrow enough to be able to fail
    # Leaving the censored out is biased low: the exact median is above its interval.
    assert float(np.median(naive)) < lo
