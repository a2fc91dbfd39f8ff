"""Warm-up: incidents whose fault started before it are simulated but not counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine import run_once
from sim.metrics import incident_rows
from sim.spec import load_scenario
from sim.spec.variants import with_warmup
from tests.cli import gameday

ROOT = Path(__file__).resolve().parents[2]


def test_warmup_drops_early_incidents_and_changes_nothing_else() -> None:
    spec = load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")
    warm = with_warmup(spec, 60 * 1440.0)
    base = run_once(spec, "semi", 3)
    cut = run_once(warm, "semi", 3)
    # The same world: the log differs only by the warmup_end record.
    assert [e for e in cut.events if e.kind != "warmup_end"] == base.events
    (mark,) = [e for e in cut.events if e.kind == "warmup_end"]
    assert mark.t == 60 * 1440.0 and mark.details == {"warmup": 60 * 1440.0}
    all_rows = incident_rows(base.events, base.horizon)
    kept = incident_rows(cut.events, cut.horizon)
    expected = [r["incident"] for r in all_rows if not r["onset"] < mark.t]
    assert [r["incident"] for r in kept] == expected
    assert 0 < len(kept) < len(all_rows)


def test_warmup_option_is_checked_against_the_horizon() -> None:
    proc = gameday("run", "scenarios/seed-benchmark.yaml", "--warmup", "400d")
    assert proc.returncode == 2 and "must end before the horizon" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("value", ["nan", "-5", "inf"])
def test_warmup_option_refuses_what_is_not_a_span_of_time(value: str) -> None:
    proc = gameday("run", "scenarios/seed-benchmark.yaml", f"--warmup={value}")
    assert proc.returncode == 2, proc.stderr
    assert f"argument --warmup: expected a duration of zero or more, got '{value}'" in proc.stderr
    assert "Traceback" not in proc.stderr
