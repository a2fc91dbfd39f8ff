"""``gameday test``: scenario expectations and runbook checks for CI.

A scenario's ``expect:`` block is checked over replications with a stated statistical
rule; runbooks are drilled alone against the faults they declare they fix. Results come
as a text report, JUnit XML, JSON and Chaos-Toolkit-like journals; the same machinery
backs the pytest plugin (``sim.testing.plugin``, entry point ``pytest11``).

    plan = prepare(["scenarios", "runbooks"], TestOptions(replications=30))
    with open_executor("process", 2) as executor:
        report = execute(plan, executor, workers=2)
    report.exit_code   # 0 ok, 1 an expectation failed, 2 bad input

Names are imported on first use (PEP 562): pytest loads the plugin module in every
session of every project where gameday is installed, and that must not pull in numpy,
pydantic and the engine until a scenario is actually collected.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .formats import METRIC_RULE, junit_xml, render_report, write_junit
    from .journal import write_journals
    from .results import CaseResult, FileResult, Report
    from .runbooks import DRILL_RUNS, drill_scenario
    from .scenario import ScenarioUnderTest
    from .session import DEFAULT_REPLICATIONS, DEFAULT_SEED, Plan, TestOptions, execute, prepare

_WHERE = {
    "write_journals": ".journal",
    "junit_xml": ".formats",
    "write_junit": ".formats",
    "CaseResult": ".results",
    "FileResult": ".results",
    "Report": ".results",
    "DRILL_RUNS": ".runbooks",
    "drill_scenario": ".runbooks",
    "ScenarioUnderTest": ".scenario",
    "DEFAULT_REPLICATIONS": ".session",
    "DEFAULT_SEED": ".session",
    "Plan": ".session",
    "TestOptions": ".session",
    "execute": ".session",
    "prepare": ".session",
    "METRIC_RULE": ".formats",
    "render_report": ".formats",
}

__all__ = [
    "DEFAULT_REPLICATIONS",
    "DEFAULT_SEED",
    "DRILL_RUNS",
    "METRIC_RULE",
    "CaseResult",
    "FileResult",
    "Plan",
    "Report",
    "ScenarioUnderTest",
    "TestOptions",
    "drill_scenario",
    "execute",
    "junit_xml",
    "prepare",
    "render_report",
    "write_journals",
    "write_junit",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
