"""``--json`` always prints exactly one JSON document: the result, or an error document
for bad input (never nothing, never NaN) (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import ROOT, one_json_document, run_cli, scenario_dict, write_scenario

RULES = str(ROOT / "scenarios" / "triage" / "standard.yaml")
PAYLOAD = str(ROOT / "tests" / "data" / "alertmanager-webhook.json")


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> str:
    doc = scenario_dict()
    doc["horizon"] = 1e12
    return str(write_scenario(tmp_path_factory.mktemp("broken"), doc))


@pytest.mark.parametrize(
    "args",
    [
        ["run", "{broken}"],
        ["compare", "{broken}", "-n", "2"],
        ["sweep", "{broken}", "--param", "responders=2", "--out", "{tmp}/sw"],
        ["validate", "{broken}"],
        ["test", "{broken}", "-n", "2"],
        ["triage", "{broken}", "--rules", RULES],
        ["triage", PAYLOAD, "--rules", "{broken}"],
        ["run", "{broken}", "--seed", "abc"],  # a usage error found by argparse
        ["triage", PAYLOAD, "--rules", RULES, "--impact", "tier=nan"],
        ["compare", str(ROOT / "scenarios" / "seed-benchmark.yaml"), "--workers", "0"],
    ],
)
def test_bad_input_under_json_is_one_error_document(
    args: list[str], broken: str, tmp_path: Path
) -> None:
    words = [a.format(broken=broken, tmp=tmp_path) for a in args]
    result = run_cli(*words, "--json", timeout=300)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    doc = one_json_document(result.stdout)
    assert isinstance(doc, dict)
    said = str(doc.get("error") or doc.get("diagnostics") or doc.get("problems") or doc)
    assert said, doc


def test_run_json_for_nan_summaries_is_still_json(tmp_path: Path) -> None:
    doc = scenario_dict()  # no incidents in an hour: every mean is NaN
    doc["horizon"] = "1h"
    doc["faults"]["api-bad-deploy"]["at"] = []
    doc["faults"]["api-bad-deploy"]["tbf"] = "3650d"
    result = run_cli("run", str(write_scenario(tmp_path, doc)), "--json")
    assert result.returncode == 0, result.stderr
    summary = one_json_document(result.stdout)
    assert summary["incidents"] == 0
    assert summary["mttr"]["mean"] is None
