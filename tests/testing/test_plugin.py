"""The pytest plugin, run by ``pytester``: collection, -k, -x, failures, JUnit, xdist."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

# pytester's in-process runs forget the modules first imported inside them, and numpy
# cannot be imported twice in one process: import what the plugin loads lazily up front.
import sim.experiments.executors
import sim.testing.session  # noqa: F401

from .conftest import FAILING, line_of, write_library

EXPECTATIONS = [
    "expect 1: lifecycle_legal",
    "expect 2: all_resolved",
    "expect 3: mttr.mean <= 1h for manual",
    "expect 4: error_rate <= 0.5",
    "expect 5: fixed_by crash -> fix-crash",
    "expect 6: triages_to web-down -> P1",
    "expect 7: nobody waits a day (max_wait <= 1d)",
]


def test_collects_each_expectation_and_runbook_check(pytester: pytest.Pytester) -> None:
    write_library(pytester.path)
    result = pytester.runpytest("scenarios", "runbooks", "--collect-only", "-q")
    ids = [line for line in result.outlines if "::" in line]
    assert ids == [
        *(f"scenarios/tiny.yaml::{name}" for name in EXPECTATIONS),
        "scenarios/tiny.yaml::replications run to the horizon",
        "runbooks/fix-crash.yaml::declares its fixing step",
        "runbooks/fix-crash.yaml::fixes crash",
    ]  # the triage file has nothing to test: not collected


def test_runs_and_passes(pytester: pytest.Pytester) -> None:
    write_library(pytester.path)
    pytester.runpytest("scenarios", "runbooks").assert_outcomes(passed=10)


def test_project_test_suites_are_left_alone(pytester: pytest.Pytester) -> None:
    """Specs under testpaths (test data, broken on purpose) are not collected."""
    write_library(pytester.path / "tests" / "data")
    pytester.makeini("[pytest]\ntestpaths = tests\n")
    assert pytester.runpytest().ret == pytest.ExitCode.NO_TESTS_COLLECTED
    assert pytester.runpytest("tests").ret == pytest.ExitCode.NO_TESTS_COLLECTED
    pytester.runpytest("tests", "--gameday").assert_outcomes(passed=10)


def test_keyword_selection(pytester: pytest.Pytester) -> None:
    write_library(pytester.path)
    result = pytester.runpytest("scenarios", "runbooks", "-k", "fixed_by or triages_to", "-v")
    result.assert_outcomes(passed=2, deselected=8)
    result.stdout.fnmatch_lines(["*tiny.yaml::expect 5: fixed_by crash -> fix-crash PASSED*"])


def test_failure_points_at_the_yaml_line_and_x_stops(pytester: pytest.Pytester) -> None:
    scenario = write_library(pytester.path, extra=FAILING)
    line = line_of(scenario, "name: impossible")
    result = pytester.runpytest("scenarios", "-x")
    # 7 expectations pass, the 8th fails, -x skips the replications item after it.
    result.assert_outcomes(passed=7, failed=1)
    result.stdout.fnmatch_lines(
        [
            f"*tiny.yaml:{line}: expect 8: impossible (mttr.mean <= 1m for manual)*",
            f"scenarios/tiny.yaml:{line}: expect 8: impossible (mttr.mean <= 1m for manual)",
            "  manual: mttr.mean = * min, 95% CI * over * incidents in 30 "
            "replications -> FAIL (upper * min > max 1.0 min)",
            "  rule: upper end of the 95% CI <= max (cluster bootstrap over replications*",
            "*stopping after 1 failures*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_junitxml_has_the_yaml_position(pytester: pytest.Pytester) -> None:
    scenario = write_library(pytester.path, extra=FAILING)
    result = pytester.runpytest("scenarios", "--junitxml=out.xml", "-o", "junit_family=xunit1")
    result.assert_outcomes(passed=8, failed=1)
    root = ET.parse(pytester.path / "out.xml").getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    failed = cases["expect 8: impossible (mttr.mean <= 1m for manual)"]
    assert failed.get("file") == "scenarios/tiny.yaml"
    # pytest writes 0-based lines; the 1-based YAML position is a property.
    line = line_of(scenario, "name: impossible")
    assert failed.get("line") == str(line - 1)
    props = {p.get("name"): p.get("value") for p in failed.iter("property")}
    assert props["yaml"] == f"scenarios/tiny.yaml:{line}"
    assert "> max 1.0 min" in failed.find("failure").get("message")


def test_works_under_xdist(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    write_library(pytester.path, extra=FAILING)
    result = pytester.runpytest_subprocess(
        "scenarios", "runbooks", "-p", "xdist", "-n", "2", "--dist", "loadgroup"
    )
    result.assert_outcomes(passed=10, failed=1)
    result.stdout.fnmatch_lines(["*scenarios/tiny.yaml:*: expect 8: impossible*"])


def test_sniffing_reads_only_top_level_keys(tmp_path) -> None:
    from sim.testing.plugin import _sniff

    from .conftest import RUNBOOK, SCENARIO, TRIAGE

    cases = {
        "scenario.yaml": (SCENARIO, "scenario"),
        # No top-level kind: the keys tell, and the faults' nested `kind:` does not count.
        "implicit.yaml": (SCENARIO.replace("kind: scenario\n", ""), "scenario"),
        "runbook.yaml": (RUNBOOK, "runbook"),
        "triage.yaml": (TRIAGE, None),
        "workflow.yaml": ("on: [push]\njobs: {}\n", None),
    }
    for name, (text, kind) in cases.items():
        (tmp_path / name).write_text(text)
        assert _sniff(tmp_path / name) == kind, name
