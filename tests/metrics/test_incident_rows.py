"""incident_rows reads milestones from the event log exactly as documented."""

from __future__ import annotations

import math

from sim.eventlog import Event
from sim.metrics import COLUMNS, FIELDS, incident_records, incident_rows


def _open(t: float, n: int, onset: float) -> list[Event]:
    return [
        Event(
            onset,
            "fault_start",
            0,
            "api",
            "chaos",
            {
                "fault": "f",
                "fault_kind": "crash",
                "effect": "down",
                "occurrence": n,
                "affected_users_pct": 10.0,
                "cost_per_min": 2.0,
                "tier": 1,
                "services_impacted": 1,
            },
        ),
        Event(
            t,
            "incident_open",
            n,
            "api",
            "monitoring",
            {
                "severity": "P2",
                "rule": None,
                "noise": False,
                "fault": "f",
                "occurrence": n,
                "onset": onset,
            },
        ),
    ]


def _tr(t: float, n: int, a: str, b: str) -> Event:
    return Event(t, "transition", n, "api", "x", {"from": a, "to": b, "reason": "r"})


def test_acknowledged_mitigated_resolved_and_derived_times() -> None:
    events = [
        *_open(10.0, 1, 4.0),
        _tr(13.0, 1, "open", "triage"),
        Event(20.0, "error", 1, "api", "x", {"what": "step_error", "runbook": "r", "step": "s"}),
        Event(30.0, "mitigated", 1, "api", "x", {"by": "runbook:r"}),
        Event(31.0, "error", 1, "api", "x", {"what": "step_error", "runbook": "r", "step": "t"}),
        _tr(32.0, 1, "triage", "resolved"),
    ]
    (row,) = incident_rows(events)
    assert (row["ttd"], row["tta"], row["ttr"]) == (6.0, 3.0, 26.0)
    assert row["resolved"] == 32.0
    assert row["errors"] == 1 and row["errors_after_mitigation"] == 1
    assert row["cost"] == 2.0 * 26.0


def test_a_dismissal_is_not_an_acknowledgement() -> None:
    events = [
        *_open(10.0, 1, 4.0),
        Event(12.0, "mitigated", 1, "api", "system", {"by": "self_heal", "impact_ended": 9.0}),
        _tr(12.0, 1, "open", "resolved"),
    ]
    (row,) = incident_rows(events)
    assert math.isnan(row["acknowledged"]) and math.isnan(row["tta"])
    assert row["resolved"] == 12.0
    assert row["mitigated"] == 9.0 and row["ttr"] == 5.0


def test_records_hold_the_row_values_in_field_order() -> None:
    events = [
        *_open(10.0, 1, 4.0),
        _tr(13.0, 1, "open", "triage"),
        Event(14.0, "runbook_start", 1, "api", "x", {"runbook": "a", "fits": True}),
        Event(15.0, "runbook_start", 1, "api", "x", {"runbook": "b", "fits": True}),
        *_open(20.0, 2, 18.0),
    ]
    rows = incident_rows(events)
    assert [list(row) for row in rows] == [list(FIELDS)] * 2
    assert set(COLUMNS) <= set(FIELDS)
    records = incident_records(events)
    assert repr([tuple(row.values()) for row in rows]) == repr(records)  # NaN != NaN
    assert rows[0]["runbooks"] == "a,b" and math.isnan(rows[1]["acknowledged"])
