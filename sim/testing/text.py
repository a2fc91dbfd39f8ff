"""The human-readable report of ``gameday test``.

One line per case, ``file:line`` first so editors and CI log viewers can jump to the
claim; a failed case adds its per-strategy measurements and the rule that judged it.
The statistical rule for metric bounds is stated once at the top.
"""

from __future__ import annotations

from .bounds import N_BOOT
from .results import CaseResult, Report

__all__ = ["METRIC_RULE", "render_report"]

METRIC_RULE = (
    "metric bounds are judged on a 95% confidence interval (cluster bootstrap over "
    f"replications, {N_BOOT:,} resamples): a max passes when the upper end of the interval "
    "is <= max, a min when the lower end is >= min"
)
_TAG = {"passed": "PASS ", "failed": "FAIL ", "error": "ERROR", "skipped": "SKIP "}


def _case_lines(case: CaseResult, verbose: bool) -> list[str]:
    head = f"  {_TAG[case.status]} {case.where}  {case.name}"
    if case.status == "passed" and not verbose:
        return [f"{head}: {case.message}"]
    lines = [head, f"        {case.message}"]
    shown = case.details if case.status != "passed" or verbose else []
    lines += [f"        - {d}" for d in shown[:20]]
    if len(shown) > 20:
        lines.append(f"        ... {len(shown) - 20} more")
    if case.rule and case.status != "passed":
        lines.append(f"        rule: {case.rule}")
    return lines


def render_report(report: Report, *, verbose: bool = False) -> str:
    """The whole report as text (no colour: it goes to CI logs as often as to terminals)."""
    kinds: dict[str, int] = {}
    for f in report.files:
        kinds[f.kind or "invalid"] = kinds.get(f.kind or "invalid", 0) + 1
    found = ", ".join(f"{n} {kind}" for kind, n in kinds.items()) or "no files"
    lines = [
        f"gameday test: {found} - {report.replications} replications per strategy, "
        f"base seed {report.seed}",
        f"rule: {METRIC_RULE}",
    ]
    for problem in report.problems:
        lines.append(f"  ERROR {problem}")
    for f in report.files:
        title = f"{f.kind} {f.name}" if f.kind else "not a valid spec file"
        lines += ["", f"{f.file} ({title})"]
        for case in f.cases:
            lines += _case_lines(case, verbose)
    counts = {s: report.count(s) for s in ("passed", "failed", "error", "skipped")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n or s == "passed")
    verdict = {0: "ok", 1: "expectations failed", 2: "bad input"}[report.exit_code]
    lines += [
        "",
        f"{summary} in {report.ended - report.started:.1f} s -> exit {report.exit_code} "
        f"({verdict})",
    ]
    return "\n".join(lines) + "\n"
