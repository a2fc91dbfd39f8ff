"""A runbook as a Mermaid flowchart, generated from the compiled program.

Solid arrows are successes, dotted arrows failures labelled with the policy that
applies; rounded nodes are the ways a run ends. The chart is derived from the same
:class:`~sim.response.program.RunbookProgram` the executor runs, so it cannot drift
from what actually happens.
"""

from __future__ import annotations

import re

from sim.spec.runbook import RunbookSpec, StepSpec

from .program import (
    ABORT,
    ESCALATE,
    GOTO_BACK,
    GOTO_FORWARD,
    RETRY,
    ROLLBACK,
    RunbookProgram,
    compile_runbook,
)

__all__ = ["runbook_mermaid"]

_ENDS = {
    "done": '(["completed"])',
    "esc": '(["escalated"])',
    "rolled": '(["rolled back"])',
    "aborted": '(["aborted"])',
}
_MAX_ACTION = 60


def _text(value: str) -> str:
    """Make free text safe inside a quoted Mermaid label."""
    value = re.sub(r"\s+", " ", value).strip()
    if len(value) > _MAX_ACTION:
        value = value[: _MAX_ACTION - 1] + "…"
    return (
        value.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


def _label(step: StepSpec) -> str:
    marks = [
        name
        for name, on in (
            ("auto", step.automatable),
            ("approval", step.requires_approval),
            ("mitigates", step.mitigates),
        )
        if on
    ]
    tail = f"<br/>[{', '.join(marks)}]" if marks else ""
    return f'["<b>{_text(step.id)}</b><br/>{_text(step.action)}{tail}"]'


def runbook_mermaid(runbook: RunbookSpec | RunbookProgram) -> str:
    """The runbook's control flow as a Mermaid ``flowchart TD``."""
    program = compile_runbook(runbook) if isinstance(runbook, RunbookSpec) else runbook
    steps, n = program.steps, len(program.steps)
    lines = ["flowchart TD", f"    %% runbook {program.spec.id}: {_text(program.spec.title)}"]
    used: set[str] = set()

    def node(position: int) -> str:
        if position >= n:
            used.add("done")
            return "done"
        return f"s{position}"

    def end(name: str) -> str:
        used.add(name)
        return name

    lines.append("    start((start)) --> s0")
    for i, step in enumerate(steps):
        lines.append(f"    s{i}{_label(step)}")
        lines.append(f"    s{i} -->|ok| {node(program.success_next[i])}")
        code, retries, target = program.policy[i], program.retries[i], program.target[i]
        if code == RETRY:
            if retries:
                lines.append(f"    s{i} -.->|fail: retry, at most {retries}x| s{i}")
            lines.append(
                f"    s{i} -.->|{'retries exhausted' if retries else 'fail'}| {end('esc')}"
            )
        elif code == GOTO_FORWARD:
            lines.append(f"    s{i} -.->|fail: goto| s{target}")
        elif code == GOTO_BACK:
            if retries:
                lines.append(f"    s{i} -.->|fail: goto, at most {retries}x| s{target}")
            lines.append(
                f"    s{i} -.->|{'retries exhausted' if retries else 'fail'}| {end('esc')}"
            )
        elif code == ESCALATE:
            lines.append(f"    s{i} -.->|fail: escalate| {end('esc')}")
        elif code == ABORT:
            lines.append(f"    s{i} -.->|fail: abort| {end('aborted')}")
        elif code == ROLLBACK:
            first = "r0" if program.rollback else end("rolled")
            lines.append(f"    s{i} -.->|fail: rollback| {first}")
    if ROLLBACK in program.policy:
        for k, step in enumerate(program.rollback):
            following = f"r{k + 1}" if k + 1 < len(program.rollback) else end("rolled")
            lines.append(f"    r{k}{_label(step)}")
            lines.append(f"    r{k} -->|ok| {following}")
            lines.append(f"    r{k} -.->|fail| {end('esc')}")
    lines.extend(f"    {name}{shape}" for name, shape in _ENDS.items() if name in used)
    lines.append("    classDef mitigating stroke-width:3px")
    lines.append(f"    class s{program.mitigating} mitigating")
    return "\n".join(lines) + "\n"
