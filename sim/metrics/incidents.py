"""From an event log to one row per incident (the metric definitions live here).

=====================  ===========================================================
column                 definition (minutes unless said otherwise)
=====================  ===========================================================
onset                  the fault started affecting users (NaN for noise)
detected               the first alert of the incident was delivered
acknowledged           a responder or automation took the incident
mitigated              user impact ended (the incident's last fault ended)
resolved               the incident entered ``resolved``
ttd, tta, ttr          detected - onset; acknowledged - detected; mitigated - onset
errors                 remediation actions that went wrong before user impact ended:
                       step mistakes (human or automation) plus wrong runbooks applied
errors_after_mitigation  mistakes in the steps after mitigation (follow-up, comms)
human_minutes          minutes of human work: triage, diagnosis, approvals, noise checks,
                       specialists, manual step attempts
manual_actions         manual step attempts and approvals
automated_steps        step attempts performed by automation
waited                 minutes the incident waited for a free responder
cost                   ttr x the outage cost per minute of the incident's first fault
=====================  ===========================================================

Only the event log is read: never engine internals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from sim.eventlog import Event

__all__ = ["COLUMNS", "incident_rows"]

COLUMNS = (
    "incident",
    "service",
    "noise",
    "fault",
    "fault_kind",
    "severity",
    "onset",
    "detected",
    "acknowledged",
    "mitigated",
    "resolved",
    "ttd",
    "tta",
    "ttr",
    "errors",
    "step_errors",
    "wrong_runbooks",
    "human_minutes",
    "manual_actions",
    "automated_steps",
    "runbooks",
    "mitigated_by",
    "waited",
    "pages",
    "affected_users_pct",
    "cost",
)

_NAN = math.nan


def incident_rows(events: Iterable[Event]) -> list[dict[str, Any]]:
    """One dict per incident, in order of opening, with the ``COLUMNS`` keys."""
    faults: dict[tuple[str, int], dict[str, Any]] = {}
    rows: dict[int, dict[str, Any]] = {}
    for t, kind, number, service, _actor, d in events:
        if kind == "fault_start":
            faults[d["fault"], d["occurrence"]] = d
            continue
        if number == 0:
            continue
        if kind == "incident_open":
            fault = faults.get((d["fault"], d["occurrence"])) if d["fault"] else None
            rows[number] = {
                "incident": number,
                "service": service,
                "noise": d["noise"],
                "fault": d["fault"],
                "fault_kind": fault["fault_kind"] if fault else None,
                "severity": d["severity"],
                "onset": d["onset"] if d["onset"] is not None else _NAN,
                "detected": t,
                "acknowledged": _NAN,
                "mitigated": _NAN,
                "resolved": _NAN,
                "errors": 0,
                "errors_after_mitigation": 0,
                "step_errors": 0,
                "wrong_runbooks": 0,
                "human_minutes": 0.0,
                "manual_actions": 0,
                "automated_steps": 0,
                "runbooks": [],
                "mitigated_by": None,
                "waited": 0.0,
                "pages": 0,
                "affected_users_pct": fault["affected_users_pct"] if fault else 0.0,
                "cost_per_min": fault["cost_per_min"] if fault else 0.0,
            }
            continue
        row = rows.get(number)
        if row is None:
            continue
        if kind == "step":
            if d["mode"] == "manual":
                row["manual_actions"] += 1
                row["human_minutes"] += t - d["started"]
            else:
                row["automated_steps"] += 1
        elif kind == "transition":
            # open -> triage is the acknowledgement; open -> resolved (a dismissal) is not.
            if d["to"] == "triage" and math.isnan(row["acknowledged"]):
                row["acknowledged"] = t
            if d["to"] == "resolved" and math.isnan(row["resolved"]):
                row["resolved"] = t
        elif kind == "work":
            row["human_minutes"] += d["minutes"]
            if d["what"] == "approval":
                row["manual_actions"] += 1
        elif kind == "error":
            # "Error rate during fix": only mistakes before user impact ended count.
            if math.isnan(row["mitigated"]):
                row["errors"] += 1
                row["step_errors" if d["what"] == "step_error" else "wrong_runbooks"] += 1
            else:
                row["errors_after_mitigation"] += 1
        elif kind == "runbook_start":
            row["runbooks"].append(d["runbook"])
        elif kind == "mitigated":
            # impact_ended: impact was over before the response learned of it
            row["mitigated"] = d.get("impact_ended", t)
            row["mitigated_by"] = d["by"]
        elif kind == "severity":
            row["severity"] = d["to"]
        elif kind == "assign":
            row["waited"] += d["waited"]
        elif kind == "page":
            row["pages"] += 1
    out = []
    for row in rows.values():
        row["ttd"] = row["detected"] - row["onset"]
        row["tta"] = row["acknowledged"] - row["detected"]
        row["ttr"] = row["mitigated"] - row["onset"]
        row["cost"] = row.pop("cost_per_min") * row["ttr"] if not row["noise"] else 0.0
        row["runbooks"] = ",".join(row["runbooks"])
        out.append(row)
    return out
