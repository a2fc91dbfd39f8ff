"""Mutation check: break a shipped runbook on purpose; ``gameday test`` must say so.

A copy of the shipped ``saas-small-team`` scenario (with its triage rules) and of every
shipped runbook goes to tmp_path; ``restart-service`` -- the runbook behind ~45% of that
team's incidents -- is then broken in one of three ways. ``gameday test`` runs on the
copy with the default replications and seed, for the ``manual`` strategy (the one whose
expectations guard this runbook), and each break must be reported (exit 1) by the
expectation or check that is meant to catch it, with a precise message. The unbroken
copy must pass, so every catch is due to the break.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.spec import parse_duration

from .conftest import ROOT, Gameday

RUNBOOK = "restart-service"
FIXING_STEP = "restart-pods"


def _step(doc: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(s for s in doc["steps"] if s["id"] == step_id)


def remove_fixing_step(doc: dict[str, Any]) -> None:
    """Delete the step marked ``mitigates``; keep the runbook valid (goto retargeted)."""
    assert _step(doc, FIXING_STEP).get("mitigates") is True
    doc["steps"] = [s for s in doc["steps"] if s["id"] != FIXING_STEP]
    for step in doc["steps"]:
        if step.get("on_failure") == f"goto:{FIXING_STEP}":
            step["on_failure"] = "goto:announce"


def fixing_step_always_fails(doc: dict[str, Any]) -> None:
    step = _step(doc, FIXING_STEP)
    step["manual"]["failure_probability"] = 1.0
    step["automated"]["failure_probability"] = 1.0


def double_manual_step_time(doc: dict[str, Any]) -> None:
    duration = _step(doc, FIXING_STEP)["manual"]["duration"]
    assert duration["dist"] == "lognormal"
    for key in ("median", "p90"):
        duration[key] = f"{2 * parse_duration(duration[key]):g}m"


def unchanged(doc: dict[str, Any]) -> None:
    return None


def copy_library(root: Path, mutate: Callable[[dict[str, Any]], None]) -> None:
    (root / "scenarios").mkdir(parents=True)
    shutil.copy(ROOT / "scenarios" / "saas-small-team.yaml", root / "scenarios")
    shutil.copytree(ROOT / "scenarios" / "triage", root / "scenarios" / "triage")
    shutil.copytree(ROOT / "runbooks", root / "runbooks")
    target = root / "runbooks" / f"{RUNBOOK}.yaml"
    doc = yaml.safe_load(target.read_text())
    mutate(doc)
    target.write_text(yaml.safe_dump(doc, sort_keys=False))


def failed(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Failed cases by (file, case name)."""
    return {
        (f["file"], c["name"]): c
        for f in report["files"]
        for c in f["cases"]
        if c["status"] != "passed" and c["status"] != "skipped"
    }


def metric_case(cases: dict[tuple[str, str], dict[str, Any]], metric: str) -> dict[str, Any]:
    found = [
        c for (file, _), c in cases.items()
        if c["kind"] == "metric" and c["measured"]["metric"] == metric
    ]  # fmt: skip
    assert found, f"no failed {metric} expectation among {sorted(cases)}"
    return found[0]


SCENARIO = "scenarios/saas-small-team.yaml"
RUNBOOK_FILE = f"runbooks/{RUNBOOK}.yaml"


@pytest.mark.parametrize(
    "mutate",
    [unchanged, remove_fixing_step, fixing_step_always_fails, double_manual_step_time],
    ids=lambda f: f.__name__,
)
def test_gameday_test_catches_each_break(
    mutate: Callable[[dict[str, Any]], None],
    tmp_path: Path,
    gameday: Gameday,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    copy_library(tmp_path, mutate)
    code, out, _ = gameday("test", SCENARIO, RUNBOOK_FILE, "--strategy", "manual", "--json")
    report = json.loads(out)
    cases = failed(report)
    summary = "\n".join(f"{file} :: {name}: {c['message']}" for (file, name), c in cases.items())
    assert code == report["exit_code"]

    if mutate is unchanged:
        assert code == 0, summary
        return
    assert code == 1, summary

    if mutate is remove_fixing_step:
        declared = cases[(RUNBOOK_FILE, "declares its fixing step")]
        assert declared["message"] == (
            "no step of restart-service is marked 'mitigates: true', so the simulator takes "
            "the last step 'file-followup' as the one that ends user impact; mark the step "
            "that fixes crash, error_rate, resource_exhaustion (was the fixing step removed?)"
        )
        # Mitigation now waits for the announce/watch/follow-up steps: slower incidents.
        assert "-> FAIL (upper " in metric_case(cases, "mttr.mean")["message"]

    if mutate is fixing_step_always_fails:
        for kind in ("crash", "error_rate", "resource_exhaustion"):
            message = cases[(RUNBOOK_FILE, f"fixes {kind}")]["message"]
            assert message.startswith(f"restart-service only fixed '{kind}' in 0/20 drills")
            assert f"failed steps: {FIXING_STEP} (error)" in message
            assert "the fault was ended by specialists x20" in message
        fixed_by = cases[(SCENARIO, next(n for f, n in cases if "fixed_by crash" in n))]
        assert fixed_by["message"].startswith(
            "restart-service ended fewer 'crash' faults than the specialists did"
        )
        assert fixed_by["line"] > 1

    if mutate is double_manual_step_time:
        # The runbook still fixes everything (only slower): the MTTR bound must catch it.
        assert not [name for file, name in cases if file == RUNBOOK_FILE]
        mttr = metric_case(cases, "mttr.mean")
        manual = mttr["measured"]["strategies"]["manual"]
        assert manual["ci95"][1] > mttr["measured"]["max"]
        assert mttr["message"].startswith("manual: mttr.mean = ")
        assert "-> FAIL (upper " in mttr["message"]
        scenario_text = (tmp_path / SCENARIO).read_text().splitlines()
        assert "metric: mttr.mean" in scenario_text[mttr["line"] - 1]
