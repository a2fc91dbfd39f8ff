"""JUnit XML: valid XML, one suite per file, one case per expectation, with file and line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import FAILING, Gameday, line_of, write_library


def test_junit_names_file_and_line_of_every_expectation(
    tmp_path: Path, gameday: Gameday, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    scenario = write_library(tmp_path, extra=FAILING)
    code, _, _ = gameday(
        "test", "scenarios", "runbooks", "--junit", "out.xml", "--executor", "serial"
    )
    assert code == 1

    root = ET.parse("out.xml").getroot()  # parses: the XML is well formed
    assert root.tag == "testsuites"
    suites = {s.get("file"): s for s in root.findall("testsuite")}
    assert set(suites) == {
        "scenarios/tiny.yaml",
        "scenarios/triage.yaml",
        "runbooks/fix-crash.yaml",
    }

    tiny = suites["scenarios/tiny.yaml"]
    cases = tiny.findall("testcase")
    assert tiny.get("name") == "tiny"
    assert int(tiny.get("tests")) == len(cases) == 1 + 8 + 1  # validate, 8 expectations, runs
    assert (tiny.get("failures"), tiny.get("errors")) == ("1", "0")
    props = {p.get("name"): p.get("value") for p in tiny.iter("property")}
    assert props["replications"] == "30" and props["seed"] == "1"

    expectations = [c for c in cases if c.get("name", "").startswith("expect ")]
    assert len(expectations) == 8
    entries = [line for line in scenario.read_text().splitlines() if line.startswith("  - {")]
    for case, entry in zip(expectations, entries, strict=True):
        assert case.get("classname") == "tiny"
        assert case.get("file") == "scenarios/tiny.yaml"
        assert case.get("line") == str(line_of(scenario, entry))
        assert float(case.get("time")) >= 0

    (failed,) = [c for c in cases if c.find("failure") is not None]
    assert failed.get("name") == "expect 8: impossible (mttr.mean <= 1m for manual)"
    failure = failed.find("failure")
    message = failure.get("message")
    # Measured value, its CI, the limit and the rule, in the one-line message.
    assert "manual: mttr.mean = " in message and "95% CI [" in message
    assert "> max 1.0 min" in message
    assert "[rule: upper end of the 95% CI <= max" in message
    assert failure.get("type") == "ExpectationFailed"
    assert f"scenarios/tiny.yaml:{line_of(scenario, 'name: impossible')}" in failure.text

    runbook = suites["runbooks/fix-crash.yaml"]
    names = [c.get("name") for c in runbook.findall("testcase")]
    assert names == ["validate", "declares its fixing step", "fixes crash"]
    fixes = runbook.findall("testcase")[2]
    assert fixes.get("classname") == "fix-crash"
    assert fixes.get("line") == str(line_of(tmp_path / "runbooks/fix-crash.yaml", "fixes: [crash]"))


def test_bad_input_is_an_error_case_in_junit(library: Path, gameday: Gameday) -> None:
    # One error only, on line 2: a duplicate key.
    (library / "scenarios" / "broken.yaml").write_text("kind: scenario\nkind: scenario\n")
    code, _, _ = gameday("test", "scenarios/broken.yaml", "--junit", "bad.xml")
    assert code == 2
    root = ET.parse("bad.xml").getroot()
    (suite,) = root.findall("testsuite")
    (case,) = suite.findall("testcase")
    error = case.find("error")
    assert error is not None and error.get("type") == "InvalidSpec"
    assert "duplicate key 'kind' (first defined on line 1)" in error.get("message")
    assert case.get("file") == "scenarios/broken.yaml" and case.get("line") == "2"
