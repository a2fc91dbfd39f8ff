"""What the trainee sees: an ``Observation`` built for the seat, never the state.

Pages with their labels, the incidents with what the trainee may know of them, the
health of every service (the four signals over the last three hours), the service map,
the runbooks by title, what inspections and hints showed, and the trainee's own feed of
what happened to their incidents. The fault kind, the fault's name, the triage rules'
severity and the root cause are not in it: the debrief reveals them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.engine import Prompt

from .evidence import SIGNAL_LABELS, active_faults, service_signals
from .session import Session, question

__all__ = [
    "HISTORY_MINUTES",
    "HISTORY_STEP",
    "IncidentView",
    "Observation",
    "PageView",
    "PromptView",
    "ServiceHealth",
    "observe",
]

HISTORY_MINUTES = 180  # the health panel's window
HISTORY_STEP = 10  # minutes between its samples


@dataclass(frozen=True, slots=True)
class PromptView:
    """A decision waiting for a trainee or a game-day player: the engine's ``Prompt``
    without its bookkeeping, with what it asks in words (``question``)."""

    number: int  # the prompt's number: a game-day answer names it
    kind: str
    incident: int
    service: str
    question: str
    runbook: str
    step: str
    attempt: int

    @classmethod
    def of(cls, prompt: Prompt) -> PromptView:
        return cls(
            prompt.number,
            prompt.kind,
            prompt.incident,
            prompt.service,
            question(prompt),
            prompt.runbook,
            prompt.step,
            prompt.attempt,
        )


@dataclass(frozen=True, slots=True)
class PageView:
    clock: str
    alert: str
    service: str
    labels: tuple[tuple[str, str], ...]
    incident: int


@dataclass(frozen=True, slots=True)
class IncidentView:
    number: int
    service: str
    opened: str
    state: str
    holder: str  # "you", a colleague's name, or "" while nobody holds it
    severity: str  # the one the trainee set ("" before triage)


@dataclass(frozen=True, slots=True)
class ServiceHealth:
    service: str
    state: str  # ok, degraded, down
    depends_on: tuple[str, ...]
    signals: tuple[tuple[str, tuple[float, ...]], ...]  # (label, samples, oldest first)


@dataclass(frozen=True, slots=True)
class Observation:
    clock: str
    minute: float
    prompt: PromptView | None
    commands: tuple[str, ...]
    pages: tuple[PageView, ...]  # newest first
    incidents: tuple[IncidentView, ...]
    health: tuple[ServiceHealth, ...]
    runbooks: tuple[tuple[str, str], ...]  # (id, title)
    notes: tuple[tuple[str, str, tuple[str, ...]], ...]  # (clock, source, lines), newest first
    feed: tuple[str, ...]  # what happened to the trainee's incidents, newest first
    message: str
    hints_taken: int
    finished: bool


def observe(session: Session, pages: int = 20, feed: int = 20) -> Observation:
    """The trainee's view of ``session`` now."""
    spec = session.spec
    prompt = session.prompt
    return Observation(
        clock=session.clock(),
        minute=round(session.now, 3),
        prompt=None if prompt is None else PromptView.of(prompt),
        commands=tuple(session.allowed()),
        pages=_pages(session)[:pages],
        incidents=_incidents(session),
        health=_health(session),
        runbooks=tuple((r.id, r.title) for r in spec.runbook_index.values()),
        notes=tuple((session.clock(n.t), n.source, n.lines) for n in reversed(session.notes)),
        feed=_feed(session)[:feed],
        message=session.message,
        hints_taken=session.hints_taken,
        finished=session.finished,
    )


def _pages(session: Session) -> tuple[PageView, ...]:
    events, spec = session.events, session.spec
    group_incident: dict[str, int] = {}
    found = []
    for i, e in enumerate(events):
        if e.kind != "alert":
            continue
        group = e.details["group"]
        following = events[i + 1] if i + 1 < len(events) else None
        if following is not None and following.kind == "incident_open":
            group_incident[group] = following.incident
        rule = spec.alert_rules[e.details["alert"]]
        labels = {**rule.labels, "alertname": e.details["alert"], "service": e.service}
        found.append(
            PageView(
                session.clock(e.t),
                e.details["alert"],
                e.service,
                tuple(sorted(labels.items())),
                group_incident.get(group, 0),
            )
        )
    return tuple(reversed(found))


def _incidents(session: Session) -> tuple[IncidentView, ...]:
    found: dict[int, dict[str, str]] = {}
    for e in session.events:
        if e.kind == "incident_open":
            found[e.incident] = {
                "service": e.service,
                "opened": session.clock(e.t),
                "state": "open",
                "holder": "",
                "severity": "",
            }
        elif e.incident in found:
            row = found[e.incident]
            if e.kind == "transition":
                row["state"] = e.details["to"]
            elif e.kind == "assign":
                row["holder"] = "you" if e.actor == session.trainee else e.actor
            elif e.kind == "action" and e.details["command"] == "severity":
                row["severity"] = e.details["arg"]
    return tuple(
        IncidentView(n, r["service"], r["opened"], r["state"], r["holder"], r["severity"])
        for n, r in found.items()
    )


def _health(session: Session) -> tuple[ServiceHealth, ...]:
    spec, play = session.spec, session.play
    faults = active_faults(session.events)
    now = session.now
    times = [
        now - HISTORY_MINUTES + k * HISTORY_STEP for k in range(HISTORY_MINUTES // HISTORY_STEP)
    ]
    times.append(now)
    samples = [
        service_signals(spec, play.healthy, play.picture, faults, t) if t >= 0 else None
        for t in times
    ]
    current = samples[-1]
    assert current is not None
    result = []
    for name, svc in spec.services.items():
        series = []
        for key, label in SIGNAL_LABELS.items():
            values = tuple(
                round((s[name][1] if s is not None else play.healthy)[key], 4) for s in samples
            )
            series.append((label, values))
        result.append(ServiceHealth(name, current[name][0], tuple(svc.depends_on), tuple(series)))
    return tuple(result)


def _feed(session: Session) -> tuple[str, ...]:
    """The trainee's incidents as they saw them happen (newest first)."""
    mine: set[int] = set()
    lines = []
    for e in session.events:
        if e.kind == "assign" and e.actor == session.trainee:
            mine.add(e.incident)
        if e.incident not in mine:
            continue
        at = session.clock(e.t)
        d = e.details
        text = ""
        if e.kind == "step":
            outcome = "done" if d["ok"] else f"FAILED ({d['failure']})"
            text = f"step {d['step']} {outcome} after {e.t - d['started']:.0f} min"
        elif e.kind == "transition":
            text = f"incident {e.incident}: {d['from']} -> {d['to']}"
        elif e.kind == "mitigated":
            text = f"incident {e.incident}: service back to normal"
        elif e.kind == "runbook_end":
            text = f"runbook {d['runbook']} {d['outcome']}"
        elif e.kind == "action":
            text = "you: " + " ".join(x for x in (d["command"], d["arg"], d["text"]) if x)
        if text:
            lines.append(f"{at}  {text}")
    return tuple(reversed(lines))
