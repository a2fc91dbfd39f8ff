"""Triage engine: matchers, conditions, precedence, explanations, re-evaluation, grouping."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim.response
from sim.response import (
    AlertGrouper,
    Impact,
    Incident,
    TriageEngine,
    read_payload,
    reassess,
    severity_rank,
    simulated_alert,
)
from sim.spec.triage import SEVERITIES, TriageSpec

from .conftest import AM_SAMPLE, PD_SAMPLE, triage_spec


def alert(**labels: str) -> sim.response.Alert:
    return simulated_alert(labels.pop("alertname", "A"), labels, 0.0, "fp")


def rule(
    name: str,
    severity: str,
    *matchers: str,
    when: tuple[str, ...] = (),
    route: dict[str, str] | None = None,
) -> dict[str, object]:
    out: dict[str, object] = {
        "name": name,
        "severity": severity,
        "matchers": list(matchers),
        "when": list(when),
    }
    if route is not None:
        out["route"] = route
    return out


# ------------------------------------------------------------------ matchers, conditions


@pytest.mark.parametrize(
    ("matcher", "labels", "holds"),
    [
        ('service="api"', {"service": "api"}, True),
        ('service="api"', {"service": "api2"}, False),
        ('service!="api"', {"service": "web"}, True),
        ('service!="api"', {"service": "api"}, False),
        ('service=~"ap.*"', {"service": "api"}, True),
        ('service=~"ap"', {"service": "api"}, False),  # anchored: a prefix is not enough
        ('service=~"pi"', {"service": "api"}, False),  # ... nor a substring
        ('service=~"api|web"', {"service": "web"}, True),  # alternation is anchored as a whole
        ('service!~"api|web"', {"service": "db"}, True),
        ('service!~"api|web"', {"service": "api"}, False),
        # a missing label reads as "" (Alertmanager semantics)
        ('team=""', {}, True),
        ('team!=""', {}, False),
        ('team=~".*"', {}, True),
        ('team=~".+"', {}, False),
        ('team!~".+"', {}, True),
    ],
)
def test_matchers(matcher: str, labels: dict[str, str], holds: bool) -> None:
    engine = TriageEngine(triage_spec(rules=[rule("r", "P1", matcher)]))
    assert (engine.evaluate(alert(**labels)).rule == "r") is holds


@pytest.mark.parametrize(
    ("condition", "impact", "holds"),
    [
        ("affected_users_pct >= 25", Impact(affected_users_pct=25), True),
        ("affected_users_pct >= 25", Impact(affected_users_pct=24.9), False),
        ("affected_users_pct > 25", Impact(affected_users_pct=25), False),
        ("revenue_per_min < 100", Impact(revenue_per_min=99.5), True),
        ("tier <= 1", Impact(tier=1), True),
        ("tier <= 1", Impact(tier=2), False),
        ("services_impacted == 3", Impact(services_impacted=3), True),
        ("alert_count != 1", Impact(alert_count=1), False),
        ("alert_count != 1", Impact(alert_count=2), True),
    ],
)
def test_conditions(condition: str, impact: Impact, holds: bool) -> None:
    engine = TriageEngine(triage_spec(rules=[rule("r", "P1", when=(condition,))]))
    assert (engine.evaluate(alert(), impact).rule == "r") is holds


def test_all_matchers_and_conditions_must_hold() -> None:
    spec = triage_spec(rules=[rule("r", "P0", 'service="api"', when=("tier <= 1",))])
    engine = TriageEngine(spec)
    assert engine.evaluate(alert(service="api"), Impact(tier=1)).rule == "r"
    assert engine.evaluate(alert(service="api"), Impact(tier=2)).rule is None
    assert engine.evaluate(alert(service="web"), Impact(tier=1)).rule is None


def test_no_rule_means_the_default() -> None:
    spec = triage_spec(
        rules=[rule("r", "P0", 'service="x"')],
        default={"severity": "P2", "route": {"team": "ops", "escalation": "ops-low"}},
    )
    decision = TriageEngine(spec).evaluate(alert(service="y"))
    assert decision.severity == "P2"
    assert (decision.route.team, decision.route.escalation) == ("ops", "ops-low")
    assert decision.rule is None
    assert decision.matched == ()
    assert "no rule matched (1 evaluated)" in decision.explanation


# -------------------------------------------------------------------------- precedence

OVERLAPPING = [
    rule("broad-warning", "P2", 'service="api"'),
    rule("api-critical", "P0", 'service="api"', 'severity="critical"'),
    rule("api-also-p0", "P0", 'service="api"'),
    rule("catch-all", "P3"),
]


def test_first_match_takes_the_first_rule_in_file_order() -> None:
    engine = TriageEngine(triage_spec(precedence="first_match", rules=OVERLAPPING))
    decision = engine.evaluate(alert(service="api", severity="critical"))
    assert (decision.rule, decision.severity) == ("broad-warning", "P2")
    assert "first matching rule" in decision.explanation


def test_most_severe_takes_the_most_severe_rule_ties_in_file_order() -> None:
    engine = TriageEngine(triage_spec(precedence="most_severe", rules=OVERLAPPING))
    decision = engine.evaluate(alert(service="api", severity="critical"))
    assert (decision.rule, decision.severity) == ("api-critical", "P0")  # not api-also-p0
    assert "most severe matching rule" in decision.explanation
    other = engine.evaluate(alert(service="api", severity="warning"))
    assert (other.rule, other.severity) == ("api-also-p0", "P0")
    assert engine.evaluate(alert(service="web")).rule == "catch-all"


def test_default_precedence_is_first_match() -> None:
    assert TriageSpec().precedence == "first_match"


rule_sets = st.lists(
    st.tuples(
        st.sampled_from(SEVERITIES),
        st.lists(st.sampled_from(['a="1"', 'a!="1"', 'b=~"x|y"', 'b!~"x"']), max_size=2),
        st.lists(st.sampled_from(["tier <= 2", "affected_users_pct >= 10"]), max_size=1),
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(
    rules=rule_sets,
    labels=st.dictionaries(st.sampled_from("ab"), st.sampled_from(["1", "x", "y", ""])),
    impact=st.builds(
        Impact, affected_users_pct=st.sampled_from([0.0, 50.0]), tier=st.integers(1, 4)
    ),
)
def test_precedence_agrees_with_a_naive_reference(
    rules: list[tuple[str, list[str], list[str]]], labels: dict[str, str], impact: Impact
) -> None:
    specs = [rule(f"r{i}", sev, *m, when=tuple(w)) for i, (sev, m, w) in enumerate(rules)]
    first = TriageEngine(triage_spec(precedence="first_match", rules=specs))
    worst = TriageEngine(triage_spec(precedence="most_severe", rules=specs))
    a = alert(**labels)
    # reference: every rule evaluated on its own, one rule per engine
    holding = [
        i
        for i, r in enumerate(specs)
        if TriageEngine(triage_spec(rules=[r])).evaluate(a, impact).rule
    ]
    expected_first = f"r{holding[0]}" if holding else None
    expected_worst = (
        f"r{min(holding, key=lambda i: (severity_rank(rules[i][0]), i))}" if holding else None
    )
    assert first.evaluate(a, impact).rule == expected_first
    assert worst.evaluate(a, impact).rule == expected_worst


# ------------------------------------------------------------------------ explanations


def test_explanation_names_rule_conditions_and_values() -> None:
    spec = triage_spec(
        rules=[
            rule("skip", "P0", 'service="nope"'),
            rule(
                "checkout-outage",
                "P0",
                'service="checkout"',
                'severity=~"critical|error"',
                when=("affected_users_pct >= 25",),
                route={"team": "payments", "escalation": "payments-critical"},
            ),
        ]
    )
    decision = TriageEngine(spec).evaluate(
        alert(service="checkout", severity="critical"), Impact(affected_users_pct=40)
    )
    assert decision.matched == (
        'service="checkout"',
        'severity=~"critical|error"',
        "affected_users_pct >= 25",
    )
    assert decision.explanation == (
        "rule 'checkout-outage' (#2, first matching rule): service=\"checkout\", "
        'severity=~"critical|error" (severity="critical"), affected_users_pct >= 25 '
        "(affected_users_pct=40) -> P0, team payments / escalation payments-critical"
    )


def test_catch_all_rule_explains_itself() -> None:
    decision = TriageEngine(triage_spec(rules=[rule("all", "P3")])).evaluate(alert())
    assert "no conditions (catch-all)" in decision.explanation


def test_sample_payloads_with_the_sample_rules(rules_spec: TriageSpec) -> None:
    engine = TriageEngine(rules_spec)
    error_rate, latency, crashloop = read_payload(AM_SAMPLE)
    assert engine.evaluate(error_rate).rule == "checkout-errors"
    outage = engine.evaluate(error_rate, Impact(affected_users_pct=40))
    assert (outage.rule, outage.severity, outage.route.team) == (
        "checkout-outage",
        "P0",
        "payments",
    )
    assert engine.evaluate(latency, Impact(affected_users_pct=40)).rule == "checkout-errors"
    assert engine.evaluate(crashloop).severity == "P2"
    (replication,) = read_payload(PD_SAMPLE)
    decision = engine.evaluate(replication)
    assert (decision.rule, decision.route.team) == ("database-critical", "dba")
    assert engine.group_key(error_rate) == ("checkout", "")
    assert engine.group_key(replication) == ("", "orders")


# ----------------------------------------------------------------------- re-evaluation


@pytest.mark.parametrize(("current", "proposed"), list(itertools.product(SEVERITIES, SEVERITIES)))
def test_reassess_automation_only_escalates_humans_decide(current: str, proposed: str) -> None:
    by_machine = reassess(current, proposed, "automation")  # type: ignore[arg-type]
    assert by_machine == min(current, proposed, key=severity_rank)  # type: ignore[arg-type]
    assert reassess(current, proposed, "human") == proposed  # type: ignore[arg-type]


def test_reassess_rejects_unknown_actors_and_severities() -> None:
    with pytest.raises(ValueError, match="actor must be"):
        reassess("P1", "P0", "robot")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="severities are P0, P1, P2, P3"):
        reassess("P1", "P5", "human")  # type: ignore[arg-type]


def test_severity_re_evaluated_as_evidence_arrives(rules_spec: TriageSpec) -> None:
    engine = TriageEngine(rules_spec)
    incident = Incident("inc-1", 0.0, severity="P3")
    error_rate = read_payload(AM_SAMPLE)[0]
    for t, impact, expected in [
        (1.0, Impact(affected_users_pct=5), "P1"),  # checkout-errors
        (2.0, Impact(affected_users_pct=40), "P0"),  # checkout-outage: escalate
        (3.0, Impact(affected_users_pct=1), "P0"),  # less evidence: automation keeps P0
    ]:
        proposed = engine.evaluate(error_rate, impact).severity
        incident.set_severity(proposed, t=t, actor="triage-bot", by="automation")
        assert incident.severity == expected
    incident.set_severity("P2", t=4.0, actor="alice", by="human")  # a human downgrades
    assert incident.severity == "P2"
    assert [(c.from_severity, c.to_severity, c.by) for c in incident.severity_log] == [
        ("P3", "P1", "automation"),
        ("P1", "P0", "automation"),
        ("P0", "P2", "human"),
    ]


# --------------------------------------------------------------------------- grouping


def test_grouper_opens_joins_dedups_and_clears() -> None:
    engine = TriageEngine(triage_spec(group_by=["service"]))
    grouper = AlertGrouper(engine.group_key)

    def fire(fp: str, service: str, status: str = "firing") -> tuple[str, str | None, int, int]:
        g = grouper.offer(
            simulated_alert("A", {"service": service}, 0.0, fp, status=status)  # type: ignore[arg-type]
        )
        return g.action, g.incident_id, g.alert_count, g.firing

    assert fire("a1", "api") == ("opened", "inc-1", 1, 1)
    assert fire("a1", "api") == ("duplicate", "inc-1", 1, 1)
    assert fire("a2", "api") == ("joined", "inc-1", 2, 2)
    assert fire("w1", "web") == ("opened", "inc-2", 1, 1)
    assert fire("a1", "api", "resolved") == ("cleared", "inc-1", 2, 1)
    assert fire("a1", "api", "resolved") == ("ignored", None, 0, 0)
    assert fire("a1", "api") == ("joined", "inc-1", 3, 2)  # fired again: new evidence
    assert grouper.open_groups == {("api",): "inc-1", ("web",): "inc-2"}
    grouper.close(("api",))
    assert grouper.incident_of(("api",)) is None
    # still firing after the incident was resolved: the problem is back, new incident
    assert fire("a2", "api") == ("opened", "inc-3", 1, 1)
    assert fire("w1", "web") == ("duplicate", "inc-2", 1, 1)


def test_grouper_treats_pagerduty_acknowledge_as_a_duplicate() -> None:
    from sim.response import from_pagerduty

    engine = TriageEngine(triage_spec(group_by=["group"]))
    grouper = AlertGrouper(engine.group_key)
    trigger = {
        "routing_key": "k",
        "event_action": "trigger",
        "dedup_key": "d1",
        "payload": {"summary": "s", "source": "h", "severity": "error", "group": "orders"},
    }
    ack = {"routing_key": "k", "event_action": "acknowledge", "dedup_key": "d1"}
    resolve = {"routing_key": "k", "event_action": "resolve", "dedup_key": "d1"}
    actions = [grouper.offer(a).action for a in from_pagerduty([trigger, ack, resolve])]
    assert actions == ["opened", "duplicate", "cleared"]


# ------------------------------------------------------------------------ no eval/exec


def test_no_eval_or_exec_in_the_response_core() -> None:
    root = Path(sim.response.__file__).parent
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"eval", "exec", "compile"}, f"{path}:{node.lineno}"
