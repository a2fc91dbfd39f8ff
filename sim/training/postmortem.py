"""The postmortem of a session in Markdown, from its event log and debrief.

Sections follow the shape of the public SRE postmortem templates: summary, impact,
detection, root cause and trigger, resolution, what went well, what went wrong, action
items, and the timeline in wall-clock time from the scenario's ``start_hour``.
"""

from __future__ import annotations

import math

from .debrief import Debrief, IncidentResult
from .session import Session

__all__ = ["postmortem"]


def _minutes(x: float) -> str:
    return "—" if math.isnan(x) else f"{x:.0f} min"


def postmortem(session: Session, result: Debrief) -> str:
    """The Markdown postmortem (deterministic for the same session)."""
    spec = session.spec
    clock = session.clock
    real = [r for r in result.incidents if not r.facts.noise]
    noise = [r for r in result.incidents if r.facts.noise]
    lines = [
        f"# Postmortem: {spec.name} (training session)",
        "",
        f"- **Date:** {clock(0)} to {clock(session.now)} (simulated), seed {session.seed}",
        f"- **Author:** {session.trainee} (role {session.role}), scored {result.score.total:g}/100",
        "- **Status:** complete, blameless",
        "",
        "## Summary",
        "",
    ]
    if not real:
        lines.append("No incident reached the trainee before the session ended.")
    for r in real:
        f = r.facts
        outcome = (
            f"mitigated after {_minutes(f.ttr)}"
            if not math.isnan(f.mitigated)
            else "not mitigated before the session ended"
        )
        lines.append(
            f"- Incident {f.number} on {f.service} ({f.severity or 'no severity set'}): {outcome}."
        )
    if noise:
        lines.append(f"- {len(noise)} false-positive page(s) dismissed.")
    lines += ["", "## Impact", ""]
    for r in real:
        lines.append(f"- Incident {r.facts.number}: {_impact(session, r)}")
    lines += ["", "## Detection", ""]
    for r in real:
        f = r.facts
        lines.append(
            f"- Incident {f.number}: alert at {clock(f.detected)}, "
            f"{_minutes(f.detected - f.onset)} after onset; acknowledged "
            f"{_minutes(f.acknowledged - f.detected)} later."
        )
    lines += ["", "## Root cause and trigger", ""]
    for r in real:
        lines.append(f"- Incident {r.facts.number}: {' '.join(r.root_cause.split())}")
    for shown, why in result.red_herrings:
        lines.append(f"- Not the cause: {shown} — {' '.join(why.split())}")
    lines += ["", "## Resolution", ""]
    for r in real:
        lines.append(f"- Incident {r.facts.number}: {_resolution(r)}")
    went_well, went_wrong = _judgement(result)
    lines += ["", "## What went well", "", *(f"- {x}" for x in went_well)]
    lines += ["", "## What went wrong", "", *(f"- {x}" for x in went_wrong)]
    lines += ["", "## Action items", "", "| action | type | owner |", "| --- | --- | --- |"]
    lines += _action_items(result)
    lines += ["", "## Timeline", "", *_timeline(session, result), ""]
    return "\n".join(lines)


def _impact(session: Session, r: IncidentResult) -> str:
    f = r.facts
    start = next(
        (e for e in session.events if e.kind == "fault_start" and e.details["fault"] == f.fault),
        None,
    )
    if start is None:
        return "unknown"
    d = start.details
    end = f.mitigated if not math.isnan(f.mitigated) else session.now
    return (
        f"{d['affected_users_pct']:.0f}% of users affected for {_minutes(end - f.onset)} "
        f"({d['services_impacted']} service(s)); outage cost about "
        f"{d['cost_per_min'] * (end - f.onset):,.0f}"
    )


def _resolution(r: IncidentResult) -> str:
    f = r.facts
    tried = ", then ".join(
        f"{runbook} ({'fitted' if fits else 'did not fit'})" for _t, runbook, fits in f.runbooks
    )
    compared = "; ".join(f"{s}: {_minutes(ttr)}" for s, ttr in r.baseline_ttr.items())
    return (
        f"{tried or 'no runbook applied'}; time to mitigate {_minutes(f.ttr)} "
        f"(same incident under {compared})"
    )


def _judgement(result: Debrief) -> tuple[list[str], list[str]]:
    well = [
        f"{p.name}: {p.note}"
        for p in result.score.parts
        if p.max_points and p.points >= 0.8 * p.max_points
    ]
    wrong = [f"{m.what} — {m.why}" for m in result.score.mistakes]
    return well or ["nothing stood out"], wrong or ["no mistakes recorded"]


def _action_items(result: Debrief) -> list[str]:
    rows = []
    for r in result.incidents:
        for a in r.facts.said("review"):
            if a.arg == "actions":
                rows.append(f"| {a.text} | prevent | team of {r.facts.service} |")
    for m in result.score.mistakes:
        rows.append(f"| practise: {m.what} | training | {result.trainee} |")
    return rows or ["| none | — | — |"]


def _timeline(session: Session, result: Debrief) -> list[str]:
    """Clock-time lines of what happened to the trainee's incidents."""
    mine = {r.facts.number for r in result.incidents}
    faults = {r.facts.fault for r in result.incidents if r.facts.fault}
    lines = []
    for e in session.events:
        d = e.details
        text = ""
        if e.kind == "fault_start" and d["fault"] in faults:
            text = f"{e.service} starts failing (onset)"
        elif e.kind == "fault_end" and d["fault"] in faults:
            text = f"{e.service} recovers ({d['by']})"
        elif e.incident not in mine:
            continue
        elif e.kind == "incident_open":
            text = f"incident {e.incident} opened by an alert on {e.service}"
        elif e.kind == "action":
            text = f"{e.actor}: " + " ".join(x for x in (d["command"], d["arg"], d["text"]) if x)
        elif e.kind == "step":
            text = f"step {d['runbook']}/{d['step']} {'ok' if d['ok'] else d['failure']}"
        elif e.kind == "transition":
            text = f"incident {e.incident}: {d['from']} -> {d['to']} ({d['reason']})"
        if text:
            lines.append(f"- {session.clock(e.t)} {text}")
    return lines
