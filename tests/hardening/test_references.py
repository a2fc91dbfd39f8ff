"""References are checked after YAML merges; the dashboard reads nothing outside its
allowed folders and never shows what such a file holds (issue 12)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.spec import check_paths

from .helpers import ROOT, scenario_dict, write_scenario

SECRET = "TOP-SECRET-CONTENT-4711"


@pytest.fixture(scope="module")
def check_text() -> Callable[..., Any]:
    sys.path.insert(0, str(ROOT / "dashboards"))
    try:
        from gameday_ui.scenarios import check_text
    finally:
        sys.path.remove(str(ROOT / "dashboards"))
    return check_text


def _upload(**changes: Any) -> dict[str, Any]:
    doc = scenario_dict()
    doc["runbooks"] = ["../runbooks"]
    doc["triage"] = "triage/standard.yaml"
    doc["faults"]["api-crash"]["runbooks"] = ["restart-service"]
    doc.update(changes)
    return doc


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.yaml"
    path.write_text(f"rules:\n  - {SECRET}: [1, 2]\nseverities: {SECRET}\n")
    return path


def _messages(checked: Any) -> str:
    return "\n".join(str(d) for d in checked.diagnostics)


def test_merge_key_cannot_smuggle_a_triage_reference(
    check_text: Callable[..., Any], secret_file: Path
) -> None:
    doc = _upload()
    del doc["triage"]
    text = yaml.safe_dump(doc, sort_keys=False) + f"<<: {{triage: {secret_file}}}\n"
    checked = check_text(text)
    assert checked.spec is None
    assert any(d.rule == "upload-reference" for d in checked.errors), _messages(checked)
    assert SECRET not in _messages(checked)


def test_merge_key_through_an_alias_cannot_smuggle_runbooks(
    check_text: Callable[..., Any], secret_file: Path
) -> None:
    doc = _upload()
    del doc["runbooks"]
    body = yaml.safe_dump(doc, sort_keys=False)
    text = f"base: &b\n  runbooks: [{secret_file.parent}]\n" + body + "<<: *b\n"
    checked = check_text(text)
    assert checked.spec is None
    assert any(d.rule == "upload-reference" for d in checked.errors), _messages(checked)
    assert SECRET not in _messages(checked)


def test_the_loader_reads_nothing_outside_its_roots(tmp_path: Path, secret_file: Path) -> None:
    doc = scenario_dict()
    doc["triage"] = str(secret_file)
    scenario = write_scenario(tmp_path / "inside", doc)
    _, found = check_paths([scenario], roots=[tmp_path / "inside"])
    text = "\n".join(str(d) for d in found)
    assert any(d.severity == "error" for d in found), text
    assert SECRET not in text
    assert any(d.rule in ("io", "outside-roots") for d in found), text


def test_deep_nesting_in_an_upload_is_a_diagnostic(check_text: Callable[..., Any]) -> None:
    checked = check_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert checked.spec is None
    assert any(d.rule == "yaml-depth" for d in checked.errors), _messages(checked)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b'{"files": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", "nesting deeper"),
        (b'{"files": [NaN]}', "NaN is not a JSON number"),
        (b'{"files": [' + b"9" * 5000 + b"]}", "an integer of 5,000 digits"),
        (b'{"files": ["\\ud800"]}', "lone surrogate"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_a_hostile_test_results_file_is_a_message(raw: bytes, fragment: str) -> None:
    sys.path.insert(0, str(ROOT / "dashboards"))
    try:
        from gameday_ui.documents import test_results
    finally:
        sys.path.remove(str(ROOT / "dashboards"))
    doc, problem = test_results(raw, "test-results.json")
    assert doc is None
    assert problem is not None and fragment in problem
