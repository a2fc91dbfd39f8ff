"""How ``gameday test`` reports: readable text and JUnit XML (standard library only).

**Text.** One short line per case, ``file:line`` first so editors and CI log viewers can
jump to the claim; a case that did not pass (every case with ``--verbose``) adds its
per-strategy measurements and the rule that judged it, wrapped to the terminal's width
(80 columns when not a terminal). The statistical rule for metric bounds is stated once
at the top.

**JUnit XML** for CI systems (GitHub Actions reporters, GitLab
``artifacts:reports:junit``, Jenkins). One ``<testsuite>`` per tested file (``name`` =
scenario name or runbook id, plus ``file``), one ``<testcase>`` per case with
``classname`` (the scenario name or runbook id), ``name``, ``file`` and ``line`` (where
the expectation is written) and ``time``. A case that does not hold has ``<failure
message=... type=...>`` whose message carries the measured value, its confidence
interval, the limit and the rule; a case that could not be judged (bad input, a crashed
replication) has ``<error>``; a filtered one ``<skipped>``. ``<system-out>`` has the
full text of every case.
"""

from __future__ import annotations

import os
import textwrap
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from sim.spec.safe_io import atomic_write

from .bounds import N_BOOT
from .results import CaseResult, FileResult, Report

__all__ = ["METRIC_RULE", "junit_xml", "render_report", "write_junit"]

# ----------------------------------------------------------------------------- text

METRIC_RULE = (
    "metric bounds are judged on a 95% confidence interval (cluster bootstrap over "
    f"replications, {N_BOOT:,} resamples): a max passes when the upper end of the interval "
    "is <= max, a min when the lower end is >= min"
)
_TAG = {"passed": "PASS ", "failed": "FAIL ", "error": "ERROR", "skipped": "SKIP "}


def _wrapped(text: str, width: int, indent: str, first: str | None = None) -> list[str]:
    """``text`` wrapped to ``width`` columns (long words such as paths are not split)."""
    return textwrap.wrap(
        text,
        width=max(40, width),
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _case_lines(case: CaseResult, verbose: bool, width: int) -> list[str]:
    """One short line per case; what was measured and the rule only when it did not
    pass (or with ``verbose``), wrapped under it."""
    pad = " " * 8
    lines = _wrapped(f"{_TAG[case.status]} {case.where}  {case.name}", width, pad, "  ")
    if case.status == "passed" and not verbose:
        return lines
    lines += _wrapped(case.message, width, pad)
    shown = [d for d in case.details if d != case.message]
    for detail in shown[:20]:
        lines += _wrapped(detail, width, pad + "  ", pad + "- ")
    if len(shown) > 20:
        lines.append(f"{pad}... {len(shown) - 20} more")
    if case.rule:
        lines += _wrapped(f"rule: {case.rule}", width, pad + "  ", pad)
    return lines


def render_report(report: Report, *, verbose: bool = False, width: int = 80) -> str:
    """The whole report as text (no colour: it goes to CI logs as often as to terminals),
    wrapped to ``width`` columns: one line per passing case, details for the others."""
    kinds: dict[str, int] = {}
    for f in report.files:
        kinds[f.kind or "invalid"] = kinds.get(f.kind or "invalid", 0) + 1
    found = ", ".join(f"{n} {kind}" for kind, n in kinds.items()) or "none"
    lines = _wrapped(
        f"gameday test: files {found} - {report.replications} replications per strategy, "
        f"base seed {report.seed}",
        width,
        "  ",
        "",
    )
    lines += _wrapped(f"rule: {METRIC_RULE}", width, "  ", "")
    for problem in report.problems:
        lines += _wrapped(problem, width, " " * 8, "  ERROR ")
    for f in report.files:
        title = f"{f.kind} {f.name}" if f.kind else "not a valid spec file"
        lines += ["", f"{f.file} ({title})"]
        for case in f.cases:
            lines += _case_lines(case, verbose, width)
    counts = {s: report.count(s) for s in ("passed", "failed", "error", "skipped")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n or s == "passed")
    verdict = {0: "ok", 1: "expectations failed", 2: "bad input"}[report.exit_code]
    lines += [
        "",
        f"{summary} in {report.ended - report.started:.1f} s -> exit {report.exit_code} "
        f"({verdict})",
    ]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------- JUnit XML

_FAILURE_TYPE = {
    "validate": "InvalidSpec",
    "replications": "SimulationError",
    "runbook_fixes": "RunbookCheckFailed",
    "runbook_fix_step": "RunbookCheckFailed",
}


def _text(case: CaseResult) -> str:
    lines = [f"{case.where}: {case.name}", case.message]
    lines += [f"  {d}" for d in case.details]
    if case.rule:
        lines.append(f"rule: {case.rule}")
    return "\n".join(lines)


def _testcase(parent: ET.Element, case: CaseResult) -> None:
    element = ET.SubElement(
        parent,
        "testcase",
        {
            "classname": case.classname,
            "name": case.name,
            "file": case.file,
            "line": str(case.line),
            "time": f"{case.seconds:.3f}",
        },
    )
    kind = _FAILURE_TYPE.get(case.kind, "ExpectationFailed")
    message = f"{case.message} [rule: {case.rule}]" if case.rule else case.message
    if case.status == "failed":
        ET.SubElement(element, "failure", {"message": message, "type": kind}).text = _text(case)
    elif case.status == "error":
        ET.SubElement(element, "error", {"message": message, "type": kind}).text = _text(case)
    elif case.status == "skipped":
        ET.SubElement(element, "skipped", {"message": case.message})
    ET.SubElement(element, "system-out").text = _text(case)


def _testsuite(parent: ET.Element, result: FileResult, report: Report) -> None:
    seconds = max(0.0, result.ended - result.started) if result.ended else 0.0
    suite = ET.SubElement(
        parent,
        "testsuite",
        {
            "name": result.name,
            "file": result.file,
            "tests": str(len(result.cases)),
            "failures": str(result.count("failed")),
            "errors": str(result.count("error")),
            "skipped": str(result.count("skipped")),
            "time": f"{seconds:.3f}",
            "timestamp": datetime.fromtimestamp(result.started or report.started, UTC)
            .replace(tzinfo=None)
            .isoformat(timespec="seconds"),
        },
    )
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("kind", result.kind or "unknown"),
        ("replications", str(report.replications)),
        ("seed", str(report.seed)),
    ):
        ET.SubElement(props, "property", {"name": name, "value": value})
    for case in result.cases:
        _testcase(suite, case)


def junit_xml(report: Report) -> str:
    """The report as a JUnit XML document (UTF-8 text with an XML declaration)."""
    root = ET.Element(
        "testsuites",
        {
            "name": "gameday test",
            "tests": str(len(report.cases)),
            "failures": str(report.count("failed")),
            "errors": str(report.count("error") + len(report.problems)),
            "skipped": str(report.count("skipped")),
            "time": f"{max(0.0, report.ended - report.started):.3f}",
        },
    )
    if report.problems:
        # Bad input that belongs to no file (a missing path, no files): one errored case,
        # so the CI's test view shows why the job failed.
        suite = ET.SubElement(
            root, "testsuite", {"name": "gameday test", "tests": "1", "errors": "1"}
        )
        case = ET.SubElement(suite, "testcase", {"classname": "gameday", "name": "input"})
        ET.SubElement(case, "error", {"message": "; ".join(report.problems), "type": "BadInput"})
    for result in report.files:
        _testsuite(root, result, report)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write the JUnit XML atomically, over a regular file or a new path only."""
    target = Path(path)
    atomic_write(target, junit_xml(report))
    return target
