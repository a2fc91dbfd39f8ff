"""The judging rules, on facts made by hand: each verdict and its message, both ways."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.eventlog import Event
from sim.spec.expect import FixedByExpectation, MaxWaitExpectation, MetricExpectation
from sim.testing.bounds import judge_metric
from sim.testing.checks import (
    check_all_resolved,
    check_fixed_by,
    check_lifecycle,
    check_max_wait,
)
from sim.testing.replicate import INCIDENT_COLUMNS, RESOLVED_AT, Facts, audit_problems
from sim.testing.scenario import ScenarioUnderTest
from sim.testing.triage import check_triages_to

from .conftest import write_library

HORIZON = 20 * 1440.0


@pytest.fixture
def sut(tmp_path: Path) -> ScenarioUnderTest:
    return ScenarioUnderTest.load(write_library(tmp_path), replications=2, seed=1)


def incident(number: int, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {name: 0.0 for name in INCIDENT_COLUMNS}
    row.update(incident=number, noise=False, severity="P1", fault="web-crash")
    row.update(fault_kind="crash", onset=100.0 * number, detected=100.0 * number + 1)
    row[RESOLVED_AT] = 100.0 * number + 30
    row.update(kw)
    return row


def facts(replication: int, rows: list[dict[str, Any]], strategy: str = "manual") -> Facts:
    f = Facts(strategy, replication, 1000 + replication)
    f.columns = {name: [r[name] for r in rows] for name in (*INCIDENT_COLUMNS, RESOLVED_AT)}
    return f


def test_metric_max_is_judged_on_the_upper_end_of_the_interval() -> None:
    rng = np.random.default_rng(0)
    data = [facts(r, [incident(i, ttr=10.0 + r + i) for i in range(1, 6)]) for r in range(30)]
    exp = MetricExpectation(metric="mttr.mean", max=40.0)
    found = judge_metric(exp, "manual", data, rng)
    assert found.ok and found.estimate.lo < found.estimate.value < found.estimate.hi <= 40
    # A limit between the point estimate and the upper end fails: the rule is the CI.
    between = (found.estimate.value + found.estimate.hi) / 2
    tight = judge_metric(MetricExpectation(metric="mttr.mean", max=between), "manual", data, rng)
    assert not tight.ok
    assert "-> FAIL (upper " in tight.line and "> max" in tight.line
    low = judge_metric(MetricExpectation(metric="mttr.mean", min=between), "manual", data, rng)
    assert not low.ok and "lower " in low.line and "< min" in low.line


def test_metric_without_data_cannot_pass() -> None:
    found = judge_metric(
        MetricExpectation(metric="mttr.p90", max=60.0),
        "manual",
        [facts(0, [])],
        np.random.default_rng(0),
    )
    assert not found.ok and "no incidents to measure" in found.line


def test_unmitigated_incidents_are_left_out_and_counted() -> None:
    rows = [incident(1, ttr=10.0), incident(2, ttr=math.nan)]
    found = judge_metric(
        MetricExpectation(metric="mttr.mean", max=60.0), "manual", [facts(0, rows), facts(1, rows)],
        np.random.default_rng(0),
    )  # fmt: skip
    assert (
        found.ok and found.censored == 2 and "2 unmitigated at the horizon left out" in found.line
    )


def test_all_resolved_excuses_only_incidents_that_started_too_late(sut: ScenarioUnderTest) -> None:
    # Resolved incidents took at most 30 minutes; one opened 10 minutes before the horizon.
    late = incident(9, onset=HORIZON - 10, detected=HORIZON - 9, **{RESOLVED_AT: math.nan})
    sut.facts = {"manual": [facts(0, [incident(1), incident(2), late])]}
    ok = check_all_resolved(sut, ["manual"])
    assert ok.ok and "1 still open at the horizon" in ok.message

    stuck = incident(3, **{RESOLVED_AT: math.nan})  # opened at t=300, never resolved
    sut.facts = {"manual": [facts(0, [incident(1), incident(2), stuck, late])]}
    bad = check_all_resolved(sut, ["manual"])
    assert not bad.ok
    assert (
        "manual replication 0 (seed 1000): incident 3 (web-crash) started at t=300.0 min (5h00m)"
        in bad.message
    )
    assert "the longest any incident took to resolve was 30.0 min" in bad.message


def test_lifecycle_replay_finds_illegal_and_unknown_transitions() -> None:
    def tr(t: float, n: int, src: str, dst: str, reason: str = "") -> Event:
        return Event(t, "transition", n, "web", "alex", {"from": src, "to": dst, "reason": reason})

    good = [
        tr(1, 1, "open", "triage"),
        tr(2, 1, "triage", "mitigating"),
        tr(3, 1, "mitigating", "resolved"),
    ]
    assert audit_problems(good) == (1, [], {1: 3})
    skipped = [tr(1, 2, "open", "mitigating")]
    checked, problems, _ = audit_problems(good + skipped + [tr(5, 3, "open", "flying")])
    assert checked == 3
    assert problems[0][0] == 3 and "'flying' is not a valid State" in problems[0][1]
    assert problems[1] == (2, "audit[0] of incident 2: open -> mitigating is illegal")
    dismissed = [tr(1, 4, "open", "resolved")]  # dismissing needs a reason
    assert "dismiss needs reason given" in audit_problems(dismissed)[1][0][1]


def test_lifecycle_check_counts_runs_stopped_by_an_illegal_transition(
    sut: ScenarioUnderTest,
) -> None:
    crashed = facts(0, [incident(1)])
    crashed.error = (
        "Traceback ...\nsim.response.lifecycle.IllegalTransition: incident 7: cannot mark\n"
    )
    sut.facts = {"manual": [crashed]}
    found = check_lifecycle(sut, ["manual"])
    assert not found.ok
    assert (
        "manual replication 0 (seed 1000) stopped: sim.response.lifecycle.IllegalTransition"
        in found.message
    )


MINE, OTHER, EXPERTS = "runbook:fix-crash", "runbook:other", "specialists"


@pytest.mark.parametrize(
    ("ends", "ok", "says"),
    [
        ({("crash", MINE): 5, ("crash", EXPERTS): 1}, True, "ended by fix-crash: 5"),
        (
            {("crash", MINE): 5, ("crash", OTHER): 1},
            False,
            "other runbooks also ended 'crash' faults: other (1)",
        ),
        ({("crash", EXPERTS): 4}, False, "fix-crash never ended a 'crash' fault"),
        ({("crash", MINE): 1, ("crash", EXPERTS): 3}, False, "fewer 'crash' faults than"),
        ({("latency", MINE): 3}, False, "no 'crash' fault occurred"),
    ],
)
def test_fixed_by_readings(
    sut: ScenarioUnderTest, ends: dict[tuple[str, str], int], ok: bool, says: str
) -> None:
    f = facts(0, [])
    f.fault_ends = Counter(ends)
    sut.facts = {"manual": [f]}
    found = check_fixed_by(
        sut, FixedByExpectation(check="fixed_by", fault="crash", runbook="fix-crash"), ["manual"]
    )
    assert found.ok is ok and says in found.message


def test_max_wait_judges_real_incidents_and_shows_noise(sut: ScenarioUnderTest) -> None:
    rows = [incident(1, waited=20.0), incident(2, waited=500.0, noise=True)]
    sut.facts = {"manual": [facts(0, rows)]}
    exp = MaxWaitExpectation(check="max_wait", max=30.0)
    found = check_max_wait(sut, exp, ["manual"])
    assert found.ok and "longest wait for a responder 20.0 min" in found.message
    assert "noise incidents waited up to 500.0 min (8h20m)" in found.message
    sut.facts = {"manual": [facts(0, [incident(1, waited=45.0, severity="P0")])]}
    late = check_max_wait(sut, exp, ["manual"])
    assert not late.ok and "incident 1, severity P0) > max 30.0 min" in late.message


def test_triages_to_names_the_rule_that_decided(sut: ScenarioUnderTest) -> None:
    from sim.spec.expect import TriagesToExpectation

    ok = check_triages_to(
        sut, TriagesToExpectation(check="triages_to", alert="web-down", severity="P1")
    )
    assert ok.ok and "decided by down-is-p1" in ok.message
    bad = check_triages_to(
        sut, TriagesToExpectation(check="triages_to", alert="web-down", severity="P0")
    )
    assert not bad.ok
    assert bad.message.startswith("web-down triages to P1, not P0, for fault web-crash on web")
    assert "rule 'down-is-p1'" in bad.message
