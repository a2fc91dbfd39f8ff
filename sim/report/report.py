"""``gameday report DIR``: one results folder (plus an optional sweep) as HTML and Markdown.

What it shows, for a compare folder: the headline table; the TTR distribution per
strategy (histogram on log-spaced bins and ECDF); MTTR mean/median/p90/geometric mean,
error rate, TTD/TTA with the 95% intervals of ``summary.json``; human-minutes; downtime
cost and automation ROI; paired differences; the power verdict. For a sweep folder (or
``--sweep``): MTTR, error rate and cost against each swept knob, one line per strategy,
with 95% bands. Everything is computed from the folder's files alone.
"""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from sim.experiments.store import atomic_write_bytes

from . import charts, query, tables
from .document import Document
from .folder import ResultsError, ResultSet, open_results

__all__ = ["ReportFiles", "build_report", "sweep_axes", "write_report"]

MAX_SWEEP_PANELS = 6


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    markdown: Path


def _fmt(value: float, fmt: str = "{:,.0f}") -> str:
    return fmt.format(value) if isinstance(value, int | float) and math.isfinite(value) else "n/a"


def _subtitle(results: ResultSet) -> str:
    meta = results.metadata
    parts = [f"{results.kind} of {', '.join(results.strategies)}"]
    if meta.get("replications"):
        parts.append(f"{meta['replications']} replications per strategy")
    if meta.get("seed") is not None:
        parts.append(f"seed {meta['seed']}")
    horizon = (results.summary or {}).get("horizon_minutes")
    if isinstance(horizon, int | float):
        parts.append(f"horizon {horizon / 1440:,.0f} days per replication")
    if meta.get("version"):
        parts.append(f"gameday {meta['version']}")
    parts.append(f"report made {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    return "; ".join(parts)


def _compare_sections(doc: Document, results: ResultSet) -> None:
    summary = results.summary or {}
    order = results.strategies
    source = results.incidents
    assert source is not None
    sec = doc.section("Headline")
    sec.text(
        "Every strategy ran on the same replication seeds (common random numbers), so the "
        "strategies faced the same faults. Durations are minutes; intervals are 95% "
        "cluster-bootstrap intervals over replications; rates are shares of real incidents "
        "(false-positive pages excluded). The MTTR rows count mitigated incidents only; "
        "the Kaplan–Meier rows also count the incidents still open at the horizon "
        "(censored: they lasted at least that long)."
    )
    sec.table(tables.overview(summary, order), index=True)

    sec = doc.section("Time to recovery: distribution")
    hist = query.ttr_histogram(source, order)
    ecdf = query.ttr_ecdf(source, order)
    sec.chart(charts.histogram_chart(hist, order), "TTR histogram, log-spaced bins (minutes)")
    sec.chart(charts.ecdf_chart(ecdf, order), "ECDF of TTR (minutes, log axis)")
    sec.note(
        "Incident durations are heavy-tailed: compare medians and p90s, not only means. "
        "Unmitigated incidents (no TTR within the horizon) are not in these charts."
    )

    sec = doc.section("MTTR statistics with 95% confidence intervals")
    stats = tables.stat_table(summary, order)
    sec.chart(charts.ttr_stats_chart(stats, order))
    sec.table(stats)

    sec = doc.section("Error rate during fix")
    rates = tables.error_rates(summary, order)
    sec.chart(charts.error_rate_chart(rates, order))
    sec.table((rates.set_index("strategy") * 100).reset_index())
    sec.note("Values in percent: incidents with at least one remediation error before recovery.")

    sec = doc.section("Detection, acknowledgement and recovery (TTD, TTA, TTR)")
    stones = tables.milestones(summary, order)
    sec.text(
        "Mean minutes from fault onset to the first alert (TTD), from that alert to a "
        "responder or automation taking the incident (TTA), and from onset to the end of "
        "user impact (TTR), each with its 95% confidence interval."
    )
    sec.chart(charts.milestone_chart(stones, order))
    sec.table(_milestone_cells(stones, order), index=True)

    sec = doc.section("Human work")
    work = tables.workload(summary, order)
    sec.chart(charts.human_minutes_chart(work, order))
    sec.table(
        work.rename(
            columns={
                "incidents_per_month": "incidents / month",
                "human_minutes_per_incident": "human-min / incident",
                "manual_actions_per_incident": "manual actions / incident",
                "automated_steps_per_incident": "automated steps / incident",
                "noise_human_minutes_per_replication": "noise human-min / replication",
            }
        )
    )

    sec = doc.section("Downtime cost and automation ROI")
    cost = tables.cost_table(summary, results.coverage(), order)
    sec.chart(charts.cost_chart(cost, order, results.currency))
    sec.table(cost.rename(columns=tables.COST_LABELS))
    base = order[0]
    lines = []
    for _, r in cost.iloc[1:].iterrows():
        lines.append(
            f"{r['strategy']}: saves {_fmt(r['saving'])} per replication against {base} with "
            f"{_fmt(r['coverage_points'], '{:+.0f}')} points of automation coverage: "
            f"{_fmt(r['roi_per_point'])} per point."
        )
    if lines:
        sec.bullets(lines)
    sec.note(
        "ROI per point = (cost of the baseline - cost of the strategy) / (coverage of the "
        "strategy - coverage of the baseline, in percentage points), coverages from the "
        "scenario's automation_coverage. Other strategy knobs (auto-remediation, assist) "
        "differ too, so this is the saving per point of the whole strategy change."
    )

    paired = tables.paired_table(summary)
    if not paired.empty:
        sec = doc.section("Paired differences against the baseline")
        sec.chart(charts.paired_chart(paired, order))
        sec.table(paired.rename(columns={"relative_pct": "relative (%)"}))

    verdicts = tables.power_verdicts(summary)
    if not verdicts.empty:
        sec = doc.section("Power: could a real rollout tell the difference?")
        sec.bullets(list(verdicts["verdict"]))
        sec.table(
            verdicts[
                [
                    "strategy",
                    "baseline",
                    "needed_for_observed",
                    "needed_10pct",
                    "needed_25pct",
                    "needed_50pct",
                    "sigma_log",
                ]
            ].rename(columns=tables.POWER_LABELS)
        )
        sec.note(
            "Incidents needed per strategy for a two-sided t-test on log TTR at 5% with 80% "
            "power, for the observed gain and for 10/25/50% gains in the geometric mean TTR."
        )


def sweep_axes(results: ResultSet) -> tuple[str | None, list[str]]:
    """(x knob, other varying knobs) of a sweep: x is the first knob with > 1 value."""
    varying = [k for k, v in results.grid.items() if len(v) > 1]
    if not varying:
        return (next(iter(results.grid), None), [])
    return varying[0], varying[1:]


#: Columns of the sweep table after the knobs: (curve column, header, scale).
_SWEEP_COLUMNS = (
    ("strategy", "strategy", None),
    ("incidents", "incidents", None),
    ("mttr_mean", "MTTR mean (min)", 1.0),
    ("mttr_mean_lo", "95% low", 1.0),
    ("mttr_mean_hi", "95% high", 1.0),
    ("mttr_median", "MTTR median (min)", 1.0),
    ("mttr_p90", "MTTR p90 (min)", 1.0),
    ("error_rate", "error rate (%)", 100.0),
    ("error_rate_lo", "95% low (%)", 100.0),
    ("error_rate_hi", "95% high (%)", 100.0),
    ("cost", "cost / replication", 1.0),
)


def _sweep_table(curves: pd.DataFrame, knobs: list[str], order: list[str]) -> pd.DataFrame:
    """The curves as a table: a row per grid point and strategy (in strategy order), the
    knobs that vary first, rates in percent, readable headers."""
    rank = {s: i for i, s in enumerate(order)}
    rows = curves.assign(_rank=curves["strategy"].map(rank)).sort_values([*knobs, "_rank"])
    table = rows[knobs].copy()
    for column, header, scale in _SWEEP_COLUMNS:
        if column in rows:
            table[header] = rows[column] if scale is None else rows[column] * scale
    return table


def _sweep_sections(doc: Document, sweep: ResultSet) -> None:
    assert sweep.incidents is not None
    params = list(sweep.grid)
    x, others = sweep_axes(sweep)
    curves = query.sweep_curves(sweep.incidents, params)
    order = sweep.strategies or list(dict.fromkeys(curves["strategy"]))
    varying = [k for k, v in sweep.grid.items() if len(v) > 1]
    fixed = [k for k in params if k not in varying]
    sec = doc.section(f"Sweep over {', '.join(varying or params) or 'the grid'}")

    def values(knob: str) -> str:
        return ", ".join(tables.knob_value(v, knob) for v in sweep.grid[knob])

    grid = "; ".join(f"{k} = {values(k)}" for k in varying)
    if fixed:
        grid += ("; " if grid else "") + "fixed: " + ", ".join(f"{k} = {values(k)}" for k in fixed)
    sec.text(
        f"Sweep {sweep.name}: {grid}. Each grid point ran every strategy on the same "
        f"{sweep.metadata.get('replications', '?')} replication seeds. Bands are 95% "
        "intervals over replications (normal approximation, delta method)."
    )
    if x is None or curves.empty:
        sec.note("No finished cells to draw.")
        return
    combos = [()] if not others else list(itertools.product(*(sweep.grid[o] for o in others)))
    if len(combos) > MAX_SWEEP_PANELS:
        sec.note(f"Showing {MAX_SWEEP_PANELS} of {len(combos)} combinations of {others}.")
    for combo in combos[:MAX_SWEEP_PANELS]:
        part = curves
        label = ""
        for knob, value in zip(others, combo, strict=True):
            part = part[part[knob] == value]
            label += f", {knob} = {value}"
        part = part.sort_values(x)
        sec.chart(charts.sweep_mttr_chart(part, order, x, label))
        sec.chart(charts.sweep_error_rate_chart(part, order, x, label))
        sec.chart(
            charts.sweep_chart(
                part,
                order,
                x=x,
                metric="cost",
                y_title="outage cost per replication",
                title=f"Downtime cost against {x}{label} (95% band)",
            )
        )
    sec.table(_sweep_table(curves, varying, order))


def build_report(results: ResultSet, sweep: ResultSet | None = None) -> Document:
    """The report of a compare or sweep result set (and an optional extra sweep)."""
    doc = Document(f"gameday report — {results.name}", _subtitle(results))
    if results.kind == "compare":
        _compare_sections(doc, results)
    else:
        _sweep_sections(doc, results)
    if sweep is not None:
        _sweep_sections(doc, sweep)
    sec = doc.section("How these numbers were made")
    sec.bullets(
        [
            "TTR = mitigated - onset; TTD = detected - onset; TTA = acknowledged - detected "
            "(minutes of simulated time).",
            "Replications, not incidents, are the independent units: every interval "
            "resamples (or averages over) whole replications.",
            "Error rate during fix = incidents with >= 1 remediation error before user "
            "impact ended / incidents.",
            "Outage cost = TTR x the cost per minute of the incident's fault, summed per "
            "replication (one simulated horizon).",
        ]
    )
    return doc


def write_report(
    folder: str | os.PathLike[str], *, sweep: str | os.PathLike[str] | None = None
) -> ReportFiles:
    """Write ``report.html`` and ``report.md`` into ``folder``; raise ResultsError if bad."""
    results = open_results(folder)
    extra = open_results(sweep) if sweep is not None else None
    if extra is not None and extra.kind != "sweep":
        raise ResultsError(f"{sweep}: --sweep needs a sweep folder, got a {extra.kind} folder")
    doc = build_report(results, extra)
    root = Path(folder)
    out = ReportFiles(root / "report.html", root / "report.md")
    atomic_write_bytes(out.html, doc.to_html().encode("utf-8"))
    atomic_write_bytes(out.markdown, doc.to_markdown().encode("utf-8"))
    return out


def _milestone_cells(stones: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Strategy rows, one ``mean [lo, hi]`` column per milestone (minutes)."""

    def cell(value: float, lo: float, hi: float) -> str:
        if not math.isfinite(value):
            return "—"
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return f"{value:,.1f}"
        return f"{value:,.1f} [{lo:,.1f}, {hi:,.1f}]"

    cells = stones.assign(
        cell=[
            cell(v, lo, hi)
            for v, lo, hi in zip(stones["value"], stones["lo"], stones["hi"], strict=True)
        ]
    )
    labels = list(dict.fromkeys(cells["milestone"]))
    table = cells.pivot(index="strategy", columns="milestone", values="cell")
    return table.reindex(index=order, columns=labels).rename(columns=lambda m: f"{m} (min)")
