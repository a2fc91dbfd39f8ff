"""The parts every chart is built from: the palette, widths, axes, CI intervals and
side-by-side panels (``charts`` and ``run_charts`` compose them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

__all__ = [
    "FULL_WIDTH",
    "MINUTES_LOG",
    "PALETTE",
    "PHASE_COLORS",
    "SPACING",
    "WIDTH",
    "TopLevel",
    "estimate_axis",
    "interval",
    "minutes_x",
    "panel_width",
    "side_by_side",
    "strategy_color",
    "strategy_colors",
    "y_strategy",
]

#: Okabe-Ito colours (distinguishable with colour-vision deficiencies), in strategy order.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#B8860B",  # dark goldenrod
)
#: Incident phases of the run explorer's timeline, onset to resolved.
PHASE_COLORS = {
    "detecting": "#D55E00",
    "waiting for ack": "#E69F00",
    "triage & diagnosis": "#CC79A7",
    "mitigating": "#0072B2",
    "closing out": "#009E73",
}
MINUTES_LOG = "TTR (minutes, log scale)"
#: What the chart functions return: a single, layered or faceted top-level chart.
TopLevel = alt.Chart | alt.LayerChart | alt.FacetChart
WIDTH = 520
#: Width of a chart that spans the page: the dashboard's main column at 1,400 px with
#: the sidebar open, and the report's text column.
FULL_WIDTH = 900
LABEL_GAP = 8
#: Gap between side-by-side panels: room for their outermost tick labels.
SPACING = 36


def panel_width(panels: int, *, label: int = 90, spacing: int = 18) -> int:
    """Width of each of ``panels`` side-by-side panels that together span ``FULL_WIDTH``
    (``label``: room for the row labels left of the first panel)."""
    return max(120, (FULL_WIDTH - label - spacing * (panels - 1)) // max(1, panels))


def strategy_colors(strategies: Sequence[str]) -> dict[str, str]:
    """Strategy -> colour, by position: the same strategy order gives the same colours."""
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(strategies)}


def strategy_color(strategies: Sequence[str], *, legend: bool = True) -> alt.Color:
    """The colour encoding of ``strategy`` with the fixed palette and order."""
    colors = strategy_colors(strategies)
    return alt.Color(
        "strategy:N",
        scale=alt.Scale(domain=list(colors), range=list(colors.values())),
        sort=list(strategies),
        legend=alt.Legend(title="strategy", orient="top") if legend else None,
    )


def y_strategy(strategies: Sequence[str]) -> alt.Y:
    return alt.Y("strategy:N", sort=list(strategies), title=None)


def minutes_x(title: str, log: bool, field: str = "minutes") -> alt.X:
    scale = alt.Scale(type="log") if log else alt.Scale(zero=False)
    return alt.X(f"{field}:Q", scale=scale, title=title)


def estimate_axis(tick_count: int, **kwargs: Any) -> alt.Axis:
    """The x axis of narrow CI panels. Overlapping tick labels are thinned, and labels
    closer than ``LABEL_GAP`` pixels count as overlapping: the report's SVG is laid out
    with the fonts of ``vl-convert`` but drawn by the reader's browser, whose sans-serif
    may be wider (DejaVu Sans is), and without a gap neighbours then run together. Flush
    end labels keep one panel's last label off the next panel's first ("140 0 20")."""
    return alt.Axis(
        tickCount=tick_count,
        labelOverlap=True,
        labelSeparation=LABEL_GAP,
        labelFlush=True,  # the outermost labels stay inside their panel
        **kwargs,
    )


def estimate_x(title: str, *, tick_count: int = 4, fmt: str = "~s") -> alt.X:
    """The encoding of an estimate (column ``value``) on an axis from zero: strategies
    are compared on it, and a 3.97-4.01 axis would make noise look like a gap."""
    axis = estimate_axis(tick_count, format=fmt)
    return alt.X("value:Q", title=title, scale=alt.Scale(zero=True), axis=axis)


def estimate_tooltip(first: Sequence[Any], fmt: str, *last: Any) -> list[Any]:
    """A tooltip: the ``first`` fields, the estimate and its 95% CI (columns ``value``,
    ``lo``, ``hi``, formatted with ``fmt``), then the ``last`` ones."""
    titles = {"value": "estimate", "lo": "95% CI low", "hi": "95% CI high"}
    cis = [alt.Tooltip(f"{col}:Q", format=fmt, title=title) for col, title in titles.items()]
    return [*first, *cis, *last]


def interval(
    x_title: str, x: alt.X, y: alt.Y, color: alt.Color, tooltip: list[Any], *, size: int = 70
) -> tuple[alt.Chart, alt.Chart]:
    """An estimate with its 95% CI, data from the enclosing layer: a rule from ``lo`` to
    ``hi`` and a dot at ``value`` (``x``: the dot's encoding, titled ``x_title``)."""
    bars = (
        alt.Chart()
        .mark_rule(strokeWidth=2)
        .encode(x=alt.X("lo:Q", title=x_title), x2="hi:Q", y=y, color=color)
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=size)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    return bars, points


def side_by_side(
    layered: alt.LayerChart | alt.FacetChart,
    field: str,
    order: list[Any],
    title: str,
    *,
    spacing: int,
) -> TopLevel:
    """One panel per value of ``field`` (in ``order``), side by side, each with its own x
    scale (a p90 is several times a median; minutes and percentages do not share one)."""
    chart: TopLevel = (
        layered.facet(column=alt.Column(f"{field}:N", sort=order, title=None), title=title)
        .resolve_scale(x="independent")
        .configure_facet(spacing=spacing)
    )
    return chart
