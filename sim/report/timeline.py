"""One replication's event log as tables: incidents, phases, alerts, audit log, journal.

The run explorer shows what happened in one replication. Everything comes from the
event log (``sim.eventlog``) and the incident rows of ``sim.metrics``: the same source
of truth as every statistic, so a timeline never disagrees with the numbers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from sim.eventlog import Event
from sim.metrics import incident_rows
from sim.spec.clock import WEEKDAYS, Weekday, format_clock, format_span

__all__ = [
    "PHASES",
    "WEEK_START_MS",
    "alerts",
    "as_clock",
    "audit_log",
    "clock_ms",
    "incidents",
    "phases",
    "runbook_journal",
    "visited_transitions",
]

#: (milestone column, phase that starts there); a phase ends at the next milestone.
PHASES: tuple[tuple[str, str], ...] = (
    ("onset", "detecting"),
    ("detected", "waiting for ack"),
    ("acknowledged", "triage & diagnosis"),
    ("mitigating", "mitigating"),
    ("mitigated", "closing out"),
    ("resolved", ""),
)


#: Monday 2024-01-01 00:00 UTC in milliseconds. Charts put minute 0 of a run on a week
#: that starts on a Monday, shifted by the scenario's start day and hour, so a time axis
#: formatted ``%a %H:%M`` in UTC reads as the scenario's clock (``Tue 14:02``).
WEEK_START_MS = 1_704_067_200_000


def clock_ms(minutes: float, start_hour: int, start_day: Weekday = "Mon") -> float:
    """A moment of a run as epoch milliseconds on that week (for time axes)."""
    offset = WEEKDAYS.index(start_day) * 1440 + start_hour * 60
    return WEEK_START_MS + (offset + minutes) * 60_000


def as_clock(
    frame: pd.DataFrame, columns: Sequence[str], clock: Callable[[float], str]
) -> pd.DataFrame:
    """``frame`` with the minute ``columns`` written as clock times (missing stays empty)."""
    shown = frame.copy()
    for column in columns:
        shown[column] = [
            clock(float(v)) if isinstance(v, int | float) and not math.isnan(v) else ""
            for v in frame[column]
        ]
    return shown


def incidents(events: Sequence[Event]) -> pd.DataFrame:
    """One row per incident (``sim.metrics`` columns) plus ``mitigating``: the time the
    incident entered the ``mitigating`` state (NaN if it never did)."""
    rows = incident_rows(events)
    started: dict[int, float] = {}
    for e in events:
        if e.kind == "transition" and e.details.get("to") == "mitigating":
            started.setdefault(e.incident, e.t)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["mitigating"] = [started.get(int(i), math.nan) for i in frame["incident"]]
    return frame


def _label(row: pd.Series) -> str:
    kind = "noise" if bool(row["noise"]) else str(row.get("fault_kind") or "")
    return f"{row['service']} · #{int(row['incident'])} {row['severity']} {kind}".strip()


def phases(table: pd.DataFrame, start_hour: int = 0, start_day: Weekday = "Mon") -> pd.DataFrame:
    """Gantt rows: ``incident, service, row, phase, start, end, minutes`` and, for the
    time axis, ``start_ms, end_ms`` (``clock_ms``: the scenario's clock), and for people
    ``from, to`` (``Tue 14:02``) and ``lasted`` (``1h12m``).

    Milestones missing for an incident (noise has no onset; a self-healed fault may be
    mitigated before anyone acknowledged it) are skipped; phases never run backwards.
    Sorted by service, then onset, so each service's incidents sit together.
    """
    out = []
    if table.empty:
        return pd.DataFrame(
            columns=["incident", "service", "row", "phase", "start", "end", "minutes"]
        )
    first = table["onset"].fillna(table["detected"])
    ordered = table.assign(_first=first).sort_values(["service", "_first"])
    for _, row in ordered.iterrows():
        label = _label(row)
        points = [
            (float(row[col]), name)
            for col, name in PHASES
            if col in row and isinstance(row[col], float) and not math.isnan(row[col])
        ]
        latest = -math.inf
        for (t0, name), (t1, _next) in itertools.pairwise(points):
            start = max(t0, latest)
            end = max(t1, start)
            latest = end
            if name and end > start:
                out.append(
                    {
                        "incident": int(row["incident"]),
                        "service": row["service"],
                        "row": label,
                        "phase": name,
                        "start": start,
                        "end": end,
                        "minutes": end - start,
                    }
                )
    frame = pd.DataFrame(out)
    if not frame.empty:
        frame["start_ms"] = [clock_ms(t, start_hour, start_day) for t in frame["start"]]
        frame["end_ms"] = [clock_ms(t, start_hour, start_day) for t in frame["end"]]
        frame["from"] = [format_clock(t, start_hour, start_day) for t in frame["start"]]
        frame["to"] = [format_clock(t, start_hour, start_day) for t in frame["end"]]
        frame["lasted"] = [format_span(m) for m in frame["minutes"]]
    return frame


def alerts(
    events: Iterable[Event],
    *,
    service: str | None = None,
    start: float = -math.inf,
    end: float = math.inf,
) -> pd.DataFrame:
    """Alerts delivered to the response: ``t, fired_at, service, alert, noise, group``."""
    rows = [
        {
            "t": e.t,
            "fired_at": e.details.get("fired_at"),
            "service": e.service,
            "alert": e.details.get("alert"),
            "noise": bool(e.details.get("noise")),
            "group": e.details.get("group"),
        }
        for e in events
        if e.kind == "alert" and (service is None or e.service == service) and start <= e.t <= end
    ]
    return pd.DataFrame(rows, columns=["t", "fired_at", "service", "alert", "noise", "group"])


def audit_log(events: Iterable[Event], incident: int) -> pd.DataFrame:
    """The lifecycle audit log of one incident: ``t, from, to, actor, reason``, plus
    severity changes (``from``/``to`` are severities then, reason the rule)."""
    rows = []
    for e in events:
        if e.incident != incident:
            continue
        if e.kind == "transition":
            rows.append(
                {
                    "t": e.t,
                    "from": e.details.get("from"),
                    "to": e.details.get("to"),
                    "actor": e.actor,
                    "reason": e.details.get("reason", ""),
                }
            )
        elif e.kind == "severity":
            rows.append(
                {
                    "t": e.t,
                    "from": f"severity {e.details.get('from')}",
                    "to": f"severity {e.details.get('to')}",
                    "actor": e.actor,
                    "reason": f"rule {e.details.get('rule')}",
                }
            )
    return pd.DataFrame(rows, columns=["t", "from", "to", "actor", "reason"])


def runbook_journal(events: Iterable[Event], incident: int) -> pd.DataFrame:
    """The runbook journal of one incident, Chaos-Toolkit style: one row per runbook
    start/end and per step attempt (``started, ended, runbook, step, attempt, actor, mode,
    outcome``), plus errors and human work outside steps."""
    rows = []
    for e in events:
        if e.incident != incident:
            continue
        d = e.details
        if e.kind == "runbook_start":
            fits = "" if d.get("fits", True) else " (does not fit the fault)"
            rows.append(
                _entry(e.t, e.t, d.get("runbook"), "▶ start", None, e.actor, "", f"started{fits}")
            )
        elif e.kind == "runbook_end":
            rows.append(
                _entry(
                    e.t, e.t, d.get("runbook"), "■ end", None, e.actor, "", str(d.get("outcome"))
                )
            )
        elif e.kind == "step":
            outcome = "ok" if d.get("ok") else f"failed: {d.get('failure')}"
            rows.append(
                _entry(
                    d.get("started", e.t),
                    e.t,
                    d.get("runbook"),
                    d.get("step"),
                    d.get("attempt"),
                    e.actor,
                    d.get("mode", ""),
                    outcome,
                )
            )
        elif e.kind == "error":
            rows.append(
                _entry(
                    e.t,
                    e.t,
                    d.get("runbook"),
                    d.get("step") or "",
                    None,
                    e.actor,
                    "",
                    f"error: {d.get('what')}",
                )
            )
        elif e.kind == "work":
            minutes = float(d.get("minutes", 0.0))
            rows.append(
                _entry(e.t - minutes, e.t, "", str(d.get("what")), None, e.actor, "manual", "work")
            )
        elif e.kind == "mitigated":
            rows.append(
                _entry(e.t, e.t, "", "user impact ended", None, e.actor, "", f"by {d.get('by')}")
            )
    frame = pd.DataFrame(
        rows, columns=["started", "ended", "runbook", "step", "attempt", "actor", "mode", "outcome"]
    )
    return frame.sort_values(["ended", "started"], kind="stable").reset_index(drop=True)


def _entry(
    started: float,
    ended: float,
    runbook: object,
    step: object,
    attempt: object,
    actor: str,
    mode: str,
    outcome: str,
) -> dict[str, object]:
    return {
        "started": started,
        "ended": ended,
        "runbook": runbook or "",
        "step": step,
        "attempt": attempt,
        "actor": actor,
        "mode": mode,
        "outcome": outcome,
    }


def visited_transitions(events: Iterable[Event], incident: int) -> set[tuple[str, str]]:
    """The (from, to) lifecycle transitions an incident took (to highlight on the diagram)."""
    found = {("[*]", "open")}
    for e in events:
        if e.incident == incident and e.kind == "transition":
            found.add((str(e.details.get("from")), str(e.details.get("to"))))
            if e.details.get("to") == "closed":
                found.add(("closed", "[*]"))
    return found
