"""``gameday triage``, ``gameday runbook graph``, ``gameday lifecycle graph``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.response import compile_runbook, lifecycle_mermaid, runbook_mermaid

from .conftest import AM_SAMPLE, PD_SAMPLE, RULES, RUNBOOK

# The sample rules test affected_users_pct, which these calls do not give: triage says
# it read the default (0) rather than staying silent about it.
UNGIVEN = (
    "warning: impact affected_users_pct not given: read as 0 (give --impact "
    "affected_users_pct=..., or declare it under missing: in the rules)\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------------------- triage


def test_triage_alertmanager_sample_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "triage", AM_SAMPLE, "--rules", RULES)
    assert max(len(line) for line in out.splitlines()) <= 80, out  # wrapped to the terminal
    monkeypatch.setenv("COLUMNS", "250")  # a wide terminal: one line per field
    code, out, err = run(capsys, "triage", AM_SAMPLE, "--rules", RULES)
    assert (code, err) == (0, UNGIVEN)
    assert "3 alert(s) from alertmanager, precedence first_match" in out
    assert "[1] CheckoutHighErrorRate (firing" in out
    assert "severity: P1  route: payments / payments-oncall" in out
    assert "why:      rule 'checkout-errors' (#2, first matching rule)" in out
    assert "incident: inc-1 (joined;" in out
    assert 'inc-1  P1  service="checkout", group=""  2 alert(s), 2 firing' in out


def test_triage_pagerduty_sample_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "triage", PD_SAMPLE, "--rules", RULES, "--json")
    assert (code, err) == (0, UNGIVEN)
    doc = json.loads(out)  # one JSON document and nothing else
    (alert,) = doc["alerts"]
    assert alert["severity"] == "P1"
    assert alert["route"] == {"team": "dba", "escalation": "dba-oncall"}
    assert alert["rule"] == "database-critical"
    assert alert["matched"] == ['component="postgres"', 'severity="critical"']
    assert alert["source"] == "pagerduty"
    assert doc["incidents"] == [
        {
            "id": "inc-1",
            "severity": "P1",
            "key": {"service": "", "group": "orders"},
            "alert_count": 1,
            "firing": 1,
        }
    ]


def test_triage_impact_context_changes_the_decision(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "triage", AM_SAMPLE, "--rules", RULES, "--impact", "affected_users_pct=40", "--json"
    )
    doc = json.loads(out)
    assert code == 0
    assert doc["impact"] == {"affected_users_pct": 40.0}
    assert [a["severity"] for a in doc["alerts"]] == ["P0", "P1", "P2"]
    # automation escalated the incident on the first alert and kept P0 on the second
    assert doc["incidents"][0]["severity"] == "P0"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_triage_malformed_payload_exits_2_with_the_json_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    payload = json.loads(AM_SAMPLE.read_text())
    payload["alerts"][1]["labels"] = ["service", "checkout"]
    path = _write(tmp_path, "am.json", json.dumps(payload))
    message = f"{path}: alerts[1].labels: expected an object, got array"
    code, out, err = run(capsys, "triage", path, "--rules", RULES)
    assert (code, out, err) == (2, "", message + "\n")
    # --json: the same message on stderr, and stdout holds one error document
    code, out, err = run(capsys, "triage", path, "--rules", RULES, "--json")
    assert (code, err) == (2, message + "\n")
    assert json.loads(out) == {"error": message, "exit_code": 2}


def test_triage_bad_json_exits_2_with_line_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(tmp_path, "pd.json", '{"routing_key": "k",\n "event_action": trigger}')
    code, out, err = run(capsys, "triage", path, "--rules", RULES)
    assert (code, out) == (2, "")
    assert err == f"{path}:2:18: Expecting value\n"


def test_triage_pagerduty_event_missing_fields(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    event = json.loads(PD_SAMPLE.read_text())
    del event["payload"]["severity"]
    path = _write(tmp_path, "pd.json", json.dumps(event))
    code, _, err = run(capsys, "triage", path, "--rules", RULES)
    assert code == 2
    assert err == f"{path}: payload.severity: missing (required)\n"


def test_triage_reports_payload_and_rules_problems_together(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rules = _write(
        tmp_path,
        "rules.yaml",
        "kind: triage\nrules:\n  - name: r\n    matchers: ['x=1']\n    severity: P1\n",
    )
    code, out, err = run(capsys, "triage", tmp_path / "missing.json", "--rules", rules)
    assert (code, out) == (2, "")
    first, *rest = err.splitlines()
    assert first == f"{tmp_path / 'missing.json'}: No such file or directory"
    assert any(
        ":4:" in line and "matcher" in line for line in rest
    )  # file:line:col from the loader
    assert "Traceback" not in err


def test_triage_bad_impact_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["triage", str(AM_SAMPLE), "--rules", str(RULES), "--impact", "users=3"])
    assert info.value.code == 2
    assert "expected FIELD=VALUE" in capsys.readouterr().err


# ---------------------------------------------------------------------------- graphs


def test_runbook_graph(capsys: pytest.CaptureFixture[str]) -> None:
    from sim.spec import load_runbook

    code, out, err = run(capsys, "runbook", "graph", RUNBOOK)
    assert (code, err) == (0, "")
    assert out == runbook_mermaid(compile_runbook(load_runbook(RUNBOOK)))
    assert out.startswith("flowchart TD\n")
    assert "s3 -.->|fail: goto, at most 2x| s2" in out  # verify -> restart-pods
    assert "s2 -.->|fail: rollback| r0" in out


def test_runbook_graph_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "runbook", "graph", RULES)  # a triage file
    assert (code, out) == (2, "")
    assert "expected a runbook file" in err
    code, out, err = run(capsys, "runbook", "graph", tmp_path / "nope.yaml")
    assert (code, out) == (2, "")
    assert "Traceback" not in err


def test_lifecycle_graph(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lifecycle", "graph")
    assert (code, out, err) == (0, lifecycle_mermaid(), "")


def test_command_modules_import_nothing_heavy() -> None:
    # Compared with a bare ``import sim`` so that only these modules are judged.
    probe = (
        "import sys, sim; before = set(sys.modules);"
        "import sim.commands.triage, sim.commands.runbook, sim.commands.lifecycle;"
        "heavy = ('sim.response', 'sim.spec', 'pydantic', 'yaml');"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith(heavy)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], check=False, capture_output=True, text=True
    )
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr
