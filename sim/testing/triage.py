"""``triages_to``: which severity the scenario's triage rules give an alert rule's alerts.

No simulation is needed: triage is a pure function of the alert and the impact known
when it fires. The alerts are built the way the engine builds them (the compiled
scenario's *watches*: the alert rules each fault's signals breach, with the labels the
monitoring attaches), with the impact of the fault that fires them, and evaluated by the
same ``TriageEngine`` the engine uses. Noise alerts of the rule carry no impact, as in
the engine. The opening alert of an incident is judged (``alert_count`` 1): later alerts
grouped into the incident may only escalate it.
"""

from __future__ import annotations

from sim.engine import compile_scenario
from sim.engine.topology import triage_impact
from sim.response import TriageDecision, simulated_alert
from sim.spec.expect import TriagesToExpectation

from .checks import Verdict
from .scenario import ScenarioUnderTest

__all__ = ["check_triages_to"]


def _decisions(
    sut: ScenarioUnderTest, alert: str, strategy: str
) -> list[tuple[str, TriageDecision]]:
    """(what raised it, decision) for every way the scenario raises alert rule ``alert``."""
    compiled = compile_scenario(sut.spec, strategy)
    found: list[tuple[str, TriageDecision]] = []
    for fault in compiled.faults:
        for watch in fault.watches:
            if watch.rule != alert:
                continue
            labels = dict(watch.labels)
            service = labels.get("service", fault.target)
            raised = simulated_alert(watch.rule, labels, 0.0, f"{watch.rule}/{service}")
            impact = triage_impact(fault.impact, alert_count=1)
            found.append(
                (f"fault {fault.name} on {service}", compiled.triage.evaluate(raised, impact))
            )
    for source in compiled.noise:
        if source.rule != alert:
            continue
        raised = simulated_alert(
            source.rule, dict(source.labels), 0.0, f"{source.rule}/{source.service}/noise"
        )
        decision = compiled.triage.evaluate(raised, triage_impact(None, alert_count=1))
        found.append((f"noise on {source.service}", decision))
    return found


def check_triages_to(sut: ScenarioUnderTest, exp: TriagesToExpectation) -> Verdict:
    """Every alert the scenario can raise from rule ``exp.alert`` triages to the severity."""
    strategy = exp.strategy or next(iter(sut.spec.strategies))
    rule = (
        f"deterministic: each alert of rule {exp.alert!r} the simulator can raise (one per "
        f"fault whose signals breach the rule, with that fault's impact and alert_count 1, "
        f"plus its noise alerts with no impact) is triaged by the scenario's rules and "
        f"must get {exp.severity}"
    )
    decisions = _decisions(sut, exp.alert, strategy)
    details = [
        f"{source}: {d.severity} by {d.explanation}"
        if d.rule is not None
        else f"{source}: {d.severity} ({d.explanation})"
        for source, d in decisions
    ]
    measured = {
        "decisions": [
            {"source": source, "severity": d.severity, "rule": d.rule} for source, d in decisions
        ]
    }
    if not decisions:
        msg = (
            f"alert rule {exp.alert!r} never fires in this scenario (no fault's signals "
            f"breach it and it has no noise): nothing to triage"
        )
        return Verdict(False, msg, rule, details, measured)
    wrong = [(source, d) for source, d in decisions if d.severity != exp.severity]
    if wrong:
        source, d = wrong[0]
        decided = f"rule {d.rule!r}" if d.rule is not None else "the default"
        msg = (
            f"{exp.alert} triages to {d.severity}, not {exp.severity}, for {source}: "
            f"decided by {decided}; {len(wrong)} of {len(decisions)} alert(s) differ"
        )
        return Verdict(False, msg, rule, details, measured)
    rules = sorted({d.rule or "default" for _, d in decisions})
    msg = (
        f"{exp.alert} -> {exp.severity} for all {len(decisions)} alert(s) "
        f"({', '.join(s for s, _ in decisions)}), decided by {', '.join(rules)}"
    )
    return Verdict(True, msg, rule, details, measured)
