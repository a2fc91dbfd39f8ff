"""What a missing label or impact field means: declared defaults, ``unknown`` that
escalates, and ``gameday triage`` saying so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main
from sim.response import TriageEngine, simulated_alert
from sim.response.triage import Impact
from sim.spec.triage import TriageSpec

RULES = {
    "rules": [
        {
            "name": "prod-latency",
            "matchers": ['env="prod"'],
            "when": ["tier <= 2"],
            "severity": "P2",
        },
    ],
    "default": {"severity": "P3"},
}


def _engine(missing: dict[str, str]) -> TriageEngine:
    return TriageEngine(TriageSpec.model_validate({**RULES, "missing": missing}))


def test_a_default_label_is_used_and_said() -> None:
    alert = simulated_alert("CheckoutLatency", {"service": "checkout"}, 0.0, "f")
    silent = _engine({}).evaluate(alert, Impact(tier=1), known_impact={"tier"})
    assert silent.severity == "P3" and silent.assumed == ()  # env reads as ""
    found = _engine({"env": "prod"}).evaluate(alert, Impact(tier=1), known_impact={"tier"})
    assert found.severity == "P2" and found.rule == "prod-latency"
    assert found.assumed == ('label env missing: default "prod" used',)
    assert 'label env missing: default "prod" used' in found.explanation


def test_unknown_escalates_one_level_and_says_so() -> None:
    alert = simulated_alert("CheckoutLatency", {"env": "prod"}, 0.0, "f")
    engine = _engine({"tier": "unknown"})
    found = engine.evaluate(alert, Impact(), known_impact=set())
    # tier read as 4 fails "tier <= 2": the default P3, escalated to P2 because unknown.
    assert found.severity == "P2" and found.rule is None
    assert "impact tier not given: unknown, escalated one level -> P2" in found.explanation
    known = engine.evaluate(alert, Impact(tier=4), known_impact={"tier"})
    assert known.severity == "P3" and known.assumed == ()
    # The simulator knows every impact field: only labels can be missing there.
    assert engine.routed(alert, Impact(tier=4))[0] == "P3"
    label_unknown = _engine({"team": "unknown"})
    assert label_unknown.routed(alert, Impact(tier=1))[0] == "P1"  # P2, escalated


def test_gameday_triage_warns_when_a_default_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(json.dumps({"kind": "triage", **RULES, "missing": {"tier": "unknown"}}))
    payload = tmp_path / "alert.json"
    payload.write_text(
        json.dumps(
            {
                "version": "4",
                "status": "firing",
                "receiver": "r",
                "groupKey": "g",
                "alerts": [
                    {
                        "status": "firing",
                        "labels": {"alertname": "CheckoutLatency", "env": "prod"},
                        "startsAt": "2026-01-01T00:00:00Z",
                    }
                ],
            }
        )
    )
    code = main(["triage", str(payload), "--rules", str(rules), "--json"])
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert code == 0
    assert doc["alerts"][0]["severity"] == "P2"
    assert doc["alerts"][0]["assumed"] == ["impact tier not given: unknown, escalated one level"]
    assert "warning: alert 1 (CheckoutLatency): impact tier not given: unknown" in err
    code = main(["triage", str(payload), "--rules", str(rules), "--impact", "tier=1"])
    out, err = capsys.readouterr()
    assert code == 0 and "warning" not in err and "severity: P2" in out
