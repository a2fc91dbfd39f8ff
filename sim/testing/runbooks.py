"""Runbook unit checks: does each runbook fix the faults it declares, on its own?

For every fault kind in a runbook's ``fixes``, a *drill*: a minimal scenario built in
code — one user-facing service, one fault of that kind injected at minute 60 with the
kind's default signals, one alert rule per signal that the fault breaches, one
responder who never picks a wrong runbook, only this runbook, a manual strategy (no
automation) — is simulated ``DRILL_RUNS`` times on fixed seeds. The check passes when in
every run the fault was ended by this runbook (``fault_end`` with
``by == runbook:<id>``). The responder may apply the runbook up to the scenario default
of 3 times (a failed run is tried again, as people do) before specialists take over.

A second, static check: a runbook with several steps must mark the step that ends user
impact (``mitigates: true``). Without it the simulator takes the *last* step as the fix,
which silently turns "the fixing step was deleted" into "the follow-up ticket fixes it".
"""

from __future__ import annotations

import os
import statistics
from collections import Counter
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path

from sim.engine import run_once
from sim.experiments.runner import replication_seeds
from sim.experiments.stats import wilson_interval
from sim.spec import RunbookSpec, ScenarioSpec
from sim.spec.fault_kinds import BASELINE_SIGNALS, CATALOGUE
from sim.spec.yaml_source import SourceDoc, read_yaml

from .results import CaseResult, Status, fmt_minutes, now
from .scenario import display_path

__all__ = ["DRILL_RUNS", "FIX_SHARE", "DrillOutcome", "RunbookUnderTest", "drill", "drill_scenario"]

DRILL_RUNS = 20
#: Lower bound the share of fixed drills must reach (with 20 drills: at least 15 fixed).
FIX_SHARE = 0.5
_SERVICE = "service"
_FAULT_AT = 60.0
# Long enough for the slowest path: three failed applications, then specialists
# (default expert time: log-normal, median 2 h, p90 8 h).
_HORIZON = 14 * 1440.0


def drill_scenario(runbook: RunbookSpec, kind: str) -> ScenarioSpec:
    """The minimal world in which ``runbook`` must fix one fault of ``kind``."""
    signals = CATALOGUE[kind].signals
    rules = {}
    for signal, value in signals.items():
        base = BASELINE_SIGNALS[signal]
        # Half way between healthy and faulty: breached by the fault, never by health.
        rules[f"{signal.replace('_', '-')}-breach"] = {
            "service": _SERVICE,
            "signal": signal,
            "op": ">" if value > base else "<",
            "threshold": (value + base) / 2,
            "interval": 1.0,
        }
    return ScenarioSpec.model_validate(
        {
            "name": "drill",
            "horizon": _HORIZON,
            "runbooks": [runbook],
            "triage": {"rules": []},
            "services": {_SERVICE: {"tier": 1, "traffic_share": 1.0}},
            "faults": {"injected": {"kind": kind, "target": _SERVICE, "at": [_FAULT_AT]}},
            "alert_rules": rules,
            "responders": {
                "roster": [{"role": "oncall", "count": 1}],
                "wrong_runbook_probability": 0.0,
            },
            "strategies": {"manual": {"automation_coverage": 0.0}},
        }
    )


@dataclass
class DrillOutcome:
    """What happened in the drills of one runbook against one fault kind."""

    runbook: str
    kind: str
    runs: int = 0
    fixed: int = 0
    first_try: int = 0
    ended_by: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)  # runbook_end outcomes
    failed_steps: Counter[str] = field(default_factory=Counter)  # "step (kind)"
    minutes_to_fix: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def drill(runbook: RunbookSpec, kind: str, seeds: list[int]) -> DrillOutcome:
    """Simulate the drill once per seed and tally how the fault ended (picklable task)."""
    spec = drill_scenario(runbook, kind)
    out = DrillOutcome(runbook.id, kind)
    mine = f"runbook:{runbook.id}"
    for seed in seeds:
        result = run_once(spec, "manual", seed)
        out.runs += 1
        if result.error is not None:
            out.errors.append(result.error.strip().splitlines()[-1])
            continue
        started = None
        applications = 0
        for t, event, _n, _service, _actor, d in result.events:
            if event == "runbook_start":
                applications += 1
                started = t if started is None else started
            elif event == "runbook_end":
                out.outcomes[d["outcome"]] += 1
            elif event == "step" and not d["ok"]:
                out.failed_steps[f"{d['step']} ({d['failure']})"] += 1
            elif event == "fault_end":
                out.ended_by[d["by"]] += 1
                if d["by"] == mine:
                    out.fixed += 1
                    out.first_try += applications == 1
                    out.minutes_to_fix.append(t - (started if started is not None else t))
    return out


@dataclass
class RunbookUnderTest:
    """One runbook file with its positions, checked alone."""

    path: Path
    file: str
    spec: RunbookSpec
    doc: SourceDoc

    @classmethod
    def from_spec(cls, path: str | os.PathLike[str], spec: RunbookSpec) -> RunbookUnderTest:
        """Wrap a runbook already loaded from ``path`` (the file is read for positions)."""
        name = display_path(path)
        return cls(Path(path), name, spec, read_yaml(path, display_name=name))

    def seeds(self, kind: str, seed: int) -> list[int]:
        """The drill seeds of one declared kind.

        Each kind gets its own seeds: with shared ones every kind would replay the same
        step outcomes and the kinds would not be independent evidence.
        """
        j = self.spec.fixes.index(kind)  # type: ignore[arg-type]
        return replication_seeds(seed, DRILL_RUNS * (j + 1))[j * DRILL_RUNS :]

    def submit(self, executor: Executor, seed: int) -> list[tuple[str, Future[DrillOutcome]]]:
        """Start the drills of every declared fault kind; (kind, future) pairs."""
        return [
            (kind, executor.submit(drill, self.spec, kind, self.seeds(kind, seed)))
            for kind in self.spec.fixes
        ]

    def declares_fix_case(self) -> CaseResult:
        """The static check: the fixing step is named, not implied."""
        spec, started = self.spec, now()
        marked = [i for i, s in enumerate(spec.steps) if s.mitigates]
        rule = "a runbook with more than one step marks the step that ends user impact"
        if marked:
            i = marked[0]
            where = self.doc.where_value(("steps", i, "mitigates"))
            ok, msg = True, f"step {spec.steps[i].id!r} (#{i + 1} of {len(spec.steps)}) mitigates"
        elif len(spec.steps) == 1:
            where = self.doc.where_value(("steps", 0))
            ok, msg = True, f"single step {spec.steps[0].id!r} is the fix"
        else:
            where = self.doc.where_value(("steps",))
            last = spec.steps[-1].id
            ok = False
            msg = (
                f"no step of {spec.id} is marked 'mitigates: true', so the simulator takes the "
                f"last step {last!r} as the one that ends user impact; mark the step that "
                f"fixes {', '.join(spec.fixes)} (was the fixing step removed?)"
            )
        return CaseResult(
            name="declares its fixing step",
            classname=spec.id,
            file=self.file,
            line=where[0],
            col=where[1],
            kind="runbook_fix_step",
            status="passed" if ok else "failed",
            message=msg,
            rule=rule,
            started=started,
            ended=now(),
        )

    def fixes_case(self, outcome: DrillOutcome, started: float) -> CaseResult:
        """The drill verdict for one fault kind."""
        j = self.spec.fixes.index(outcome.kind)  # type: ignore[arg-type]
        line, col = self.doc.where_value(("fixes", j))
        rule = (
            f"over {DRILL_RUNS} drills (one service, one '{outcome.kind}' fault, one "
            f"responder who may apply the runbook 3 times, only this runbook, manual, fixed "
            f"seeds) the share of drills whose fault runbook:{self.spec.id} ended has a 95% "
            f"Wilson lower bound >= {FIX_SHARE:.0%}"
        )
        runs, fixed = outcome.runs, outcome.fixed
        share = wilson_interval(fixed, runs)
        timing = ""
        if outcome.minutes_to_fix:
            timing = (
                f"; runbook start to fix: median "
                f"{fmt_minutes(statistics.median(outcome.minutes_to_fix))}, max "
                f"{fmt_minutes(max(outcome.minutes_to_fix))}"
            )
        details = [
            f"runbook runs ended: {_tally(outcome.outcomes)}",
            f"failed step attempts: {_tally(outcome.failed_steps)}",
            f"fault ended by: {_tally(outcome.ended_by)}",
            *[f"crashed: {e}" for e in outcome.errors],
        ]
        fixed_text = (
            f"fixed '{outcome.kind}' in {fixed}/{runs} drills (95% CI "
            f"{share.lo:.0%}-{share.hi:.0%}; {outcome.first_try} on the first application)"
        )
        status: Status
        if runs > 0 and share.lo >= FIX_SHARE:
            status = "passed"
            msg = f"{self.spec.id} {fixed_text}{timing}"
        else:
            status = "error" if outcome.errors and fixed == 0 else "failed"
            msg = (
                f"{self.spec.id} only {fixed_text}, needs a lower bound >= {FIX_SHARE:.0%}; "
                f"its runs ended {_tally(outcome.outcomes)}; failed steps: "
                f"{_tally(outcome.failed_steps)}; the fault was ended by "
                f"{_tally(outcome.ended_by)}"
            )
        return CaseResult(
            name=f"fixes {outcome.kind}",
            classname=self.spec.id,
            file=self.file,
            line=line,
            col=col,
            kind="runbook_fixes",
            status=status,
            message=msg,
            rule=rule,
            details=details,
            measured={
                "runs": runs,
                "fixed": fixed,
                "first_try": outcome.first_try,
                "fixed_share": share.to_dict(),
                "ended_by": dict(outcome.ended_by),
                "outcomes": dict(outcome.outcomes),
                "failed_steps": dict(outcome.failed_steps),
                "minutes_to_fix": outcome.minutes_to_fix,
            },
            started=started,
            ended=now(),
        )


def _tally(counts: Counter[str]) -> str:
    """``escalated x3, completed x17`` (most common first), or ``none``."""
    if not counts:
        return "none"
    return ", ".join(f"{key} x{n}" for key, n in counts.most_common())
