"""Runbook executor: every on_failure policy, fallback, journal, bound, properties."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sim.response import (
    Done,
    ExecutorError,
    Mode,
    RunbookExecutor,
    StepOutcome,
    StepRequest,
    compile_runbook,
    select_automated,
)
from sim.spec.runbook import RunbookSpec

from .conftest import runbook, step

Result = bool | str  # True: success; False or a failure kind: failure


def drive(
    spec: RunbookSpec, results: Iterable[Result], automated: Iterable[str] = ()
) -> tuple[Done, list[str], RunbookExecutor]:
    """Run ``spec`` feeding ``results`` in order; trace items are ``phase:id:a|m``."""
    ex = RunbookExecutor(compile_runbook(spec), frozenset(automated))
    feed = iter(results)
    trace: list[str] = []
    t = 0.0
    while not isinstance(request := ex.next_request(), Done):
        result = next(feed)
        trace.append(f"{request.phase}:{request.step.id}:{request.mode.value[0]}")
        if result is True:
            ex.record(StepOutcome.success("ann", t, t + 1))
        else:
            kind = result if isinstance(result, str) else "error"
            ex.record(StepOutcome.failure(kind, "ann", t, t + 1))  # type: ignore[arg-type]
        t += 1
    assert next(feed, None) is None, "not every result was used"
    return request, trace, ex


# ------------------------------------------------------------------------- on_failure


def test_success_runs_steps_in_order() -> None:
    done, trace, _ = drive(runbook(step("a"), step("b"), step("c")), [True] * 3)
    assert (done.outcome, done.mitigated) == ("completed", True)  # last step mitigates
    assert trace == ["main:a:m", "main:b:m", "main:c:m"]


def test_retry_tries_again_while_failures_within_retries() -> None:
    spec = runbook(step("a", retries=2, on_failure="retry"), step("b"))
    done, trace, ex = drive(spec, [False, "timeout", True, True])
    assert done.outcome == "completed"
    assert trace == ["main:a:m"] * 3 + ["main:b:m"]
    assert [e.attempt for e in ex.journal] == [1, 2, 3, 1]
    assert [e.then for e in ex.journal[:2]] == ["retry 1/2", "retry 2/2"]


def test_retry_escalates_once_retries_are_used_up() -> None:
    spec = runbook(step("a", retries=2, on_failure="retry"), step("b"))
    done, trace, _ = drive(spec, [False, False, "verify_failed"])
    assert done == Done("escalated", "step 'a' failed 3 times (retries: 2)", False)
    assert trace == ["main:a:m"] * 3


def test_retry_with_zero_retries_escalates_at_once() -> None:
    done, trace, _ = drive(runbook(step("a", on_failure="retry")), [False])
    assert done.outcome == "escalated" and trace == ["main:a:m"]


def test_forward_goto_is_always_taken() -> None:
    spec = runbook(step("a", on_failure="goto:c"), step("b"), step("c"))
    done, trace, _ = drive(spec, [False, True])
    assert done.outcome == "completed"
    assert trace == ["main:a:m", "main:c:m"]


def test_backward_goto_is_bounded_by_retries() -> None:
    spec = runbook(step("a"), step("b", retries=1, on_failure="goto:a"), step("c"))
    done, trace, _ = drive(spec, [True, False, True, True, True])
    assert done.outcome == "completed"
    assert trace == ["main:a:m", "main:b:m", "main:a:m", "main:b:m", "main:c:m"]
    done, trace, _ = drive(spec, [True, False, True, False])
    assert done == Done("escalated", "step 'b' failed 2 times (retries: 1)", False)


def test_goto_to_itself_is_a_retry() -> None:
    spec = runbook(step("a", retries=1, on_failure="goto:a"))
    done, trace, _ = drive(spec, [False, False])
    assert done.outcome == "escalated" and trace == ["main:a:m"] * 2


def test_escalate_is_the_default_policy() -> None:
    done, _, _ = drive(runbook(step("a"), step("b")), [True, False])
    assert done == Done("escalated", "step 'b' failed (on_failure: escalate)", False)


def test_abort() -> None:
    done, _, _ = drive(runbook(step("a", on_failure="abort"), step("b")), [False])
    assert done == Done("aborted", "step 'a' failed (on_failure: abort)", False)


ROLLBACK_SPEC = runbook(
    step("a", mitigates=True),
    step("b", on_failure="rollback"),
    rollback=(step("r1", automatable=True), step("r2")),
)


def test_rollback_runs_the_rollback_steps_in_order_then_ends_rolled_back() -> None:
    done, trace, ex = drive(ROLLBACK_SPEC, [True, False, True, True])
    assert done == Done("rolled_back", "rollback steps completed", True)
    assert trace == ["main:a:m", "main:b:m", "rollback:r1:m", "rollback:r2:m"]
    assert [e.phase for e in ex.journal] == ["main", "main", "rollback", "rollback"]


def test_a_failing_rollback_step_escalates() -> None:
    done, trace, _ = drive(ROLLBACK_SPEC, [True, False, True, False])
    assert done == Done("escalated", "rollback step 'r2' failed", True)
    assert trace[-1] == "rollback:r2:m"


def test_automated_rollback_step_falls_back_to_manual_once() -> None:
    done, trace, _ = drive(ROLLBACK_SPEC, [True, False, False, True, True], automated={"r1"})
    assert done.outcome == "rolled_back"
    assert trace[2:] == ["rollback:r1:a", "rollback:r1:m", "rollback:r2:m"]


def test_rollback_without_rollback_steps_ends_rolled_back() -> None:
    done, _, _ = drive(runbook(step("a", on_failure="rollback")), [False])
    assert done.outcome == "rolled_back"


# ------------------------------------------------------------------ automation fallback


def test_failed_automation_hands_over_to_a_human_without_using_a_retry() -> None:
    spec = runbook(step("a", automatable=True, retries=1, on_failure="retry"), step("b"))
    # auto fails -> manual fails (failure 1 <= 1: retry) -> auto fails -> manual fails: escalate
    done, trace, ex = drive(spec, [False, False, False, False], automated={"a"})
    assert done.outcome == "escalated"
    assert trace == ["main:a:a", "main:a:m", "main:a:a", "main:a:m"]
    assert ex.journal[0].then == "automation failed: a human takes over"
    done, trace, _ = drive(spec, [False, True, True], automated={"a"})
    assert done.outcome == "completed"
    assert trace == ["main:a:a", "main:a:m", "main:b:m"]


def test_the_caller_decides_what_is_automated() -> None:
    spec = runbook(step("a", automatable=True), step("b", automatable=True))
    _, trace, _ = drive(spec, [True, True], automated={"b"})
    assert trace == ["main:a:m", "main:b:a"]
    _, trace, _ = drive(spec, [True, True])
    assert trace == ["main:a:m", "main:b:m"]
    with pytest.raises(ValueError, match="not automatable steps: zz"):
        RunbookExecutor(compile_runbook(spec), frozenset({"zz"}))
    with pytest.raises(ValueError, match="not automatable"):
        RunbookExecutor(compile_runbook(runbook(step("m"))), frozenset({"m"}))


def test_requests_carry_approval_and_attempt() -> None:
    spec = runbook(step("a", automatable=True, requires_approval=True))
    ex = RunbookExecutor(compile_runbook(spec), frozenset({"a"}))
    first = ex.next_request()
    assert first == StepRequest(spec.steps[0], 1, Mode.AUTOMATED, True, "main")
    ex.record(StepOutcome.failure("error", "bot", 0, 1))
    second = ex.next_request()
    assert second == StepRequest(spec.steps[0], 2, Mode.MANUAL, True, "main")


# ------------------------------------------------------------------- next, mitigation


def test_next_skips_forward_and_end_finishes() -> None:
    spec = runbook(step("a", next="c"), step("b"), step("c", next="end"), step("d"))
    done, trace, _ = drive(spec, [True, True])
    assert done.outcome == "completed"
    assert trace == ["main:a:m", "main:c:m"]
    assert done.mitigated is False  # d (the last step) mitigates and never ran


def test_mitigated_once_the_mitigating_step_succeeded() -> None:
    spec = runbook(step("a"), step("b", mitigates=True), step("c"))
    assert drive(spec, [True, True, False])[0] == Done(
        "escalated", "step 'c' failed (on_failure: escalate)", True
    )
    assert drive(spec, [True, False])[0].mitigated is False


# --------------------------------------------------------------------- protocol, journal


def test_protocol_errors_and_idempotent_requests() -> None:
    ex = RunbookExecutor(compile_runbook(runbook(step("a"))))
    with pytest.raises(ExecutorError, match="without a pending request"):
        ex.record(StepOutcome.success("x", 0, 1))
    first = ex.next_request()
    assert ex.next_request() is first  # asking twice does not issue a second request
    assert ex.requests == 1
    assert ex.record(StepOutcome.success("x", 0, 1)) == Done(
        "completed", "all steps succeeded", True
    )
    assert ex.next_request() is ex.done
    with pytest.raises(ExecutorError):
        ex.record(StepOutcome.success("x", 1, 2))


@pytest.mark.parametrize(
    "args",
    [
        (True, "error", "x", 0.0, 1.0),
        (False, None, "x", 0.0, 1.0),
        (False, "crash", "x", 0.0, 1.0),
        (True, None, "x", 2.0, 1.0),
    ],
)
def test_step_outcomes_are_validated(args: tuple[Any, ...]) -> None:
    with pytest.raises(ValueError):
        StepOutcome(*args)


def test_journal_records_every_attempt() -> None:
    spec = runbook(step("a", retries=1, on_failure="retry"), step("b"))
    ex = RunbookExecutor(compile_runbook(spec))
    for outcome in (
        StepOutcome.failure("timeout", "ann", 0.0, 30.0, output="no answer"),
        StepOutcome.success("bob", 31.0, 35.0),
        StepOutcome.success("bob", 35.0, 36.5, output="ok"),
    ):
        ex.next_request()
        ex.record(outcome)
    first = ex.journal[0]
    assert (first.step_id, first.actor, first.started, first.ended) == ("a", "ann", 0.0, 30.0)
    assert (first.ok, first.kind, first.output, first.mode) == (
        False,
        "timeout",
        "no answer",
        Mode.MANUAL,
    )
    journal = ex.to_chaostoolkit_journal()
    assert journal["status"] == "completed"
    assert (journal["start"], journal["end"]) == (0.0, 36.5)
    assert [(r["activity"]["name"], r["status"]) for r in journal["run"]] == [
        ("a", "failed"),
        ("a", "succeeded"),
        ("b", "succeeded"),
    ]
    assert journal["run"][0]["exception"] == "timeout"
    assert journal["run"][0]["duration"] == 30.0
    assert journal["rollbacks"] == []


@pytest.mark.parametrize(
    ("results", "status"),
    [
        ([True, True], "completed"),
        ([True, False, True, True], "failed"),  # rolled back
        ([True, False, False], "failed"),  # escalated
    ],
)
def test_chaostoolkit_status(results: list[Result], status: str) -> None:
    _, _, ex = drive(ROLLBACK_SPEC, results)
    journal = ex.to_chaostoolkit_journal()
    assert journal["status"] == status
    assert len(journal["run"]) + len(journal["rollbacks"]) == len(results)


def test_chaostoolkit_status_aborted_and_interrupted() -> None:
    _, _, ex = drive(runbook(step("a", on_failure="abort")), [False])
    assert ex.to_chaostoolkit_journal()["status"] == "aborted"
    fresh = RunbookExecutor(compile_runbook(runbook(step("a"))))
    assert fresh.to_chaostoolkit_journal()["status"] == "interrupted"


# ------------------------------------------------------------------ select_automated


def _four_automatable() -> RunbookSpec:
    return runbook(
        step("a", automatable=True),
        step("m"),
        step("b", automatable=True),
        step("c", automatable=True),
        rollback=(step("r", automatable=True),),
    )


@pytest.mark.parametrize(
    ("coverage", "expected"),
    [
        (0.0, set()),
        (0.125, set()),  # (0 + 0.5) / 4 < 0.125 is false
        (0.13, {"a"}),
        (0.5, {"a", "b"}),
        (0.9, {"a", "b", "c", "r"}),
        (1.0, {"a", "b", "c", "r"}),
    ],
)
def test_select_automated(coverage: float, expected: set[str]) -> None:
    spec = _four_automatable()
    assert select_automated(spec, coverage) == expected
    assert select_automated(compile_runbook(spec), coverage) == expected


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1))
def test_select_automated_is_monotone(low: float, high: float) -> None:
    low, high = sorted((low, high))
    spec = _four_automatable()
    assert select_automated(spec, low) <= select_automated(spec, high)


@pytest.mark.parametrize("coverage", [-0.1, 1.5, float("nan")])
def test_select_automated_rejects_bad_coverage(coverage: float) -> None:
    with pytest.raises(ValueError, match="coverage"):
        select_automated(_four_automatable(), coverage)


# --------------------------------------------------------------- compile and the bound


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (runbook(step("a", on_failure="goto:nope")), "goes to unknown step 'nope'"),
        (runbook(step("a"), step("b", next="a")), "has next 'a'"),
        (runbook(step("a", next="a")), "has next 'a'"),
        (runbook(step("a", next="zz")), "has next 'zz'"),
        (runbook(step("a"), rollback=(step("a"),)), "not unique"),
    ],
)
def test_compile_rejects_what_would_break_termination(spec: RunbookSpec, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compile_runbook(spec)


def test_on_failure_with_a_trailing_newline_is_rejected_by_the_spec() -> None:
    # regression: re.match with "$" accepted "retry\n", which then matched no policy
    with pytest.raises(ValidationError, match="on_failure must be one of"):
        runbook(step("a", on_failure="retry\n"))


def loose_bound(spec: RunbookSpec) -> int:
    retries = sum(s.retries for s in spec.steps)
    return 2 * (1 + retries) * len(spec.steps) + 2 * len(spec.rollback)


def test_bound_of_a_worked_example() -> None:
    spec = runbook(
        step("check", retries=1, on_failure="retry"),  # 1 * (1 + 0 + 1) = 2
        step("drain", automatable=True, on_failure="abort"),  # 2 * 1 = 2
        step("restart", automatable=True, on_failure="rollback"),  # 2 * (1 + 2) = 6
        step("verify", retries=2, on_failure="goto:restart"),  # 1 * (1 + 2) = 3
        rollback=(step("undrain"),),  # 1
    )
    assert compile_runbook(spec).max_requests == 14
    assert loose_bound(spec) == 2 * 4 * 4 + 2


def test_bound_is_attained_by_an_adversary() -> None:
    spec = runbook(step("a", automatable=True, retries=2, on_failure="retry"))
    program = compile_runbook(spec)
    assert program.max_requests == 6
    _, trace, ex = drive(spec, [False] * 6, automated={"a"})
    assert ex.requests == len(trace) == program.max_requests


# -------------------------------------------------------------- property: termination


@st.composite
def runbooks(draw: st.DrawFn) -> RunbookSpec:
    n = draw(st.integers(1, 6))
    ids = [f"s{i}" for i in range(n)]
    mitigating = draw(st.none() | st.sampled_from(ids))
    steps = []
    for i, sid in enumerate(ids):
        policy = draw(st.sampled_from(["retry", "escalate", "rollback", "abort", "goto"]))
        if policy == "goto":
            policy = f"goto:{draw(st.sampled_from(ids))}"
        steps.append(
            step(
                sid,
                retries=draw(st.integers(0, 3)),
                on_failure=policy,
                automatable=draw(st.booleans()),
                requires_approval=draw(st.booleans()),
                mitigates=sid == mitigating,
                next=draw(st.none() | st.sampled_from(["end", *ids[i + 1 :]])),
            )
        )
    rollback = tuple(
        step(f"r{k}", automatable=draw(st.booleans())) for k in range(draw(st.integers(0, 3)))
    )
    return runbook(*steps, rollback=rollback)


OUTCOMES = st.sampled_from([True, "error", "timeout", "verify_failed"])


@settings(max_examples=400, deadline=None)
@given(spec=runbooks(), data=st.data())
def test_any_runbook_and_outcomes_terminate_within_the_bound(
    spec: RunbookSpec, data: st.DataObject
) -> None:
    program = compile_runbook(spec)
    assert program.max_requests <= loose_bound(spec)
    coverage = data.draw(st.floats(0, 1), label="coverage")
    automated = select_automated(spec, coverage)
    ex = RunbookExecutor(program, automated)
    phase = "main"
    while not isinstance(request := ex.next_request(), Done):
        assert ex.requests <= program.max_requests
        # the request is one of the spec's own steps, in the right list
        pool = spec.steps if request.phase == "main" else spec.rollback
        assert any(request.step is s for s in pool)
        assert not (phase == "rollback" and request.phase == "main")  # never back to main
        phase = request.phase
        assert (request.mode is Mode.AUTOMATED) <= (request.step.id in automated)
        assert request.needs_approval == request.step.requires_approval
        result = data.draw(OUTCOMES)
        outcome = (
            StepOutcome.success("x", 0, 0)
            if result is True
            else StepOutcome.failure(result, "x", 0, 0)  # type: ignore[arg-type]
        )
        ex.record(outcome)
    assert len(ex.journal) == ex.requests <= program.max_requests
    assert request is ex.next_request()
    if request.outcome == "completed":
        assert ex.journal[-1].ok and ex.journal[-1].phase == "main"
    if request.mitigated:
        assert any(e.ok and e.step_id == spec.mitigating_step for e in ex.journal)
