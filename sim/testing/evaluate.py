"""Turn one ``expect:`` entry of a scenario under test into a :class:`CaseResult`.

The simulation must already have run for the strategies the expectation needs
(``ScenarioUnderTest.ensure``). Bootstrap generators are seeded from (seed, expectation
index, strategy position), so an expectation's interval does not depend on which other
expectations were evaluated before it (``pytest -k`` gives the same verdicts).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from sim.spec.expect import (
    CheckExpectation,
    FixedByExpectation,
    MaxWaitExpectation,
    MetricExpectation,
    TriagesToExpectation,
)

from .bounds import Judgement, judge_metric, metric_rule
from .checks import (
    Verdict,
    check_all_resolved,
    check_fixed_by,
    check_lifecycle,
    check_max_wait,
    check_replications,
)
from .results import CaseResult, Status, now
from .scenario import ScenarioUnderTest, expectation_kind
from .triage import check_triages_to

__all__ = ["evaluate_expectation", "replications_case"]


def _metric(sut: ScenarioUnderTest, index: int, exp: MetricExpectation) -> Verdict:
    judgements = []
    order = list(sut.spec.strategies)
    for strategy in sut.strategies_for(exp):
        rng = np.random.default_rng([sut.seed, index, order.index(strategy)])
        judgements.append(judge_metric(exp, strategy, sut.completed(strategy), rng))
    failing = [j for j in judgements if not j.ok]
    details = [j.line for j in judgements]
    measured: dict[str, Any] = {
        "metric": exp.metric,
        "max": exp.max,
        "min": exp.min,
        "strategies": {j.strategy: j.to_dict() for j in judgements},
    }
    if failing:
        others = f" (and {len(failing) - 1} more strategies)" if len(failing) > 1 else ""
        return Verdict(False, failing[0].line + others, metric_rule(exp), details, measured)
    if len(judgements) == 1:
        return Verdict(True, judgements[0].line, metric_rule(exp), [], measured)
    # All pass: the one line names the strategy closest to its limit.
    closest = max(judgements, key=lambda j: _closeness(j, exp))
    msg = f"all {len(judgements)} strategies within the bound; closest: {closest.line}"
    return Verdict(True, msg, metric_rule(exp), details, measured)


def _closeness(j: Judgement, exp: MetricExpectation) -> float:
    """How near a passing judgement is to its limit (1 = at the limit)."""
    if exp.max:
        return j.estimate.hi / exp.max
    if exp.min is not None and j.estimate.lo > 0:
        return exp.min / j.estimate.lo
    return 0.0


def _verdict(sut: ScenarioUnderTest, index: int) -> Verdict:
    exp = sut.spec.expect[index]
    strategies = sut.strategies_for(exp)
    if isinstance(exp, MetricExpectation):
        return _metric(sut, index, exp)
    if isinstance(exp, TriagesToExpectation):
        return check_triages_to(sut, exp)
    if isinstance(exp, FixedByExpectation):
        return check_fixed_by(sut, exp, strategies)
    if isinstance(exp, MaxWaitExpectation):
        return check_max_wait(sut, exp, strategies)
    assert isinstance(exp, CheckExpectation)
    if exp.check == "all_resolved":
        return check_all_resolved(sut, strategies)
    return check_lifecycle(sut, strategies)


def evaluate_expectation(sut: ScenarioUnderTest, index: int) -> CaseResult:
    """Judge ``expect[index]``; its strategies must have been simulated."""
    exp = sut.spec.expect[index]
    line, col = sut.position(index)
    started = now()
    case = partial(
        CaseResult,
        name=sut.case_name(index),
        classname=sut.spec.name,
        file=sut.file,
        line=line,
        col=col,
        kind=expectation_kind(exp),
        started=started,
    )
    if not sut.strategies_for(exp):
        return case(
            status="skipped",
            message=f"strategy filter ({', '.join(sut.only)}) leaves nothing to judge",
            ended=started,
        )
    missing = sut.missing(sut.needs(exp))
    if missing:
        raise RuntimeError(f"strategies not simulated yet: {', '.join(missing)}")
    verdict = _verdict(sut, index)
    status: Status = "passed" if verdict.ok else ("error" if verdict.error else "failed")
    return case(
        status=status,
        message=verdict.message,
        rule=verdict.rule,
        details=verdict.details,
        measured=verdict.measured,
        ended=now(),
    )


def replications_case(sut: ScenarioUnderTest) -> CaseResult:
    """The implicit case: every replication that was simulated ran to the horizon."""
    started = now()
    verdict = check_replications(sut)
    line, col = sut.doc.where_value(("expect",)) if sut.spec.expect else (1, 1)
    return CaseResult(
        name="replications run to the horizon",
        classname=sut.spec.name,
        file=sut.file,
        line=line,
        col=col,
        kind="replications",
        status="passed" if verdict.ok else "error",
        message=verdict.message,
        rule=verdict.rule,
        details=verdict.details,
        measured=verdict.measured,
        started=started,
        ended=now(),
    )
