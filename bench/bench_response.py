"""Speed of the incident-response core on its Monte Carlo hot paths.

Each replication of a sweep triages alerts, drives incidents through the lifecycle and
executes runbooks, millions of times in all, so each must cost well under 50 µs.
Run: ``.venv/bin/python bench/bench_response.py`` (exit 1 if a target is missed).
Timing: ``time.perf_counter_ns`` around a plain loop, best of several repeats (the
minimum is the least disturbed by other load on the machine).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from sim.response import (
    AlertGrouper,
    Done,
    Impact,
    Incident,
    RunbookExecutor,
    StepOutcome,
    TriageEngine,
    compile_runbook,
    select_automated,
    simulated_alert,
)
from sim.spec.runbook import RunbookSpec
from sim.spec.triage import TriageSpec

ROOT = Path(__file__).resolve().parent.parent
TARGET_US = 50.0


def _rules() -> TriageSpec:
    return TriageSpec.model_validate(
        yaml.safe_load((ROOT / "tests" / "data" / "triage-rules.yaml").read_text())
    )


def _many_rules(n: int) -> TriageSpec:
    """``n`` rules of which only the last matches: the worst case for first_match."""
    rules = [
        {
            "name": f"r{i}",
            "matchers": [f'service="svc-{i}"', 'env=~"prod|canary"'],
            "when": ["affected_users_pct >= 10"],
            "severity": "P2",
        }
        for i in range(n - 1)
    ]
    rules.append({"name": "hit", "matchers": ['service="checkout"'], "severity": "P1"})
    return TriageSpec.model_validate({"rules": rules, "precedence": "most_severe"})


def _runbook() -> RunbookSpec:
    def step(sid: str, **kw: object) -> dict[str, object]:
        out: dict[str, object] = {"id": sid, "action": sid, "manual": {"duration": 5}, **kw}
        if kw.get("automatable"):
            out["automated"] = {"duration": 1}
        return out

    return RunbookSpec.model_validate(
        {
            "id": "bench",
            "title": "five steps",
            "fixes": ["crash"],
            "steps": [
                step("check", retries=1, on_failure="retry"),
                step("drain", automatable=True),
                step("restart", automatable=True, on_failure="rollback", mitigates=True),
                step("verify", retries=2, on_failure="goto:restart"),
                step("announce"),
            ],
            "rollback": [step("undrain")],
        }
    )


def measure(fn: Callable[[], object], n: int, repeats: int = 5) -> float:
    """Best-of-``repeats`` microseconds per call of ``fn``."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter_ns()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter_ns() - start) / n / 1000)
    return best


def main() -> int:
    engine = TriageEngine(_rules())
    big = TriageEngine(_many_rules(50))
    alert = simulated_alert(
        "CheckoutHighErrorRate",
        {"service": "checkout", "severity": "critical", "env": "prod"},
        12.0,
        "fp-1",
    )
    impact = Impact(affected_users_pct=40.0, tier=1)
    program = compile_runbook(_runbook())
    automated = select_automated(program.spec, 0.5)
    ok = StepOutcome.success("bot", 0.0, 1.0)

    def triage() -> object:
        return engine.evaluate(alert, impact)

    def triage_50_rules() -> object:
        return big.evaluate(alert, impact)

    def group() -> object:
        grouper = AlertGrouper(engine.group_key)
        return grouper.offer(alert)

    def lifecycle() -> object:
        inc = Incident("inc-1", 0.0, "P1")
        inc.acknowledge(2.0, "alice")
        inc.start_mitigation(3.0, "alice")
        inc.mark_mitigated(20.0, "alice")
        inc.resolve(25.0, "alice")
        inc.start_review(60.0, "bob")
        inc.close(600.0, "bob")
        return inc

    def runbook() -> object:
        ex = RunbookExecutor(program, automated)
        t = 0.0
        while not isinstance(request := ex.next_request(), Done):
            # a fresh outcome per step, as the engine creates one per attempt
            ex.record(
                StepOutcome.success("bot" if request.mode == "automated" else "ann", t, t + 1)
            )
            t += 1.0
        return request

    def incident_end_to_end() -> object:
        triage()
        lifecycle()
        return runbook()

    rows = [
        ("triage one alert (5 rules, first_match)", measure(triage, 20_000)),
        ("triage one alert (50 rules, most_severe)", measure(triage_50_rules, 5_000)),
        ("group one alert (new grouper)", measure(group, 20_000)),
        ("full lifecycle (6 transitions)", measure(lifecycle, 10_000)),
        ("5-step runbook execution", measure(runbook, 10_000)),
        ("lifecycle + 5-step runbook", measure(lambda: (lifecycle(), runbook()), 5_000)),
        ("triage + lifecycle + runbook", measure(incident_end_to_end, 5_000)),
    ]
    assert ok.ok
    width = max(len(name) for name, _ in rows)
    print(f"{'operation':<{width}}  {'µs/op':>8}  {'target':>7}  ok?")
    failed = 0
    for name, us in rows:
        good = us < TARGET_US
        failed += not good
        print(f"{name:<{width}}  {us:8.2f}  {TARGET_US:6.0f}µ  {'yes' if good else 'NO'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
