"""Charts of one replication and of one what-if: the run explorer's timeline and the
what-if's baseline-against-variant panels (same palette and helpers as ``charts``).

Times on the timeline are the scenario's clock (``Tue 14:02``): ``timeline.phases``
places each moment on a week (``clock_ms``) and the axis is formatted in UTC, so the
labels do not depend on the reader's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from .chart_parts import (
    FULL_WIDTH,
    PALETTE,
    PHASE_COLORS,
    SPACING,
    TopLevel,
    estimate_tooltip,
    estimate_x,
    interval,
    panel_width,
    side_by_side,
    strategy_colors,
)

__all__ = ["CLOCK_FORMAT", "timeline_chart", "whatif_chart"]

#: d3 time format of clock times on axes: ``Tue 14:02``, as ``sim.spec.clock``.
CLOCK_FORMAT = "%a %H:%M"


def timeline_chart(
    phases: pd.DataFrame,
    *,
    title: str = "Incident timeline",
    window_ms: tuple[float, float] | None = None,
) -> TopLevel:
    """Gantt chart of incident phases (``timeline.phases``): one row per incident, on
    the scenario's clock; ``window_ms`` (from, to) fixes the time axis to a zoom."""
    order = list(PHASE_COLORS)
    rows = list(dict.fromkeys(phases["row"])) if not phases.empty else []
    scale = alt.Scale(type="utc", domain=list(window_ms) if window_ms else alt.Undefined)
    chart: TopLevel = (
        alt.Chart(phases, title=title)
        .mark_bar(height=12, clip=True)
        .encode(
            x=alt.X(
                "start_ms:T",
                scale=scale,
                title="simulated time (the scenario's clock)",
                axis=alt.Axis(format=CLOCK_FORMAT, labelOverlap=True, labelSeparation=12),
            ),
            x2="end_ms:T",
            y=alt.Y("row:N", sort=rows, title=None, axis=alt.Axis(labelLimit=300)),
            color=alt.Color(
                "phase:N",
                scale=alt.Scale(domain=order, range=[PHASE_COLORS[p] for p in order]),
                legend=alt.Legend(title="phase", orient="top", columns=5, labelLimit=160),
            ),
            tooltip=[
                "row:N",
                "phase:N",
                alt.Tooltip("from:N", title="from"),
                alt.Tooltip("to:N", title="to"),
                alt.Tooltip("lasted:N", title="lasted"),
            ],
        )
        .properties(width=FULL_WIDTH - 220, height=max(90, 22 * len(rows)))
    )
    return chart


def whatif_chart(frame: pd.DataFrame, strategies: Sequence[str], strategy: str) -> TopLevel:
    """Baseline vs what-if (``whatif.whatif_table`` rows without the differences): one
    panel per measure, the what-if in the strategy's colour, the baseline in grey. Each
    axis starts at zero, so a small difference looks small."""
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
    x = estimate_x(x_title)
    tooltip = estimate_tooltip(["panel:N", "side:N"], ",.1f")
    bars, points = interval(x_title, x, y, color, tooltip, size=80)
    # An invisible point at each panel's upper end, at least 1: a panel whose values are
    # all 0 (no errors on either side) still gets an axis from 0, not a degenerate one.
    top = data.groupby("panel")["hi"].transform("max").fillna(0.0)
    data["extent"] = top.where(top > 0, 1.0)
    extent = alt.Chart().mark_point(opacity=0).encode(x=alt.X("extent:Q", title=x_title), y=y)
    panels = list(dict.fromkeys(data["panel"]))
    layered = alt.layer(bars, points, extent, data=data).properties(
        width=panel_width(len(panels), label=70, spacing=SPACING), height=60
    )
    title = f"{strategy}: scenario as written (grey) vs what-if (95% CI)"
    return side_by_side(layered, "panel", panels, title, spacing=SPACING)
