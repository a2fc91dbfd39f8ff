"""Pure chart functions: small DataFrames in, Altair charts out.

The HTML report and the dashboard draw the same charts from these functions, so both
show the same colours and axes: one fixed palette keyed by the strategies' order (the
first strategy, the baseline, is always blue), durations in minutes with the unit in
the axis title, rates in percent. No function here reads files or calls Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from .chart_parts import (
    FULL_WIDTH,
    MINUTES_LOG,
    PALETTE,
    PHASE_COLORS,
    SPACING,
    WIDTH,
    TopLevel,
    estimate_tooltip,
    estimate_x,
    interval,
    minutes_x,
    panel_width,
    side_by_side,
    strategy_color,
    strategy_colors,
    y_strategy,
)

__all__ = [
    "FULL_WIDTH",
    "PALETTE",
    "PHASE_COLORS",
    "bar_chart",
    "ci_chart",
    "cost_chart",
    "ecdf_chart",
    "error_rate_chart",
    "histogram_chart",
    "human_minutes_chart",
    "milestone_chart",
    "paired_chart",
    "panel_width",
    "strategy_color",
    "strategy_colors",
    "sweep_chart",
    "sweep_error_rate_chart",
    "sweep_mttr_chart",
    "ttr_stats_chart",
]


def histogram_chart(hist: pd.DataFrame, strategies: Sequence[str], *, log: bool = True) -> TopLevel:
    """TTR histogram per strategy (rows), log-spaced bins from ``query.ttr_histogram``."""
    title = MINUTES_LOG if log else "TTR (minutes)"
    scale = alt.Scale(type="log") if log else alt.Scale(zero=True)
    base = (
        alt.Chart(hist)
        .mark_bar(opacity=0.85, stroke="white", strokeWidth=0.3)
        .encode(
            x=alt.X("lo:Q", scale=scale, title=title),
            x2="hi:Q",
            y=alt.Y("share:Q", axis=alt.Axis(format=".0%", tickCount=3), title="incidents"),
            y2=alt.datum(0),
            color=strategy_color(strategies, legend=False),
            tooltip=[
                "strategy:N",
                alt.Tooltip("lo:Q", format=",.1f", title="from (min)"),
                alt.Tooltip("hi:Q", format=",.1f", title="to (min)"),
                alt.Tooltip("count:Q", format=","),
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(width=WIDTH, height=70)
    )
    chart: TopLevel = base.facet(
        row=alt.Row(
            "strategy:N",
            sort=list(strategies),
            title=None,
            header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold"),
        ),
        title="Distribution of time to recovery (share of mitigated incidents per bin)",
    ).configure_facet(spacing=6)
    return chart


def ecdf_chart(
    ecdf: pd.DataFrame,
    strategies: Sequence[str],
    *,
    log: bool = True,
    what: str = "TTR",
) -> TopLevel:
    """Cumulative share of incidents resolved within x minutes (``query.ttr_ecdf``)."""
    unit = "minutes, log scale" if log else "minutes"
    data = ecdf[ecdf["minutes"] > 0] if log else ecdf
    chart: TopLevel = (
        alt.Chart(data, title=f"Share of incidents with {what} at or below x")
        .mark_line(strokeWidth=2.2, interpolate="step-after")
        .encode(
            x=minutes_x(f"{what} ({unit})", log),
            y=alt.Y("share:Q", axis=alt.Axis(format=".0%"), title="incidents (cumulative)"),
            color=strategy_color(strategies),
            tooltip=[
                "strategy:N",
                alt.Tooltip("minutes:Q", format=",.1f", title=f"{what} (min)"),
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
        .properties(width=WIDTH, height=260)
    )
    return chart


def ci_chart(
    frame: pd.DataFrame,
    strategies: Sequence[str],
    *,
    x_title: str,
    facet: str | None = None,
    percent: bool = False,
    title: str | None = None,
    width: int | None = None,
) -> TopLevel:
    """Point estimates with 95% CI bars: columns ``strategy, value, lo, hi`` (+ ``facet``).

    With ``facet`` one panel per value of that column, each with its own x scale (a p90 is
    several times a median), together as wide as the page. Every axis includes zero:
    strategies are compared on it, and a 3.97-4.01 axis would make noise look like a gap.
    """
    fmt = ".0%" if percent else ",.1f"
    tooltip = estimate_tooltip(["strategy:N", *([f"{facet}:N"] if facet else [])], fmt)
    x = estimate_x(x_title, tick_count=5, fmt="%" if percent else "~s")
    y = y_strategy(strategies)
    color = strategy_color(strategies, legend=False)
    bars, points = interval(x_title, x, y, color, tooltip)
    ticks = bars.mark_tick(thickness=2, size=10).encode(x=alt.X("lo:Q", title=x_title))
    ticks_hi = bars.mark_tick(thickness=2, size=10).encode(x=alt.X("hi:Q", title=x_title))
    panels = list(dict.fromkeys(frame[facet])) if facet else [None]
    layered = alt.layer(bars, ticks, ticks_hi, points, data=frame).properties(
        width=width or panel_width(len(panels), spacing=SPACING),
        height=26 * max(1, len(strategies)),
    )
    if not facet:
        return layered.properties(title=title or "")
    return side_by_side(layered, facet, panels, title or "", spacing=SPACING)


def ttr_stats_chart(stats: pd.DataFrame, strategies: Sequence[str]) -> TopLevel:
    """MTTR mean, median, p90 and geometric mean with 95% CIs (``tables.stat_table``)."""
    return ci_chart(
        stats, strategies, x_title="TTR (minutes)", facet="stat", title="TTR statistics (95% CI)"
    )


def error_rate_chart(rates: pd.DataFrame, strategies: Sequence[str]) -> TopLevel:
    """Error rate during fix with 95% CIs (``tables.error_rates``)."""
    return ci_chart(
        rates,
        strategies,
        x_title="incidents with ≥ 1 error during fix (%)",
        percent=True,
        title="Error rate during fix (95% CI)",
        width=FULL_WIDTH - 90,
    )


def milestone_chart(frame: pd.DataFrame, strategies: Sequence[str]) -> TopLevel:
    """Mean TTD, TTA and TTR per strategy with 95% CIs (``tables.milestones``)."""
    return ci_chart(
        frame,
        strategies,
        x_title="mean (minutes)",
        facet="milestone",
        title="Time to detect, acknowledge and recover (mean, 95% CI)",
    )


def bar_chart(
    frame: pd.DataFrame,
    strategies: Sequence[str],
    *,
    field: str,
    x_title: str,
    title: str,
    fmt: str = ",.1f",
    axis_format: str = "~s",
) -> TopLevel:
    """One horizontal bar per strategy (human-minutes, cost, ...), value labelled."""
    axis = alt.Axis(format=axis_format, labelOverlap=True, labelFlush=True, tickCount=5)
    base = alt.Chart(frame, title=title).encode(
        y=y_strategy(strategies),
        x=alt.X(f"{field}:Q", title=x_title, axis=axis),
    )
    bars = base.mark_bar(height=16).encode(
        color=strategy_color(strategies, legend=False),
        tooltip=["strategy:N", alt.Tooltip(f"{field}:Q", format=fmt)],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(
        text=alt.Text(f"{field}:Q", format=fmt)
    )
    chart: TopLevel = (bars + labels).properties(
        width=WIDTH - 80, height=26 * max(1, len(strategies))
    )
    return chart


def paired_chart(paired: pd.DataFrame, strategies: Sequence[str]) -> TopLevel:
    """Paired differences against the baseline with 95% CIs and a zero line."""
    frame = paired.assign(label=paired["measure"] + " (" + paired["unit"] + ")")
    order = list(dict.fromkeys(frame["label"]))
    shown = [s for s in strategies if s in set(frame["strategy"])]
    y = y_strategy(shown)
    color = strategy_color(strategies, legend=False)
    zero = alt.Chart().mark_rule(color="#888", strokeDash=[4, 3]).encode(x=alt.datum(0))
    x_title = "difference vs baseline"
    x = estimate_x(x_title)
    relative = alt.Tooltip("relative_pct:Q", format="+.0f", title="relative (%)")
    tooltip = estimate_tooltip(["strategy:N", "label:N"], "+,.1f", relative)
    bars, points = interval(x_title, x, y, color, tooltip)
    layered = alt.layer(zero, bars, points, data=frame).properties(
        width=panel_width(len(order), spacing=SPACING), height=26 * max(1, len(shown))
    )
    title = "Paired differences against the baseline (same replications, 95% CI)"
    return side_by_side(layered, "label", order, title, spacing=SPACING)


def sweep_chart(
    curves: pd.DataFrame,
    strategies: Sequence[str],
    *,
    x: str,
    metric: str,
    y_title: str,
    title: str,
    percent: bool = False,
    band: bool = True,
) -> TopLevel:
    """``metric`` against the swept knob ``x``, one line per strategy, 95% CI band."""
    fmt = "%" if percent else "~s"
    x_enc = alt.X(f"{x}:Q", title=x.replace("_", " "))
    color = strategy_color(strategies)
    line = (
        alt.Chart()
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=x_enc,
            y=alt.Y(f"{metric}:Q", title=y_title, axis=alt.Axis(format=fmt)),
            color=color,
            tooltip=[
                "strategy:N",
                alt.Tooltip(f"{x}:Q"),
                alt.Tooltip(f"{metric}:Q", format=".1%" if percent else ",.1f"),
            ],
        )
    )
    layers: list[Any] = [line]
    lo, hi = f"{metric}_lo", f"{metric}_hi"
    if band and lo in curves and hi in curves:
        # After the line, so that the shared legend takes the line's symbols.
        area = (
            alt.Chart()
            .mark_area(opacity=0.16)
            .encode(x=x_enc, y=alt.Y(f"{lo}:Q", title=y_title), y2=f"{hi}:Q", color=color)
        )
        layers.append(area)
    return alt.layer(*layers, data=curves, title=title).properties(width=WIDTH, height=260)


# The named charts below are shared by the report and the dashboard, so both show the
# same thing under the same titles and units.


def human_minutes_chart(work: pd.DataFrame, strategies: Sequence[str]) -> TopLevel:
    """Human-minutes per incident, one bar per strategy (from ``tables.workload``)."""
    return bar_chart(
        work,
        strategies,
        field="human_minutes_per_incident",
        x_title="human-minutes per incident (minutes)",
        title="Human-minutes per incident",
    )


def cost_chart(
    cost: pd.DataFrame, strategies: Sequence[str], currency: str = "cost units"
) -> TopLevel:
    """Outage cost per replication, one bar per strategy (from ``tables.cost_table``), in
    the scenario's ``currency``; axis labels in full with thousands separators."""
    return bar_chart(
        cost,
        strategies,
        field="cost",
        fmt=",.0f",
        x_title=f"outage cost per replication ({currency})",
        title=f"Downtime cost per replication (one horizon, {currency})",
        axis_format=",.0f",
    )


def sweep_mttr_chart(
    curves: pd.DataFrame, strategies: Sequence[str], x: str, label: str = ""
) -> TopLevel:
    """Mean MTTR against the swept knob ``x`` with 95% bands; ``label`` names fixed knobs."""
    return sweep_chart(
        curves,
        strategies,
        x=x,
        metric="mttr_mean",
        y_title="MTTR (minutes)",
        title=f"MTTR against {x}{label} (mean, 95% band)",
    )


def sweep_error_rate_chart(
    curves: pd.DataFrame, strategies: Sequence[str], x: str, label: str = ""
) -> TopLevel:
    """Error rate during fix against the swept knob ``x`` with 95% bands."""
    return sweep_chart(
        curves,
        strategies,
        x=x,
        metric="error_rate",
        y_title="error rate during fix (%)",
        percent=True,
        title=f"Error rate against {x}{label} (95% band)",
    )
