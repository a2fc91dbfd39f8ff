"""``gameday test``: exit codes 0 / 1 / 2, the report, JSON and journals."""

from __future__ import annotations

import json
from pathlib import Path

from sim.testing import DEFAULT_REPLICATIONS, METRIC_RULE

from .conftest import FAILING, ROOT, Gameday, line_of, write_library


def test_passing_library_exits_0_and_reports_each_expectation(
    library: Path, gameday: Gameday
) -> None:
    code, out, err = gameday("test", "--executor", "serial")
    assert code == 0, out + err
    scenario = Path("scenarios/tiny.yaml")
    line = line_of(scenario, "mttr.mean, max: 1h")
    # One short line per case: which expectation (counted from 1) and where.
    assert f"  PASS  scenarios/tiny.yaml:{line}  expect 3: mttr.mean <= 1h for manual\n" in out
    assert "95% CI [" not in out, "a passing case shows no details"
    assert max(len(x) for x in out.splitlines()) <= 80, out
    # --verbose: the measured value with its CI, and the verdict, wrapped to 80 columns.
    code, out, err = gameday("test", "--executor", "serial", "--verbose")
    assert code == 0, out + err
    assert f"rule: {' '.join(METRIC_RULE.split()[:6])}" in out
    flat = " ".join(out.split())  # the report wraps long lines
    assert "95% CI [" in flat
    assert (
        "web-down -> P1 for all 1 alert(s) (fault web-crash on web), decided by down-is-p1" in flat
    )
    assert "fixes crash" in out and "fix-crash fixed 'crash' in 20/20 drills" in flat
    assert out.rstrip().endswith("-> exit 0 (ok)")


def test_failing_expectation_exits_1_and_says_what_where_and_why(
    tmp_path: Path, gameday: Gameday, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    scenario = write_library(tmp_path, extra=FAILING)
    code, out, _ = gameday("test", "scenarios", "--executor", "serial")
    assert code == 1
    line = line_of(scenario, "name: impossible")
    flat = " ".join(out.split())  # lines are wrapped to 80 columns
    assert (
        f"FAIL scenarios/tiny.yaml:{line} expect 8: impossible (mttr.mean <= 1m for manual)" in flat
    )
    assert "-> FAIL (upper " in flat and "> max 1.0 min)" in flat
    assert "rule: upper end of the 95% CI <= max (cluster bootstrap over replications" in flat
    assert max(len(x) for x in out.splitlines() if " " in x.strip()) <= 80, out
    assert "expectations failed" in out


def test_bad_input_exits_2(library: Path, gameday: Gameday) -> None:
    broken = library / "scenarios" / "broken.yaml"
    broken.write_text("kind: scenario\nname: broken\nhorizon: -3d\n")
    code, out, _ = gameday("test", "scenarios", "--executor", "serial")
    assert code == 2
    assert "ERROR scenarios/broken.yaml:" in out
    assert "bad input" in out
    # The other files were still tested and reported.
    assert "PASS  scenarios/tiny.yaml:" in out

    assert gameday("test", "no-such-folder")[0] == 2
    assert gameday("test", "scenarios/tiny.yaml", "-n", "1")[0] == 2


def test_json_is_one_document_with_cases_and_positions(library: Path, gameday: Gameday) -> None:
    code, out, _ = gameday("test", "scenarios/tiny.yaml", "--json", "--executor", "serial")
    doc = json.loads(out)
    assert code == doc["exit_code"] == 0
    assert doc["replications"] == 30
    (tiny,) = doc["files"]
    names = [c["name"] for c in tiny["cases"]]
    assert names[0] == "validate" and names[-1] == "replications run to the horizon"
    metric = next(c for c in tiny["cases"] if c["kind"] == "metric")
    assert metric["line"] == line_of(Path("scenarios/tiny.yaml"), "mttr.mean, max: 1h")
    manual = metric["measured"]["strategies"]["manual"]
    assert manual["ci95"][0] <= manual["value"] <= manual["ci95"][1] <= 60


def test_journals_are_chaos_toolkit_like(tmp_path: Path, gameday: Gameday, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_library(tmp_path, extra=FAILING)
    code, _, _ = gameday("test", "--journal", "journals", "--executor", "serial")
    assert code == 1
    scenario = json.loads(Path("journals/scenarios__tiny.journal.json").read_text())
    assert scenario["status"] == "failed" and scenario["deviated"] is True
    actions = [a for a in scenario["run"] if a["activity"]["type"] == "action"]
    assert [a["activity"]["name"] for a in actions] == [
        "simulate strategy manual",
        "simulate strategy auto",
    ]
    for step in scenario["run"]:
        assert step["start"] <= step["end"]
        assert step["status"] in ("succeeded", "failed")
    failed = [s for s in scenario["run"] if s["status"] == "failed"]
    assert [s["activity"]["name"] for s in failed] == [
        "expect 8: impossible (mttr.mean <= 1m for manual)"
    ]
    runbook = json.loads(Path("journals/runbooks__fix-crash.journal.json").read_text())
    assert runbook["status"] == "completed"


def test_strategy_filter_skips_expectations_about_other_strategies(
    library: Path, gameday: Gameday
) -> None:
    code, out, _ = gameday(
        "test", "scenarios/tiny.yaml", "--strategy", "auto", "--executor", "serial", "-v"
    )
    assert code == 0
    assert "SKIP  scenarios/tiny.yaml:" in out and "expect 3: mttr.mean <= 1h for manual" in out
    assert "60 replications" not in out and "30 replications ran (auto)" in out


def test_runbook_checks_run_alone_on_the_shipped_runbooks(gameday: Gameday, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = gameday("test", "runbooks", "--executor", "serial", "--quiet")
    assert code == 0, out + err
    assert "runbook restart-service" in out
    for kind in ("crash", "error_rate", "resource_exhaustion"):
        assert f"  fixes {kind}\n" in out
    assert "declares its fixing step\n" in out


def test_help_states_the_default_replications(gameday: Gameday) -> None:
    from sim.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    text = sub.choices["test"].format_help()  # type: ignore[attr-defined]
    assert f"default {DEFAULT_REPLICATIONS};" in text


def test_no_paths_and_no_default_folders_is_bad_input(
    tmp_path: Path, gameday: Gameday, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = gameday("test")
    assert code == 2 and "no PATH given" in err
