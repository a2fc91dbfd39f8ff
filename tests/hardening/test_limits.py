"""Bounded work: a spec or an argument that would run away is refused before the run,
and a run that reaches the event cap stops with a message (issue 12)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sim.cli import main

from .helpers import ROOT, clean_error, run_cli, scenario_dict, write_scenario


def validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", str(path)])
    return code, capsys.readouterr().err


def test_horizon_of_a_trillion_minutes_is_refused_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = scenario_dict()
    doc["horizon"] = 1e12
    code, err = validate(write_scenario(tmp_path, doc), capsys)
    assert code == 2
    assert ":3:10: horizon of 1,000,000,000,000 minutes is over the limit" in err
    assert "[limit]" in err


@pytest.mark.parametrize("mean", ["0.000001", "30s"])
def test_a_fault_arriving_more_than_once_a_minute_is_refused(
    mean: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = scenario_dict()
    doc["faults"]["api-crash"]["tbf"] = {"dist": "exponential", "mean": mean}
    code, err = validate(write_scenario(tmp_path, doc), capsys)
    assert code == 2, err
    line = next(i for i, t in enumerate(err.splitlines()) if "[limit]" in t)
    assert "fault 'api-crash' arrives every" in err.splitlines()[line]
    assert "scenario.yaml:" in err


def test_tbf_zero_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = scenario_dict()
    doc["faults"]["api-crash"]["tbf"] = 0
    code, err = validate(write_scenario(tmp_path, doc), capsys)
    assert code == 2
    assert "arrives every 0 minutes on average" in err


def test_many_faults_each_under_the_rate_limit_are_refused_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = scenario_dict()
    doc["horizon"] = "3650d"
    for i in range(40):  # 40 x 3650 d / 1 h = 3.5 million onsets
        doc["faults"][f"f{i}"] = {**doc["faults"]["api-crash"], "tbf": "1h"}
    code, err = validate(write_scenario(tmp_path, doc), capsys)
    assert code == 2
    assert "fault onsets per replication expected" in err


def test_a_noise_flood_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = scenario_dict()
    doc["horizon"] = "3650d"
    doc["alert_rules"]["errors"]["noise_per_day"] = 1000  # x 4 services x 3650 days
    code, err = validate(write_scenario(tmp_path, doc), capsys)
    assert code == 2
    assert "noise alerts per replication expected" in err


def test_sweep_param_horizon_1e12_is_refused_before_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_scenario(tmp_path, scenario_dict())
    out = tmp_path / "out"
    code = main(["sweep", str(path), "--param", "horizon=1e12", "--out", str(out), "-n", "1"])
    assert code == 2
    assert "over the limit" in capsys.readouterr().err
    assert not out.exists()


def test_a_grid_of_a_hundred_million_cells_is_refused_at_once(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, scenario_dict())
    grid = [f"--param={k}=0:1:0.01" for k in ("automation_coverage", "assist")]
    grid += ["--param=ack_scale=1:101:1", "--param=wrong_runbook_probability=0:1:0.01"]
    result = run_cli("sweep", str(path), *grid, "--out", str(tmp_path / "o"), timeout=60)
    err = clean_error(result)
    assert "the grid has 104,060,401 cells; the limit is 10,000" in err


def test_compare_with_a_billion_replications_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_scenario(tmp_path, scenario_dict())
    assert main(["compare", str(path), "-n", "1000000000"]) == 2
    assert "over the limit of 100,000 replications" in capsys.readouterr().err


def test_the_event_cap_stops_a_run_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.engine.logbook as logbook
    from sim.engine import run_once
    from sim.spec import load_scenario

    monkeypatch.setattr(logbook, "MAX_EVENTS_PER_REPLICATION", 500)
    spec = load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")
    result = run_once(spec, "manual", 1)
    assert not result.ok
    assert result.error is not None
    assert "reached the cap of 500 events per replication" in result.error
    assert "Traceback" not in result.error
    assert len(result.events) == 500  # what was logged before the cap is kept


def test_run_reaching_the_event_cap_exits_1_with_the_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sim.engine.logbook as logbook

    monkeypatch.setattr(logbook, "MAX_EVENTS_PER_REPLICATION", 500)
    code = main(["run", str(ROOT / "scenarios" / "seed-benchmark.yaml"), "--json"])
    out = capsys.readouterr()
    assert code == 1
    assert "cap of 500 events" in out.err
    assert "Traceback" not in out.err


def test_the_dashboard_applies_the_same_limits() -> None:
    sys.path.insert(0, str(ROOT / "dashboards"))
    try:
        from gameday_ui.scenarios import check_text
    finally:
        sys.path.remove(str(ROOT / "dashboards"))
    import yaml

    doc = scenario_dict()
    doc["runbooks"] = ["../runbooks"]
    doc["triage"] = "triage/standard.yaml"
    doc["faults"]["api-crash"]["tbf"] = "0.001"
    doc["faults"]["api-crash"]["runbooks"] = ["restart-service"]
    checked = check_text(yaml.safe_dump(doc, sort_keys=False))
    assert checked.spec is None
    assert any(d.rule == "limit" and "arrives every" in d.message for d in checked.errors), [
        str(d) for d in checked.diagnostics
    ]
