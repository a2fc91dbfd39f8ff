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

__all__ = [
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
    "strategy_color",
    "strategy_colors",
    "sweep_chart",
    "sweep_error_rate_chart",
    "sweep_mttr_chart",
    "timeline_chart",
    "ttr_stats_chart",
    "whatif_chart",
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
LABEL_GAP = 8


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


def _y_strategy(strategies: Sequence[str]) -> alt.Y:
    return alt.Y("strategy:N", sort=list(strategies), title=None)


def _minutes_x(title: str, log: bool, field: str = "minutes") -> alt.X:
    scale = alt.Scale(type="log") if log else alt.Scale(zero=False)
    return alt.X(f"{field}:Q", scale=scale, title=title)


def _estimate_axis(tick_count: int, **kwargs: Any) -> alt.Axis:
    """The x axis of narrow CI panels. Overlapping tick labels are thinned, and labels
    closer than ``LABEL_GAP`` pixels count as overlapping: the report's SVG is laid out
    with the fonts of ``vl-convert`` but drawn by the reader's browser, whose sans-serif
    may be wider (DejaVu Sans is), and without a gap neighbours then run together."""
    return alt.Axis(tickCount=tick_count, labelOverlap=True, labelSeparation=LABEL_GAP, **kwargs)


def _interval(
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


def _panels(
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
            x=_minutes_x(f"{what} ({unit})", log),
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
    width: int = 170,
) -> TopLevel:
    """Point estimates with 95% CI bars: columns ``strategy, value, lo, hi`` (+ ``facet``).

    With ``facet`` one panel per value of that column, each with its own x scale (a p90 is
    several times a median).
    """
    fmt = ".0%" if percent else ",.1f"
    tooltip = [
        "strategy:N",
        alt.Tooltip("value:Q", format=fmt, title="estimate"),
        alt.Tooltip("lo:Q", format=fmt, title="95% CI low"),
        alt.Tooltip("hi:Q", format=fmt, title="95% CI high"),
    ]
    if facet:
        tooltip.insert(1, f"{facet}:N")
    axis = _estimate_axis(5, format="%" if percent else "~s")
    x = alt.X("value:Q", title=x_title, axis=axis, scale=alt.Scale(zero=False))
    y = _y_strategy(strategies)
    color = strategy_color(strategies, legend=False)
    bars, points = _interval(x_title, x, y, color, tooltip)
    ticks = bars.mark_tick(thickness=2, size=10).encode(x=alt.X("lo:Q", title=x_title))
    ticks_hi = bars.mark_tick(thickness=2, size=10).encode(x=alt.X("hi:Q", title=x_title))
    layered = alt.layer(bars, ticks, ticks_hi, points, data=frame).properties(
        width=width, height=26 * max(1, len(strategies))
    )
    if not facet:
        return layered.properties(title=title or "")
    return _panels(layered, facet, list(dict.fromkeys(frame[facet])), title or "", spacing=18)


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
        width=WIDTH,
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
) -> TopLevel:
    """One horizontal bar per strategy (human-minutes, cost, ...), value labelled."""
    base = alt.Chart(frame, title=title).encode(
        y=_y_strategy(strategies),
        x=alt.X(f"{field}:Q", title=x_title, axis=alt.Axis(format="~s")),
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
    y = _y_strategy(shown)
    color = strategy_color(strategies, legend=False)
    zero = alt.Chart().mark_rule(color="#888", strokeDash=[4, 3]).encode(x=alt.datum(0))
    x_title = "difference vs baseline"
    x = alt.X(
        "value:Q",
        title=x_title,
        axis=_estimate_axis(4, format="~s"),
    )
    tooltip = [
        "strategy:N",
        "label:N",
        alt.Tooltip("value:Q", format="+,.1f"),
        alt.Tooltip("lo:Q", format="+,.1f"),
        alt.Tooltip("hi:Q", format="+,.1f"),
        alt.Tooltip("relative_pct:Q", format="+.0f", title="relative (%)"),
    ]
    bars, points = _interval(x_title, x, y, color, tooltip)
    layered = alt.layer(zero, bars, points, data=frame).properties(
        width=150, height=26 * max(1, len(shown))
    )
    title = "Paired differences against the baseline (same replications, 95% CI)"
    return _panels(layered, "label", order, title, spacing=14)


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


def timeline_chart(phases: pd.DataFrame, *, title: str = "Incident timeline") -> TopLevel:
    """Gantt chart of incident phases (``timeline.phases``): one row per incident."""
    order = list(PHASE_COLORS)
    rows = list(dict.fromkeys(phases["row"])) if not phases.empty else []
    chart: TopLevel = (
        alt.Chart(phases, title=title)
        .mark_bar(height=12)
        .encode(
            x=alt.X("start_h:Q", title="simulated time (hours since start)"),
            x2="end_h:Q",
            y=alt.Y("row:N", sort=rows, title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "phase:N",
                scale=alt.Scale(domain=order, range=[PHASE_COLORS[p] for p in order]),
                legend=alt.Legend(title="phase", orient="top", columns=5, labelLimit=160),
            ),
            tooltip=[
                "row:N",
                "phase:N",
                alt.Tooltip("start:Q", format=",.1f", title="from (min)"),
                alt.Tooltip("end:Q", format=",.1f", title="to (min)"),
                alt.Tooltip("minutes:Q", format=",.1f", title="duration (min)"),
            ],
        )
        .properties(width=WIDTH + 100, height=max(90, 22 * len(rows)))
    )
    return chart


def whatif_chart(frame: pd.DataFrame, strategies: Sequence[str], strategy: str) -> TopLevel:
    """Baseline vs what-if (``whatif.whatif_table`` rows without the differences): one
    panel per measure, the what-if in the strategy's colour, the baseline in grey."""
    data = frame[frame["side"] != "difference"].copy()
    pct = data["unit"] == "share"
    for col in ("value", "lo", "hi"):
        data.loc[pct, col] = data.loc[pct, col] * 100
    data["panel"] = data["measure"] + data["unit"].map({"minutes": " (minutes)", "share": " (%)"})
    colors = ["#8c959f", strategy_colors(strategies).get(strategy, PALETTE[0])]
    color = alt.Color(
        "side:N", scale=alt.Scale(domain=["baseline", "what-if"], range=colors), legend=None
    )
    y = alt.Y("side:N", sort=["baseline", "what-if"], title=None)
    x_title = "estimate (95% CI)"
    x = alt.X(
        "value:Q",
        title=x_title,
        scale=alt.Scale(zero=False),
        axis=_estimate_axis(4),
    )
    tooltip = [
        "panel:N",
        "side:N",
        alt.Tooltip("value:Q", format=",.1f"),
        alt.Tooltip("lo:Q", format=",.1f"),
        alt.Tooltip("hi:Q", format=",.1f"),
    ]
    bars, points = _interval(x_title, x, y, color, tooltip, size=80)
    layered = alt.layer(bars, points, data=data).properties(width=170, height=60)
    title = f"{strategy}: scenario as written (grey) vs what-if (95% CI)"
    return _panels(layered, "panel", list(dict.fromkeys(data["panel"])), title, spacing=16)


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


def cost_chart(cost: pd.DataFrame, strategies: Sequence[str]) -> TopLevel:
    """Outage cost per replication, one bar per strategy (from ``tables.cost_table``)."""
    return bar_chart(
        cost,
        strategies,
        field="cost",
        fmt=",.0f",
        x_title="outage cost per replication (currency units)",
        title="Downtime cost per replication (one horizon)",
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
