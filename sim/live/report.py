"""The after-game report as a document (HTML and Markdown) and the game-day timeline chart.

Sections: the team, the timeline in clock time (simulated and wall clock; injected
faults marked), each incident's TTD / TTA / TTR against the baselines on the same fault
occurrences, the facilitator's messages, observer notes and action items, and every
input with who gave it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sim.report.document import Document
from sim.spec.safe_io import atomic_write

from .aftergame import AfterGame
from .gameday import GameDay
from .roles import ROLE_TITLES

__all__ = ["report_document", "timeline_chart", "write_report"]


def timeline_chart(gameday: GameDay) -> Any:
    """Incident phases on the scenario's clock, injected faults marked by red rules."""
    import altair as alt

    from sim.report.run_charts import timeline_chart as phases_chart
    from sim.report.timeline import clock_ms, incidents, phases

    spec = gameday.spec
    chart = phases_chart(
        phases(incidents(gameday.events), spec.start_hour, spec.start_day),
        title="Game day timeline",
    )
    injected = pd.DataFrame(
        [
            {
                "start_ms": clock_ms(e.t, spec.start_hour, spec.start_day),
                "label": f"injected at {gameday.clock(e.t)}: {e.service}",
            }
            for e in gameday.events
            if e.kind == "fault_start" and str(e.details["fault"]).startswith("inject-")
        ],
        columns=["start_ms", "label"],
    )
    rules = (
        alt.Chart(injected)
        .mark_rule(color="#cf222e", strokeDash=[4, 3], size=2)
        .encode(x=alt.X("start_ms:T", scale=alt.Scale(type="utc")), tooltip=["label:N"])
    )
    return alt.layer(chart, rules)


def report_document(after: AfterGame, chart: Any = None) -> Document:
    doc = Document(
        after.title,
        f"Scenario {after.scenario}, seed {after.seed}; the team took the seat of responder "
        f"{after.seat!r}; "
        f"from {after.started} to {after.ended} (UTC wall clock).",
    )
    team = doc.section("Team")
    team.bullets(
        [f"{name} — {ROLE_TITLES.get(role, role)}" for name, role in after.players]
        or ["nobody joined: simulated responders played every role"]
    )
    section = doc.section("Incidents against the baselines")
    section.text(
        "Time to detect (TTD), to acknowledge (TTA) and to recover (TTR) of each incident, "
        "and of the same fault occurrence when the simulated responders handle it under "
        f"each strategy ({', '.join(after.strategies)}), same scenario, injections and seed."
    )
    rows = []
    for line in after.incidents:
        row = {
            "incident": f"#{line.incident}",
            "service": line.service,
            "fault": line.fault + (" (injected)" if line.injected else ""),
        }
        for what in ("ttd", "tta", "ttr"):
            row[f"team {what.upper()}"] = line.span(None, what)
            for strategy in after.strategies:
                row[f"{strategy} {what.upper()}"] = line.span(strategy, what)
        rows.append(row)
    if rows:
        section.table(pd.DataFrame(rows))
    else:
        section.note("No incident came from a fault during the game day.")
    if chart is not None:
        section.chart(chart, "Incident phases; red dashed rules: injected faults")
    timeline = doc.section("Timeline")
    timeline.note(
        "Clock: the scenario's simulated clock. Wall: UTC when it happened in the room "
        "(~: between two inputs, interpolated). INJECTED marks injected faults."
    )
    timeline.table(_moments(after.timeline, with_role=True))
    for title, moments, empty in (
        ("Messages to the players", after.messages, "No message was sent."),
        ("Observer notes", after.notes, "No observer note."),
        ("Action items", after.action_items, "No action item was recorded."),
    ):
        part = doc.section(title)
        part.bullets([f"{m.clock} — {m.what.partition(' ')[2]}" for m in moments] or [empty])
    actions = doc.section("Every action, with who did it")
    actions.table(_moments(after.actions, with_role=True))
    return doc


def _moments(moments: tuple[Any, ...], *, with_role: bool) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "clock": m.clock,
                "wall (UTC)": m.wall,
                "who": m.who,
                **({"role": m.role} if with_role else {}),
                "what": m.what,
            }
            for m in moments
        ],
        columns=["clock", "wall (UTC)", "who", *(["role"] if with_role else []), "what"],
    )


def write_report(doc: Document, folder: str | Path) -> tuple[Path, Path]:
    """``report.html`` and ``report.md`` in ``folder``, each written atomically."""
    out = Path(folder)
    html_path, md_path = out / "report.html", out / "report.md"
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(html_path, doc.to_html())
    atomic_write(md_path, doc.to_markdown())
    return html_path, md_path
