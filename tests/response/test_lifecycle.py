"""Incident lifecycle: transition table, guards, milestones, audit log, replay, Mermaid."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.response import TRANSITIONS, AuditEntry, IllegalTransition, Incident, State, replay
from sim.response.lifecycle import allowed, mermaid

OPEN, T, M, R, P, C = State

# The documented table, written out independently of the code's TRANSITIONS.
EXPECTED_EDGES = {
    (OPEN, T): "acknowledge",
    (T, M): "start_mitigation",
    (M, R): "resolve",
    (R, P): "start_review",
    (P, C): "close",
    (M, T): "retriage",
    (R, M): "reopen",
    (OPEN, R): "dismiss",
    (T, R): "dismiss",
    (R, C): "close_without_review",
}
NEEDS_REASON = {(M, T), (R, M), (OPEN, R), (T, R)}


def test_the_table_is_the_documented_one() -> None:
    assert {k: v.name for k, v in TRANSITIONS.items()} == EXPECTED_EDGES
    assert allowed(C) == ()
    with pytest.raises(TypeError):
        TRANSITIONS[(C, OPEN)] = TRANSITIONS[(OPEN, T)]  # type: ignore[index]


def test_happy_path_sets_every_milestone_and_audits_every_step() -> None:
    inc = Incident("inc-1", 10.0, severity="P1")
    inc.acknowledge(12.0, "alice")
    inc.start_mitigation(15.0, "alice", "runbook restart-checkout")
    inc.mark_mitigated(31.0, "automation")
    inc.resolve(40.0, "alice")
    inc.start_review(60.0, "bob")
    inc.close(2000.0, "bob")
    assert inc.state is C
    ms = inc.milestones
    assert (ms.detected, ms.acknowledged, ms.mitigated, ms.resolved) == (10.0, 12.0, 31.0, 40.0)
    assert (ms.acknowledged_by, ms.mitigated_by) == ("alice", "automation")
    assert [(e.t, e.from_state, e.to_state, e.actor) for e in inc.audit] == [
        (12.0, OPEN, T, "alice"),
        (15.0, T, M, "alice"),
        (40.0, M, R, "alice"),
        (60.0, R, P, "bob"),
        (2000.0, P, C, "bob"),
    ]
    assert inc.audit[1].reason == "runbook restart-checkout"
    assert {e.incident_id for e in inc.audit} == {"inc-1"}
    assert replay(inc.audit) is C


def _at(state: State, severity: str = "P1") -> Incident:
    """An incident driven into ``state`` along the main path."""
    inc = Incident("i", 0.0, severity=severity)  # type: ignore[arg-type]
    path = [T, M, R, P, C]
    for n, to in enumerate(path[: [OPEN, *path].index(state)]):
        if to is R:
            inc.mark_mitigated(n + 0.5, "a")
        inc.transition(to, t=n + 1.0, actor="a")
    assert inc.state is state
    return inc


@pytest.mark.parametrize("src", list(State))
@pytest.mark.parametrize("dst", list(State))
def test_every_pair_outside_the_table_is_illegal_and_changes_nothing(
    src: State, dst: State
) -> None:
    if (src, dst) in EXPECTED_EDGES:
        return
    inc = _at(src)
    before = (inc.state, list(inc.audit), dataclasses.replace(inc.milestones))
    with pytest.raises(IllegalTransition, match=f"{src} -> {dst} is not a transition"):
        inc.transition(dst, t=100.0, actor="x", reason="because")
    assert (inc.state, inc.audit, inc.milestones) == before


def test_resolve_needs_mitigation_first() -> None:
    inc = _at(M)
    with pytest.raises(
        IllegalTransition, match=r"resolve \(mitigating -> resolved\) needs mitigated"
    ):
        inc.resolve(10.0, "a")
    inc.mark_mitigated(10.0, "a")
    inc.resolve(11.0, "a")
    assert inc.state is R


@pytest.mark.parametrize("src", [OPEN, T])
def test_dismiss_needs_a_reason(src: State) -> None:
    inc = _at(src)
    with pytest.raises(IllegalTransition, match=r"dismiss .* needs reason given"):
        inc.resolve(10.0, "a", reason="   ")
    inc.resolve(10.0, "a", reason="false positive: synthetic probe misconfigured")
    assert inc.state is R
    assert inc.milestones.mitigated is None  # nothing was mitigated


@pytest.mark.parametrize(
    ("severity", "reason", "ok"),
    [
        ("P3", "", True),
        ("P2", "", True),
        ("P1", "", False),
        ("P0", "", False),
        ("P0", "review waived: duplicate of INC-7", True),
    ],
)
def test_closing_without_review_is_for_minor_incidents_or_with_a_reason(
    severity: str, reason: str, ok: bool
) -> None:
    inc = _at(R, severity)
    if ok:
        inc.close(10.0, "a", reason)
        assert inc.state is C
    else:
        with pytest.raises(IllegalTransition, match="P2/P3 or reason given"):
            inc.close(10.0, "a", reason)


def test_retriage_and_reopen_need_reasons_and_reopen_clears_mitigation() -> None:
    inc = _at(M)
    with pytest.raises(IllegalTransition):
        inc.retriage(5.0, "a", "")
    inc.retriage(5.0, "a", "wrong runbook: it was the database")
    inc.start_mitigation(6.0, "a")
    inc.mark_mitigated(7.0, "a")
    inc.resolve(8.0, "a")
    with pytest.raises(IllegalTransition):
        inc.reopen(9.0, "a", "")
    inc.reopen(9.0, "a", "errors are back")
    assert inc.state is M
    assert inc.milestones.mitigated is None and inc.milestones.resolved is None
    with pytest.raises(IllegalTransition, match="needs mitigated"):
        inc.resolve(10.0, "a")  # the earlier mitigation no longer counts


def test_acknowledged_is_kept_from_the_first_acknowledgement() -> None:
    inc = _at(M)
    inc.retriage(5.0, "b", "wrong runbook")
    assert inc.milestones.acknowledged == 1.0


def test_time_may_not_go_backwards() -> None:
    inc = Incident("i", 10.0)
    with pytest.raises(IllegalTransition, match="before the last event"):
        inc.acknowledge(9.0, "a")
    with pytest.raises(IllegalTransition):
        inc.acknowledge(float("nan"), "a")
    inc.acknowledge(10.0, "a")  # same instant is fine
    with pytest.raises(IllegalTransition):
        inc.mark_mitigated(9.5, "a")


def test_mark_mitigated_only_before_resolution() -> None:
    inc = _at(R)
    with pytest.raises(IllegalTransition, match="cannot mark mitigated in state resolved"):
        inc.mark_mitigated(10.0, "a")
    early = Incident("j", 0.0)
    early.mark_mitigated(1.0, "self-healed")
    early.mark_mitigated(2.0, "x")  # the first time counts
    assert early.milestones.mitigated == 1.0


# ----------------------------------------------------------------------------- replay


def _entry(t: float, src: State, dst: State, reason: str = "r", iid: str = "i") -> AuditEntry:
    return AuditEntry(t, iid, src, dst, "a", reason)


def test_replay_rejects_tampered_logs() -> None:
    assert replay([]) is OPEN
    good = [_entry(1, OPEN, T), _entry(2, T, M), _entry(3, M, R)]
    assert replay(good) is R
    assert Incident.replay(good) is R
    bad_logs = {
        "starts in triage, but state is mitigating": [*good[:2], _entry(3, T, M)],
        "open -> closed is illegal": [_entry(1, OPEN, C)],
        "t=1 is before t=2": [_entry(2, OPEN, T), _entry(1, T, M)],
        "needs reason given": [_entry(1, OPEN, R, reason="")],
        "belongs to another incident": [good[0], _entry(2, T, M, iid="other")],
    }
    for message, log in bad_logs.items():
        with pytest.raises(IllegalTransition, match=message):
            replay(log)


# ---------------------------------------------------------- property: any event sequence

EVENTS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "transition",
                "acknowledge",
                "start_mitigation",
                "mark_mitigated",
                "resolve",
                "retriage",
                "reopen",
                "start_review",
                "close",
                "severity",
            ]
        ),
        st.sampled_from(list(State)),
        st.sampled_from([0.0, 0.5, 3.0, -1.0]),  # time step; negative = clock goes backwards
        st.sampled_from(["", "why not"]),
        st.sampled_from(["P0", "P1", "P2", "P3"]),
        st.sampled_from(["automation", "human"]),
    ),
    max_size=40,
)
_HELPER_TARGET = {
    "acknowledge": T,
    "start_mitigation": M,
    "resolve": R,
    "retriage": T,
    "reopen": M,
    "start_review": P,
    "close": C,
}


def _expected_legal(inc: Incident, dst: State, t: float, reason: str) -> bool:
    """An oracle written from the documentation, independent of TRANSITIONS."""
    edge = (inc.state, dst)
    if edge not in EXPECTED_EDGES or not t >= inc._last_t:
        return False
    if edge in NEEDS_REASON and not reason.strip():
        return False
    if edge == (M, R) and inc.milestones.mitigated is None:
        return False
    return not (edge == (R, C) and inc.severity in ("P0", "P1") and not reason.strip())


@settings(max_examples=400, deadline=None)
@given(events=EVENTS)
def test_any_event_sequence_keeps_a_legal_state_and_a_replayable_audit(
    events: list[tuple[str, State, float, str, str, str]],
) -> None:
    inc = Incident("inc-p", 0.0, severity="P2")
    t = 0.0
    for kind, dst, dt, reason, severity, by in events:
        t += dt
        before: Any = (inc.state, list(inc.audit), dataclasses.replace(inc.milestones))
        if kind == "severity":
            inc.set_severity(severity, t=t, actor="x", by=by)  # type: ignore[arg-type]
            continue
        call: Callable[[], object]
        if kind == "mark_mitigated":
            legal = inc.state in (OPEN, T, M) and t >= inc._last_t
            call = partial(inc.mark_mitigated, t, "x")
        elif kind == "transition":
            legal = _expected_legal(inc, dst, t, reason)
            call = partial(inc.transition, dst, t=t, actor="x", reason=reason)
        else:
            legal = _expected_legal(inc, _HELPER_TARGET[kind], t, reason)
            call = partial(getattr(inc, kind), t, "x", reason)
        try:
            call()
        except IllegalTransition:
            assert not legal, f"{kind} -> rejected but legal per the docs"
            assert (inc.state, inc.audit, inc.milestones) == before
        else:
            assert legal, f"{kind} accepted but illegal per the docs"
        assert isinstance(inc.state, State)
        assert replay(inc.audit) is inc.state
        # milestone invariants
        resolved_states = (R, P, C)
        assert (inc.milestones.resolved is not None) == (inc.state in resolved_states)
        times = [e.t for e in inc.audit]
        assert times == sorted(times)


# ---------------------------------------------------------------------------- mermaid


def test_mermaid_is_generated_from_the_table() -> None:
    text = mermaid()
    lines = text.splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert "    [*] --> open: alert fires" in lines
    edges = [ln for ln in lines if re.match(r"^    [a-z_]+ --> [a-z_]+: ", ln)]
    assert len(edges) == len(TRANSITIONS)
    for (src, dst), transition in TRANSITIONS.items():
        label = transition.name
        if transition.guard is not None:
            label += f" [{transition.guard.label}]"
        assert f"    {src} --> {dst}: {label}" in lines
    assert "    closed --> [*]" in lines
    assert text.endswith("\n")


def test_plain_strings_are_accepted_as_states_and_audited_as_states() -> None:
    inc = Incident("i", 0.0)
    entry = inc.transition("triage", t=1.0, actor="a")  # type: ignore[arg-type]
    assert entry.to_state is T and inc.state is T
    assert replay(inc.audit) is T
    with pytest.raises(ValueError):
        inc.transition("fixed", t=2.0, actor="a")  # type: ignore[arg-type]
