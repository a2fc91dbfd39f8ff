"""What single commands do: evidence from the data file and the scenario, red herrings,
hints that cost score, and wrong choices recorded with why."""

from __future__ import annotations

import pytest

from sim.training import CommandError, Session, debrief

from .helpers import spec_of


def cascade_at_the_runbook_choice() -> Session:
    session = Session(spec_of("training-02-cascade"), 1)
    for line in ("ack", "severity P1"):
        session.act(line)
    assert session.prompt is not None and session.prompt.kind == "runbook"
    return session


def test_logs_join_the_kind_texts_and_the_scenarios_own() -> None:
    session = cascade_at_the_runbook_choice()
    told = session.act("inspect logs orders-db")
    assert "orders-db: FATAL: sorry, too many clients already" in told  # evidence.yaml
    assert "held by user 'reporting'" in told  # training.evidence of the fault
    told = session.act("inspect logs checkout")
    assert "checkout: calls to orders-db failing or timing out" in told  # reached by it
    assert "deprecated (v2.14.0)" in told  # a red herring's log line


def test_every_fault_kind_of_the_catalogue_has_evidence_and_no_other_kind() -> None:
    from sim.spec.fault_kinds import FAULT_KINDS
    from sim.training.evidence import kind_texts

    texts = kind_texts()
    assert tuple(texts) == FAULT_KINDS
    assert all(t.logs for t in texts.values())  # every kind shows something in its logs


def test_changes_show_the_red_herring_deploy_at_its_clock_time() -> None:
    session = cascade_at_the_runbook_choice()
    before = session.now
    told = session.act("inspect changes")
    assert told == "Tue 14:30  deploy checkout: helm upgrade to v2.14.0 (rolling, 3/3 pods updated)"
    assert session.now == pytest.approx(before + 2.0)  # an inspection costs its minutes


def test_a_hint_costs_its_points() -> None:
    session = cascade_at_the_runbook_choice()
    told = session.act("hint")
    assert told.startswith("hint: Checkout's logs say it waits on something")
    hints = next(p for p in debrief(session, spread=1).score.parts if p.name == "hints")
    assert hints.points == -5.0


def test_declaring_mitigated_while_users_suffer_is_a_mistake() -> None:
    session = cascade_at_the_runbook_choice()
    session.act("mitigated")
    mistakes = debrief(session, spread=1).score.mistakes
    found = [m for m in mistakes if m.what == "declared mitigated while impact continued"]
    assert found and "users were still affected" in found[0].why


def test_unknown_runbook_and_unknown_service_change_nothing() -> None:
    session = cascade_at_the_runbook_choice()
    before = (session.now, len(session.events), len(session.inputs))
    for line in ("runbook no-such", "inspect logs nowhere", "severity P1", "end"):
        with pytest.raises(CommandError):
            session.act(line)
    assert (session.now, len(session.events), len(session.inputs)) == before
