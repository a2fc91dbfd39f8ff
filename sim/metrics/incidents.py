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
waited                 minutes the incident waited for a free responder; a wait still
                       going at the horizon counts its age then (``wait_censored``)
cost                   ttr x the outage cost per minute of the incident's first fault
censored               real incident whose user impact had not ended at the horizon:
                       its TTR is unknown (NaN), only that it exceeds ``ttr_observed``
wait_censored          nobody had taken the incident by the horizon, nor had it been
                       resolved: its wait is at least ``waited``
ttr_observed           the TTR, or for a censored incident horizon - onset
=====================  ===========================================================

Censored values need the horizon: ``incident_records(events, horizon)``. Without it
(a log read on its own) an unfinished wait and ``ttr_observed`` of a censored incident
are NaN, never zero. Incidents whose fault started before a ``warmup_end`` record
(noise incidents: detected before it) are simulated but not counted: left out here.

Only the event log is read: never engine internals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from sim.eventlog import Event

__all__ = ["COLUMNS", "FIELDS", "incident_records", "incident_rows"]

# The parts of a row, named once: a table's columns and a record's fields order them
# differently (durations next to the milestones in tables, last in records).
_IDENTITY = (
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
)
_DURATIONS = ("ttd", "tta", "ttr")
_WORK = (
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
)

_CENSORING = ("censored", "wait_censored", "ttr_observed")

#: The columns of an incident table, in order.
COLUMNS = (*_IDENTITY, *_DURATIONS, "errors", *_WORK, "cost", *_CENSORING)

#: The fields of an incident record, in order: the ``COLUMNS`` and
#: ``errors_after_mitigation``, in the key order of an ``incident_rows`` dict.
FIELDS = (
    *_IDENTITY,
    "errors",
    "errors_after_mitigation",
    *_WORK,
    *_DURATIONS,
    "cost",
    *_CENSORING,
)

_NAN = math.nan


class _Incident:
    """One incident while its log is read: a slotted record updated for every event
    (as cheap as a list indexed by constants, and it names what it holds). The derived
    times, the cost and the censoring are worked out when the log is done (``record``).
    """

    __slots__ = (*FIELDS[: FIELDS.index("affected_users_pct") + 1], "cost_per_min", "assigned")

    def __init__(self, event: Event, faults: dict[tuple[str, int], dict[str, Any]]) -> None:
        """From its ``incident_open`` record and its first fault's ``fault_start``."""
        t, _kind, number, service, _actor, d = event
        fault = faults.get((d["fault"], d["occurrence"])) if d["fault"] else None
        self.incident = number
        self.service = service
        self.noise = d["noise"]
        self.fault = d["fault"]
        self.fault_kind = fault["fault_kind"] if fault else None
        self.severity = d["severity"]
        self.onset = d["onset"] if d["onset"] is not None else _NAN
        self.detected = t
        # None until seen (cheaper to test than NaN).
        self.acknowledged: float | None = None
        self.mitigated: float | None = None
        self.resolved: float | None = None
        self.errors = self.errors_after_mitigation = self.step_errors = 0
        self.wrong_runbooks = self.manual_actions = self.automated_steps = self.pages = 0
        self.human_minutes = self.waited = 0.0
        self.runbooks: list[str] = []
        self.mitigated_by: str | None = None
        self.affected_users_pct = fault["affected_users_pct"] if fault else 0.0
        self.cost_per_min = fault["cost_per_min"] if fault else 0.0
        self.assigned = False

    def record(self, horizon: float) -> tuple[Any, ...]:
        """Its values in the order of ``FIELDS``: NaN for milestones never reached, the
        derived times, the cost and the censoring."""
        waiting = not self.assigned and self.resolved is None
        # Still waiting at the horizon: its age then, never zero.
        waited = horizon - self.detected if waiting else self.waited
        censored = self.mitigated is None and not self.noise
        acknowledged = _NAN if self.acknowledged is None else self.acknowledged
        mitigated = _NAN if self.mitigated is None else self.mitigated
        onset, detected = self.onset, self.detected
        ttr = mitigated - onset
        return (
            self.incident,
            self.service,
            self.noise,
            self.fault,
            self.fault_kind,
            self.severity,
            onset,
            detected,
            acknowledged,
            mitigated,
            _NAN if self.resolved is None else self.resolved,
            self.errors,
            self.errors_after_mitigation,
            self.step_errors,
            self.wrong_runbooks,
            self.human_minutes,
            self.manual_actions,
            self.automated_steps,
            ",".join(self.runbooks),
            self.mitigated_by,
            waited,
            self.pages,
            self.affected_users_pct,
            detected - onset,
            acknowledged - detected,
            ttr,
            self.cost_per_min * ttr if not self.noise else 0.0,
            censored,
            waiting,
            horizon - onset if censored else ttr,
        )


def incident_rows(events: Iterable[Event], horizon: float | None = None) -> list[dict[str, Any]]:
    """One dict per incident, in order of opening, with the ``FIELDS`` keys (in order);
    ``horizon``: where the run stopped, for censored waits and TTRs (see the module)."""
    return [dict(zip(FIELDS, record, strict=True)) for record in incident_records(events, horizon)]


def incident_records(
    events: Iterable[Event], horizon: float | None = None
) -> list[tuple[Any, ...]]:
    """One tuple of values per incident, in order of opening, in the order of ``FIELDS``.

    What ``incident_rows`` holds, without a dict per incident: for callers that want
    columns (``zip(*records)`` transposes them at C speed).
    """
    faults: dict[tuple[str, int], dict[str, Any]] = {}
    incidents: dict[int, _Incident] = {}
    warmup = -math.inf
    # Events are read by index, not unpacked: ``Event`` is a tuple subclass, which the
    # interpreter unpacks through a generic iterator (three times slower than indexing).
    for event in events:
        number = event[2]
        if not number:  # not about an incident: only the fault starts matter
            if event[1] == "fault_start":
                d = event[5]
                faults[d["fault"], d["occurrence"]] = d
            elif event[1] == "warmup_end":
                warmup = event[0]
            continue
        kind = event[1]
        d = event[5]
        inc = incidents.get(number)
        if inc is None:
            if kind == "incident_open":
                incidents[number] = _Incident(event, faults)
            continue
        # Most frequent kinds first; alerts, fault ends and runbook ends fall through.
        if kind == "step":
            if d["mode"] == "manual":
                inc.manual_actions += 1
                inc.human_minutes += event[0] - d["started"]
            else:
                inc.automated_steps += 1
        elif kind == "transition":
            # open -> triage is the acknowledgement; open -> resolved (a dismissal) is not.
            to = d["to"]
            if to == "triage":
                if inc.acknowledged is None:
                    inc.acknowledged = event[0]
            elif to == "resolved" and inc.resolved is None:
                inc.resolved = event[0]
        elif kind == "work":
            inc.human_minutes += d["minutes"]
            if d["what"] == "approval":
                inc.manual_actions += 1
        elif kind == "page":
            inc.pages += 1
        elif kind == "runbook_start":
            inc.runbooks.append(d["runbook"])
        elif kind == "assign":
            inc.waited += d["waited"]
            inc.assigned = True
        elif kind == "mitigated":
            # impact_ended: impact was over before the response learned of it
            inc.mitigated = d.get("impact_ended", event[0])
            inc.mitigated_by = d["by"]
        elif kind == "error":
            # "Error rate during fix": only mistakes before user impact ended count.
            if inc.mitigated is None:
                inc.errors += 1
                if d["what"] == "step_error":
                    inc.step_errors += 1
                else:
                    inc.wrong_runbooks += 1
            else:
                inc.errors_after_mitigation += 1
        elif kind == "severity":
            inc.severity = d["to"]
    end = math.nan if horizon is None else horizon
    return [
        inc.record(end)
        for inc in incidents.values()
        if not (inc.onset < warmup or (inc.noise and inc.detected < warmup))
    ]
