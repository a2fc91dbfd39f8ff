"""Charts of a training session: service health as it was seen, and where the trainee's
time to mitigate falls on each strategy's distribution. Plain data in, Altair out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from .chart_parts import TopLevel, strategy_color

__all__ = ["health_chart", "health_frame", "ttr_placement_chart", "ttr_placement_frame"]


def health_frame(
    services: Sequence[tuple[str, Sequence[tuple[str, Sequence[float]]]]],
    minutes: Sequence[float],
) -> pd.DataFrame:
    """Long form of (service, [(signal, samples)]) sampled at ``minutes`` ago."""
    rows = [
        {"service": service, "signal": signal, "minutes ago": ago, "value": value}
        for service, signals in services
        for signal, values in signals
        for ago, value in zip(minutes, values, strict=True)
    ]
    return pd.DataFrame(rows, columns=["service", "signal", "minutes ago", "value"])


def health_chart(frame: pd.DataFrame) -> TopLevel:
    """The four signals of every service over the window, one small panel per signal."""
    chart: TopLevel = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("minutes ago:Q", scale=alt.Scale(reverse=True), title="minutes ago"),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("service:N"),
            tooltip=["service", "signal", "minutes ago", alt.Tooltip("value:Q", format=".3g")],
        )
        .properties(width=300, height=110)
        .facet(facet=alt.Facet("signal:N", title=None), columns=2)
        .resolve_scale(y="independent")
    )
    return chart


def ttr_placement_frame(
    distributions: Mapping[str, Sequence[float]], trainee: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(each strategy's TTRs, the trainee's TTR) as frames for the chart."""
    dist = pd.DataFrame(
        [{"strategy": s, "minutes": v} for s, values in distributions.items() for v in values],
        columns=["strategy", "minutes"],
    )
    return dist, pd.DataFrame([{"minutes": trainee, "who": "you"}])


def ttr_placement_chart(
    dist: pd.DataFrame, mark: pd.DataFrame, strategies: Sequence[str], title: str
) -> TopLevel:
    """Each strategy's TTRs as ticks on its row, the trainee's TTR as a red rule."""
    ticks = (
        alt.Chart(dist)
        .mark_tick(thickness=2, opacity=0.6)
        .encode(
            x=alt.X("minutes:Q", title="time to mitigate (min)"),
            y=alt.Y("strategy:N", sort=list(strategies), title=None),
            color=strategy_color(strategies, legend=False),
        )
    )
    rule = (
        alt.Chart(mark)
        .mark_rule(color="#d62728", strokeWidth=3)
        .encode(x="minutes:Q", tooltip=[alt.Tooltip("minutes:Q", format=".0f", title="you")])
    )
    chart: TopLevel = (ticks + rule).properties(title=title, width=520, height=110)
    return chart
