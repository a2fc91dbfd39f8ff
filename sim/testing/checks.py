"""Yes/no expectations over replications: resolution, lifecycle, fixes, waits.

Each check reads the facts of every completed replication of the strategies it applies
to and returns a :class:`Verdict` whose ``rule`` says exactly what was required. These
are properties of *every* replication (or counts over all of them), so no interval is
involved: a single counter-example fails the check and is shown.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sim.spec.expect import FixedByExpectation, MaxWaitExpectation

from .replicate import RESOLVED_AT, Facts
from .results import fmt_minutes
from .scenario import ScenarioUnderTest

__all__ = [
    "Verdict",
    "check_all_resolved",
    "check_fixed_by",
    "check_lifecycle",
    "check_max_wait",
    "check_replications",
]

_EXAMPLES = 3


@dataclass
class Verdict:
    """``ok``, a one-line ``message``, the ``rule`` applied, and the evidence."""

    ok: bool
    message: str
    rule: str
    details: list[str] = field(default_factory=list)
    measured: dict[str, Any] = field(default_factory=dict)
    error: bool = False  # could not be judged (rather than judged false)


def _where(f: Facts) -> str:
    return f"{f.strategy} replication {f.replication} (seed {f.seed})"


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "unknown error"


def check_replications(sut: ScenarioUnderTest) -> Verdict:
    """Every simulated replication ran to the horizon (the engine raised nothing)."""
    runs = [f for facts in sut.facts.values() for f in facts]
    failed = [f for f in runs if f.error is not None]
    rule = "every replication of every simulated strategy runs to the horizon without error"
    details = [f"{_where(f)}: {_last_line(f.error or '')}" for f in failed]
    measured = {"replications": len(runs), "failed": len(failed)}
    if failed:
        msg = (
            f"{len(failed)} of {len(runs)} replications crashed and are left out of every "
            f"expectation; first: {details[0]}"
        )
        return Verdict(False, msg, rule, details, measured, error=True)
    strategies = ", ".join(sut.facts) or "none needed"
    return Verdict(True, f"{len(runs)} replications ran ({strategies})", rule, [], measured)


def check_lifecycle(sut: ScenarioUnderTest, strategies: list[str]) -> Verdict:
    """No audit entry breaks the transition table, and no run died of an illegal one."""
    rule = (
        "each incident's audit log, rebuilt from its 'transition' events, replays through "
        "the lifecycle transition table (sim.response.replay), and no replication was "
        "stopped by an IllegalTransition"
    )
    checked = violations = 0
    examples: list[str] = []
    for s in strategies:
        for f in sut.facts.get(s, []):
            checked += f.lifecycle_checked
            violations += f.lifecycle_violations
            examples += [f"{_where(f)}, incident {n}: {msg}" for n, msg in f.lifecycle_problems]
            if f.error is not None and "IllegalTransition" in f.error:
                violations += 1
                examples.append(f"{_where(f)} stopped: {_last_line(f.error)}")
    measured = {"incidents_checked": checked, "violations": violations}
    if violations:
        msg = f"{violations} illegal lifecycle transition(s); first: {examples[0]}"
        return Verdict(False, msg, rule, examples[:_EXAMPLES], measured)
    return Verdict(True, f"{checked:,} incident audit logs replay cleanly", rule, [], measured)


def check_all_resolved(sut: ScenarioUnderTest, strategies: list[str]) -> Verdict:
    """Every incident reaches ``resolved``, except ones that started too late to."""
    horizon = sut.spec.horizon
    rule = (
        "every incident (noise too) enters 'resolved' before the horizon; one still open "
        "at the horizon is excused only if it started within G of it, G = the longest "
        "start-to-resolved time of any resolved incident of the same strategy over all "
        "replications (start = fault onset, or detection for noise); an incident still "
        "waiting for a responder is judged by the same rule, its wait's age at the horizon "
        "being at most its start's"
    )
    ok = True
    details: list[str] = []
    measured: dict[str, Any] = {}
    first_bad = ""
    for s in strategies:
        spans: list[float] = []
        still_open: list[tuple[float, Facts, int]] = []
        for f in sut.completed(s):
            c = f.columns
            for i in range(f.incidents):
                onset = float(c["onset"][i])  # type: ignore[arg-type]
                start = onset if not math.isnan(onset) else float(c["detected"][i])  # type: ignore[arg-type]
                resolved = float(c[RESOLVED_AT][i])  # type: ignore[arg-type]
                if math.isnan(resolved):
                    still_open.append((start, f, i))
                else:
                    spans.append(resolved - start)
        grace = max(spans, default=0.0)
        late = [(start, f, i) for start, f, i in still_open if horizon - start > grace]
        total = len(spans) + len(still_open)
        measured[s] = {
            "incidents": total,
            "open_at_horizon": len(still_open),
            "not_resolved": len(late),
            "grace_minutes": grace,
            "waiting_at_horizon": sum(
                bool(f.columns["wait_censored"][i]) for _, f, i in still_open
            ),
        }
        if late:
            ok = False
            for start, f, i in late[:_EXAMPLES]:
                fault = str(f.columns["fault"][i] or "noise")
                if f.columns["wait_censored"][i]:
                    waited = float(f.columns["waited"][i])  # type: ignore[arg-type]
                    fault += f", still waiting for a responder after {fmt_minutes(waited)}"
                line = (
                    f"{_where(f)}: incident {f.columns['incident'][i]} ({fault}) started at "
                    f"t={fmt_minutes(start)} and was still open at the horizon, "
                    f"{fmt_minutes(horizon - start)} later; the longest any incident took to "
                    f"resolve was {fmt_minutes(grace)}"
                )
                first_bad = first_bad or line
                details.append(line)
            details.append(f"{s}: {len(late)} of {total:,} incidents never resolved")
        elif still_open:
            details.append(
                f"{s}: {len(spans):,} of {total:,} incidents resolved; "
                f"{len(still_open)} still open at the horizon, excused: they started "
                f"within {fmt_minutes(grace)} of it"
            )
        else:
            details.append(f"{s}: all {total:,} incidents resolved")
    if not ok:
        return Verdict(False, f"incident never resolved: {first_bad}", rule, details, measured)
    return Verdict(True, "; ".join(details), rule, [], measured)


def check_fixed_by(
    sut: ScenarioUnderTest, exp: FixedByExpectation, strategies: list[str]
) -> Verdict:
    """Runbook R is what ends fault kind K (see ``rule`` for the exact reading)."""
    kind, runbook = exp.fault, exp.runbook
    mine = f"runbook:{runbook}"
    rule = (
        f"over all replications of the strategies checked, runbook {runbook} ended at least "
        f"one '{kind}' fault, no other runbook ended one, and {runbook} ended at least as "
        f"many as the specialists did (self-healed and still-active faults are reported, "
        f"not judged)"
    )
    ends: Counter[str] = Counter()
    still_active = 0
    for s in strategies:
        for f in sut.completed(s):
            for (k, by), count in f.fault_ends.items():
                if k == kind:
                    ends[by] += count
            still_active += f.faults_open.get(kind, 0)
    by_me = ends[mine]
    others = {by.removeprefix("runbook:"): n for by, n in ends.items() if by.startswith("runbook:")}
    others.pop(runbook, None)
    specialists, healed = ends["specialists"], ends["self_heal"]
    total = sum(ends.values()) + still_active
    summary = (
        f"'{kind}' faults: {total:,} in total; ended by {runbook}: {by_me:,}, "
        f"by other runbooks: {sum(others.values()):,}, by specialists: {specialists:,}, "
        f"self-healed: {healed:,}, still active at the horizon: {still_active:,}"
    )
    measured = {
        "occurrences": total,
        "by_runbook": by_me,
        "by_other_runbooks": others,
        "by_specialists": specialists,
        "self_healed": healed,
        "still_active": still_active,
    }
    if total == 0:
        msg = f"no '{kind}' fault occurred in any replication: nothing shows {runbook} fixes it"
        return Verdict(False, msg, rule, [summary], measured)
    if others:
        names = ", ".join(f"{name} ({n:,})" for name, n in sorted(others.items()))
        msg = f"other runbooks also ended '{kind}' faults: {names}; {summary}"
        return Verdict(False, msg, rule, [summary], measured)
    if by_me == 0:
        msg = f"{runbook} never ended a '{kind}' fault; {summary}"
        return Verdict(False, msg, rule, [summary], measured)
    if by_me < specialists:
        msg = f"{runbook} ended fewer '{kind}' faults than the specialists did; {summary}"
        return Verdict(False, msg, rule, [summary], measured)
    return Verdict(True, summary, rule, [], measured)


def check_max_wait(
    sut: ScenarioUnderTest, exp: MaxWaitExpectation, strategies: list[str]
) -> Verdict:
    """No real incident waited longer than ``max`` for a free responder."""
    rule = (
        "the largest time any real incident waited for a free responder, over all "
        "replications, is <= max (a maximum, not an estimate; a wait still under way at the "
        "horizon is censored and counts with its age then, as at least that long; noise "
        "incidents are shown, not judged)"
    )
    worst: tuple[float, Facts | None, int] = (0.0, None, -1)
    noise_worst = 0.0
    censored = 0
    for s in strategies:
        for f in sut.completed(s):
            columns = f.columns
            for i, (noise, waited, open_wait) in enumerate(
                zip(columns["noise"], columns["waited"], columns["wait_censored"], strict=True)
            ):
                w = float(waited)  # type: ignore[arg-type]
                if noise:
                    noise_worst = max(noise_worst, w)
                    continue
                censored += bool(open_wait)
                if w > worst[0]:
                    worst = (w, f, i)
    wait, where, i = worst
    measured = {
        "max_wait": wait,
        "noise_max_wait": noise_worst,
        "limit": exp.max,
        "censored_waits": censored,
    }
    at = (
        f" ({_where(where)}, incident {where.columns['incident'][i]}, "
        f"severity {where.columns['severity'][i]})"
        if where is not None
        else ""
    )
    noise = f"; noise incidents waited up to {fmt_minutes(noise_worst)}" if noise_worst else ""
    if censored:
        noise += f"; {censored:,} wait(s) still under way at the horizon, counted by their age"
    still = (
        " (still waiting at the horizon)"
        if where is not None and where.columns["wait_censored"][i]
        else ""
    )
    text = f"longest wait for a responder {fmt_minutes(wait)}{still}{at}"
    if wait > exp.max:
        return Verdict(False, f"{text} > max {fmt_minutes(exp.max)}{noise}", rule, [], measured)
    return Verdict(True, f"{text} <= max {fmt_minutes(exp.max)}{noise}", rule, [], measured)
