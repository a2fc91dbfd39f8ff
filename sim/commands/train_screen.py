"""The terminal face of a training session: the observation and the debrief with rich."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from sim.training import Debrief, IncidentResult, Observation

__all__ = ["debrief_view", "help_view", "screen", "sparkline"]

_BARS = "▁▂▃▄▅▆▇█"
_STATE_STYLE = {"ok": "green", "degraded": "yellow", "down": "bold red"}


def sparkline(values: tuple[float, ...], low: float, high: float) -> str:
    """Unicode bars of ``values`` on the fixed scale ``low``..``high``."""
    span = (high - low) or 1.0
    return "".join(
        _BARS[min(len(_BARS) - 1, max(0, int((v - low) / span * (len(_BARS) - 1) + 0.5)))]
        for v in values
    )


# Scale per signal label: availability and shares 0..1, p99 in ms up to 3 s.
_SCALES = {
    "availability": (0.0, 1.0),
    "error ratio": (0.0, 1.0),
    "p99 ms": (0.0, 3000.0),
    "utilisation": (0.0, 1.0),
}


# Short headers keep the table in 80 columns: availability, error ratio, p99, utilisation.
_HEADERS = ("avail.", "errors", "p99 ms", "util.")
_SPARK = 10  # characters of a sparkline: fits 80 columns with the rest of the table


def _recent(values: tuple[float, ...]) -> tuple[float, ...]:
    """Every other sample, always ending with the newest (the one that matters most)."""
    return tuple(values[::-1][::2][::-1])[-_SPARK:]


def screen(obs: Observation, pages: int = 5, feed: int = 6) -> Group:
    """Everything the trainee sees now, compact enough for 80x40."""
    parts: list[object] = []
    title = f"[bold]{obs.clock}[/]"
    if obs.prompt is not None:
        p = obs.prompt
        detail = f" — {p.runbook}/{p.step}" if p.step else ""
        parts.append(
            Panel(
                f"incident {p.incident} on [bold]{p.service}[/]{detail}\n{p.question}",
                title=title,
                border_style="cyan",
            )
        )
    else:
        parts.append(
            Panel("the shift is over: 'review', 'hint' or 'end'", title=title, border_style="cyan")
        )
    # Pages and health as fixed-width lines of one Text each: a rich Table measures and
    # pads every cell, and redrawing two of them after every command cost most of the
    # time from a command to the next screen (bench/bench_training.py).
    if obs.pages:
        width = max(len(page.alert) for page in obs.pages[:pages])
        board = Text("pages\n", style="bold")
        board.append(f"{'time':<10} {'alert':<{width}} {'service':<14} incident\n", style="dim")
        for page in obs.pages[:pages]:
            board.append(
                f"{page.clock:<10} {page.alert:<{width}} {page.service:<14} {page.incident or ''}\n"
            )
        board.rstrip()
        parts.append(board)
    name = max([len(svc.service) for svc in obs.health] + [7])
    health = Text("health (last 3 h, newest right)\n", style="bold")
    columns = "".join(f"{header:<{_SPARK + 2}}" for header in _HEADERS)
    health.append(f"{'service':<{name}}  {'state':<9}{columns}".rstrip() + "\n", style="dim")
    for svc in obs.health:
        series = dict(svc.signals)
        health.append(f"{svc.service:<{name}}  ")
        health.append(f"{svc.state:<9}", style=_STATE_STYLE.get(svc.state, ""))
        health.append(
            "".join(
                f"{sparkline(_recent(series[label]), *_SCALES[label]):<{_SPARK + 2}}"
                for label in _SCALES
            ).rstrip()
            + "\n"
        )
    health.rstrip()
    parts.append(health)
    edges = [
        f"{svc.service} -> {', '.join(svc.depends_on)}" for svc in obs.health if svc.depends_on
    ]
    parts.append(Text("depends on: " + "; ".join(edges), style="dim"))
    if obs.feed:
        parts.append(Text("\n".join(obs.feed[:feed][::-1]), style="dim"))
    if obs.message:
        parts.append(Text(obs.message))
    return Group(*parts)  # type: ignore[arg-type]


def help_view(obs: Observation) -> Table:
    from sim.training import COMMANDS

    table = Table("command", "use", title="commands possible now", title_justify="left")
    for verb in obs.commands:
        table.add_row(verb, COMMANDS[verb].usage)
    return table


def _minutes(x: float) -> str:
    return "—" if math.isnan(x) else f"{x:.0f}"


def debrief_view(result: Debrief) -> Group:
    score = result.score
    parts: list[object] = [
        Panel(f"[bold]{score.total:g} / 100[/]", title=f"debrief — {result.scenario}")
    ]
    breakdown = Table("part", "points", "of", "how", title="score", title_justify="left")
    for p in score.parts:
        breakdown.add_row(p.name, f"{p.points:g}", f"{p.max_points:g}", p.note)
    parts.append(breakdown)
    strategies = result.baselines.strategies
    incidents = Table(
        "incident",
        "fault (kind)",
        "your TTR",
        *(f"{s} TTR" for s in strategies),
        title="time to mitigate (min), same incidents",
        title_justify="left",
    )
    for r in result.incidents:
        f = r.facts
        incidents.add_row(
            str(f.number),
            f"{f.fault} ({f.kind})" if f.fault else "false positive",
            _minutes(f.ttr),
            *(_minutes(r.baseline_ttr.get(s, math.nan)) for s in strategies),
        )
    parts.append(incidents)
    places = [_place(result, r) for r in result.incidents]
    places = [p for p in places if p]
    if places:
        parts.append(Text("\n".join(places)))
    causes = [
        f"incident {r.facts.number}: {' '.join(r.root_cause.split())}"
        for r in result.incidents
        if not r.facts.noise
    ]
    causes += [
        f"not the cause: {shown} — {' '.join(why.split())}" for shown, why in result.red_herrings
    ]
    parts.append(Panel("\n".join(causes) or "—", title="root cause"))
    mistakes = Table("incident", "mistake", "why", title="mistakes", title_justify="left")
    for m in score.mistakes:
        mistakes.add_row(str(m.incident), m.what, m.why)
    parts.append(mistakes if score.mistakes else Text("no mistakes recorded", style="green"))
    return Group(*parts)  # type: ignore[arg-type]


def _place(result: Debrief, r: IncidentResult) -> str:
    """Where the trainee's TTR falls on each strategy's spread (empty if not mitigated)."""
    if r.facts.noise or math.isnan(r.facts.ttr):
        return ""
    shares = []
    for s in result.baselines.strategies:
        share = r.percentile.get(s, math.nan)
        if not math.isnan(share):
            runs = len(result.baselines.spread[s].get(r.facts.fault, ()))
            shares.append(f"{share:.0%} of {s}'s {runs}")
    return f"incident {r.facts.number}: {', '.join(shares)} runs were as fast or faster"


def console() -> Console:
    return Console(highlight=False)
