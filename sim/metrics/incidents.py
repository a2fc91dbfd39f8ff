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

# While the log is read, an incident is a list indexed by these slots: the first ones are
# the FIELDS up to affected_users_pct, then the outage cost per minute, which the cost
# needs, and whether anyone was assigned, which censoring needs. This loop runs for every
# event of every replication, and a list is the cheapest record to create and update (a
# dict per incident cost about 1 µs more per incident). The derived times, the cost and
# the censoring are appended when the log is done.
(
    _INCIDENT,
    _SERVICE,
    _NOISE,
    _FAULT,
    _FAULT_KIND,
    _SEVERITY,
    _ONSET,
    _DETECTED,
    _ACKNOWLEDGED,
    _MITIGATED,
    _RESOLVED,
    _ERRORS,
    _ERRORS_AFTER_MITIGATION,
    _STEP_ERRORS,
    _WRONG_RUNBOOKS,
    _HUMAN_MINUTES,
    _MANUAL_ACTIONS,
    _AUTOMATED_STEPS,
    _RUNBOOKS,
    _MITIGATED_BY,
    _WAITED,
    _PAGES,
    _AFFECTED_USERS_PCT,
    _COST_PER_MIN,
    _ASSIGNED,
) = range(25)


def incident_rows(events: Iterable[Event], horizon: float | None = None) -> list[dict[str, Any]]:
    """One dict per incident, in order of opening, with the ``FIELDS`` keys (in order);
    ``horizon``: where the run stopped, for censored waits and TTRs (see the module)."""
    return [dict(zip(FIELDS, record, strict=True)) for record in incident_records(events, horizon)]


def incident_records(events: Iterable[Event], horizon: float | None = None) -> list[list[Any]]:
    """One list of values per incident, in order of opening, in the order of ``FIELDS``.

    What ``incident_rows`` holds, without a dict per incident: for callers that want
    columns (``zip(*records)`` transposes them at C speed).
    """
    faults: dict[tuple[str, int], dict[str, Any]] = {}
    incidents: dict[int, list[Any]] = {}
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
                incidents[number] = _opened(event, faults)
            continue
        # Most frequent kinds first; alerts, fault ends and runbook ends fall through.
        if kind == "step":
            if d["mode"] == "manual":
                inc[_MANUAL_ACTIONS] += 1
                inc[_HUMAN_MINUTES] += event[0] - d["started"]
            else:
                inc[_AUTOMATED_STEPS] += 1
        elif kind == "transition":
            # open -> triage is the acknowledgement; open -> resolved (a dismissal) is not.
            to = d["to"]
            if to == "triage":
                if inc[_ACKNOWLEDGED] is None:
                    inc[_ACKNOWLEDGED] = event[0]
            elif to == "resolved" and inc[_RESOLVED] is None:
                inc[_RESOLVED] = event[0]
        elif kind == "work":
            inc[_HUMAN_MINUTES] += d["minutes"]
            if d["what"] == "approval":
                inc[_MANUAL_ACTIONS] += 1
        elif kind == "page":
            inc[_PAGES] += 1
        elif kind == "runbook_start":
            inc[_RUNBOOKS].append(d["runbook"])
        elif kind == "assign":
            inc[_WAITED] += d["waited"]
            inc[_ASSIGNED] = True
        elif kind == "mitigated":
            # impact_ended: impact was over before the response learned of it
            inc[_MITIGATED] = d.get("impact_ended", event[0])
            inc[_MITIGATED_BY] = d["by"]
        elif kind == "error":
            # "Error rate during fix": only mistakes before user impact ended count.
            if inc[_MITIGATED] is None:
                inc[_ERRORS] += 1
                inc[_STEP_ERRORS if d["what"] == "step_error" else _WRONG_RUNBOOKS] += 1
            else:
                inc[_ERRORS_AFTER_MITIGATION] += 1
        elif kind == "severity":
            inc[_SEVERITY] = d["to"]
    end = math.nan if horizon is None else horizon
    return [
        _finished(inc, end)
        for inc in incidents.values()
        if not (inc[_ONSET] < warmup or (inc[_NOISE] and inc[_DETECTED] < warmup))
    ]


def _opened(event: Event, faults: dict[tuple[str, int], dict[str, Any]]) -> list[Any]:
    """A new incident's slots from its ``incident_open`` record and its first fault."""
    t, _kind, number, service, _actor, d = event
    fault = faults.get((d["fault"], d["occurrence"])) if d["fault"] else None
    # acknowledged, mitigated and resolved are None until seen (cheaper to test than NaN).
    return [
        number,
        service,
        d["noise"],
        d["fault"],
        fault["fault_kind"] if fault else None,
        d["severity"],
        d["onset"] if d["onset"] is not None else _NAN,
        t,
        None,
        None,
        None,
        0,
        0,
        0,
        0,
        0.0,
        0,
        0,
        [],
        None,
        0.0,
        0,
        fault["affected_users_pct"] if fault else 0.0,
        fault["cost_per_min"] if fault else 0.0,
        False,
    ]


def _finished(inc: list[Any], horizon: float) -> list[Any]:
    """The record of an incident whose log is done: NaN for milestones never reached,
    the runbooks joined, the derived times, the cost and the censoring appended."""
    assigned = inc.pop()
    cost_per_min = inc.pop()
    waiting = not assigned and inc[_RESOLVED] is None
    if waiting:  # still waiting at the horizon: its age then, never zero
        inc[_WAITED] = horizon - inc[_DETECTED]
    censored = inc[_MITIGATED] is None and not inc[_NOISE]
    for slot in (_ACKNOWLEDGED, _MITIGATED, _RESOLVED):
        if inc[slot] is None:
            inc[slot] = _NAN
    inc[_RUNBOOKS] = ",".join(inc[_RUNBOOKS])
    onset, detected = inc[_ONSET], inc[_DETECTED]
    ttr = inc[_MITIGATED] - onset
    inc += (detected - onset, inc[_ACKNOWLEDGED] - detected, ttr)
    inc.append(cost_per_min * ttr if not inc[_NOISE] else 0.0)
    inc += (censored, waiting, horizon - onset if censored else ttr)
    return inc
