"""docs/triage-policy.md's table is what scenarios/triage/impact-tier.yaml decides.

Every cell of the table is checked at its corners (the smallest and largest share of
users in its row) through the real triage engine, so the documented policy and the
rules cannot drift apart; the staging override and the severity promises are checked
too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.response.alerts import simulated_alert
from sim.response.triage import Impact, TriageEngine
from sim.spec import load_triage

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "triage-policy.md"
RULES = ROOT / "scenarios" / "triage" / "impact-tier.yaml"
# The rows' user shares to try: both ends of each row of the table.
ROW_SHARES = {
    "25% or more": (25.0, 100.0),
    "5% to under 25%": (5.0, 24.9),
    "over 0 to under 5%": (0.1, 4.9),
    "none yet": (0.0,),
}


def _table() -> dict[tuple[str, int], str]:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- severity-table", 1)[1].split("\n\n", 1)[0]
    cells: dict[tuple[str, int], str] = {}
    for line in block.splitlines()[1:]:
        parts = [p.strip() for p in line.strip().strip("|").split("|")]
        if len(parts) != 5 or parts[0] in ("affected users", "---"):
            continue
        for tier, severity in enumerate(parts[1:], start=1):
            cells[(parts[0], tier)] = severity
    return cells


def _decide(engine: TriageEngine, users: float, tier: int, env: str = "prod") -> str:
    alert = simulated_alert("probe", {"service": "svc", "env": env}, 0.0, "fp")
    return engine.evaluate(alert, Impact(affected_users_pct=users, tier=tier)).severity


def test_the_table_has_every_row_and_tier() -> None:
    assert set(_table()) == {(row, tier) for row in ROW_SHARES for tier in (1, 2, 3, 4)}


@pytest.mark.parametrize("row", list(ROW_SHARES))
def test_every_cell_of_the_documented_table_is_what_the_rules_decide(row: str) -> None:
    engine = TriageEngine(load_triage(RULES))
    table = _table()
    for tier in (1, 2, 3, 4):
        for users in ROW_SHARES[row]:
            assert _decide(engine, users, tier) == table[(row, tier)], (row, tier, users)


def test_staging_never_pages_whatever_the_impact() -> None:
    engine = TriageEngine(load_triage(RULES))
    assert _decide(engine, 100.0, 1, env="staging") == "P3"
    assert engine.policy("P3").page == []


def test_the_documented_promises_are_the_rules_slas() -> None:
    spec = load_triage(RULES)
    text = DOC.read_text(encoding="utf-8")
    minutes = {"5 min": 5, "15 min": 15, "1 h": 60, "4 h": 240, "1 day": 1440, "1 week": 10080}
    for severity in ("P0", "P1", "P2", "P3"):
        row = re.search(rf"^\| {severity} \|[^|]*\| ([^|]+) \| ([^|]+) \|", text, re.MULTILINE)
        assert row, severity
        ack, mitigate = (minutes[row.group(i).strip()] for i in (1, 2))
        assert spec.severities[severity].ack_sla == ack
        assert spec.severities[severity].mitigate_sla == mitigate
