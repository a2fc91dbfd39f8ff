"""The comparison document (``summary.json``) as small tidy tables for charts and text.

Every function takes the document ``gameday compare`` writes (see
``sim.experiments.compare.summarize``) and returns a DataFrame in the strategies' order.
Durations are minutes, rates 0..1, costs in the scenario's currency per replication
(one simulated horizon). Missing values (JSON ``null``) become NaN.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from sim.spec.units import format_duration
from sim.spec.variants import MINUTE_KNOBS

__all__ = [
    "COST_LABELS",
    "POWER_LABELS",
    "STATS",
    "cost_table",
    "detectability",
    "error_rates",
    "knob_value",
    "milestones",
    "overview",
    "paired_table",
    "power_summary",
    "power_verdicts",
    "stat_table",
    "workload",
]

STATS = ("mean", "median", "p90", "geomean")
STAT_LABELS = {"mean": "mean", "median": "median", "p90": "p90", "geomean": "geometric mean"}
#: Column headers of ``cost_table`` and ``power_verdicts`` as the report and the dashboard
#: show them.
COST_LABELS = {
    "coverage_pct": "coverage (%)",
    "cost": "cost / replication",
    "cost_per_incident": "cost / incident",
    "saving": "saving vs baseline",
    "coverage_points": "coverage points",
    "roi_per_point": "saving per point",
}
POWER_LABELS = {
    "observed_improvement_pct": "observed gain (%)",
    "needed_for_observed": "needed (observed gain)",
    "months_needed": "months of incidents",
    "needed_10pct": "needed (10% gain)",
    "needed_25pct": "needed (25% gain)",
    "needed_50pct": "needed (50% gain)",
    "sigma_log": "σ of log TTR",
}


def _num(value: Any) -> float:
    """A float, NaN for anything else (JSON null, a missing key)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(value)  # numpy scalars
    except (TypeError, ValueError):
        return math.nan


def knob_value(value: Any, knob: str = "") -> str:
    """A swept knob's value, short: 0.3 not 0.30000, true not 1, and a minute-valued
    knob (``horizon``, ``detection_delay``) as a duration: 30d not 43200.0."""
    if isinstance(value, bool):
        return str(value).lower()
    if knob in MINUTE_KNOBS and isinstance(value, int | float):
        return format_duration(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _estimate(value: Any, ci: Any, scale: float = 1.0) -> dict[str, float]:
    """``value, lo, hi`` (times ``scale``) from a value and its ``[lo, hi]`` interval;
    NaN for what is missing (no interval, JSON null)."""
    lo, hi = (ci or [None, None])[:2]
    return {"value": _num(value) * scale, "lo": _num(lo) * scale, "hi": _num(hi) * scale}


def _order(doc: Mapping[str, Any], strategies: Sequence[str] | None) -> list[str]:
    known = list(doc.get("strategies") or {})
    return [s for s in strategies if s in known] if strategies else known


def stat_table(
    doc: Mapping[str, Any], strategies: Sequence[str] | None = None, metric: str = "mttr"
) -> pd.DataFrame:
    """``strategy, stat, value, lo, hi`` for mean/median/p90/geomean of ``metric``."""
    rows = []
    for s in _order(doc, strategies):
        block = doc["strategies"][s].get(metric) or {}
        cis = block.get("ci95_by_stat") or {}
        for stat in STATS:
            estimate = _estimate(block.get(stat), cis.get(stat))
            rows.append({"strategy": s, "stat": STAT_LABELS[stat], **estimate})
    return pd.DataFrame(rows, columns=["strategy", "stat", "value", "lo", "hi"])


def error_rates(doc: Mapping[str, Any], strategies: Sequence[str] | None = None) -> pd.DataFrame:
    """``strategy, value, lo, hi``: share of incidents with at least one error during fix."""
    rows = []
    for s in _order(doc, strategies):
        rate = doc["strategies"][s].get("error_rate") or {}
        rows.append({"strategy": s, **_estimate(rate.get("value"), rate.get("ci95"))})
    return pd.DataFrame(rows, columns=["strategy", "value", "lo", "hi"])


def milestones(doc: Mapping[str, Any], strategies: Sequence[str] | None = None) -> pd.DataFrame:
    """``strategy, milestone, value, lo, hi``: mean TTD, TTA and TTR with their CIs."""
    rows = []
    names = {"ttd": "TTD (detect)", "tta": "TTA (acknowledge)", "mttr": "TTR (recover)"}
    for s in _order(doc, strategies):
        for key, label in names.items():
            block = doc["strategies"][s].get(key) or {}
            estimate = _estimate(block.get("mean"), block.get("ci95"))
            rows.append({"strategy": s, "milestone": label, **estimate})
    return pd.DataFrame(rows, columns=["strategy", "milestone", "value", "lo", "hi"])


def workload(doc: Mapping[str, Any], strategies: Sequence[str] | None = None) -> pd.DataFrame:
    """Per strategy: incidents, human-minutes, manual actions and automated steps."""
    rows = []
    for s in _order(doc, strategies):
        d = doc["strategies"][s]
        rows.append(
            {
                "strategy": s,
                "incidents": int(d.get("incidents") or 0),
                "incidents_per_month": _num(d.get("incidents_per_month")),
                "unmitigated": int(d.get("unmitigated") or 0),
                "human_minutes_per_incident": _num(d.get("human_minutes_per_incident")),
                "manual_actions_per_incident": _num(d.get("manual_actions_per_incident")),
                "automated_steps_per_incident": _num(d.get("automated_steps_per_incident")),
                "noise_human_minutes_per_replication": _num(
                    d.get("noise_human_minutes_per_replication")
                ),
            }
        )
    return pd.DataFrame(rows)


def cost_table(
    doc: Mapping[str, Any],
    coverage: Mapping[str, float],
    strategies: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Downtime cost per strategy and the automation ROI against the first strategy.

    ``saving`` = cost(baseline) - cost(strategy), per replication (one horizon).
    ``roi_per_point`` = saving / (coverage(strategy) - coverage(baseline) in percentage
    points): what each point of automation coverage is worth over one horizon. NaN for the
    baseline, when a coverage is unknown, or when the coverages are equal.
    """
    order = _order(doc, strategies)
    if not order:
        return pd.DataFrame()
    base = order[0]
    base_cost = _num(doc["strategies"][base].get("cost"))
    base_cov = coverage.get(base)
    rows = []
    for s in order:
        d = doc["strategies"][s]
        cost = _num(d.get("cost"))
        cov = coverage.get(s)
        saving = base_cost - cost if s != base else math.nan
        points = (cov - base_cov) * 100 if cov is not None and base_cov is not None else math.nan
        roi = saving / points if s != base and points and math.isfinite(points) else math.nan
        rows.append(
            {
                "strategy": s,
                "coverage_pct": cov * 100 if cov is not None else math.nan,
                "cost": cost,
                "cost_per_incident": _num(d.get("cost_per_incident")),
                "saving": saving,
                "coverage_points": points if s != base else math.nan,
                "roi_per_point": roi,
            }
        )
    return pd.DataFrame(rows)


def paired_table(doc: Mapping[str, Any]) -> pd.DataFrame:
    """``strategy, baseline, measure, value, lo, hi, relative_pct``: paired differences
    (strategy - baseline, same replications) of MTTR statistics (minutes) and the error
    rate (percentage points)."""
    rows = []
    for s, p in (doc.get("paired") or {}).items():
        for key, label in (
            ("mttr_mean", "MTTR mean"),
            ("mttr_median", "MTTR median"),
            ("mttr_p90", "MTTR p90"),
            ("mttr_geomean", "MTTR geometric mean"),
            ("error_rate", "error rate"),
        ):
            d = p.get(key) or {}
            rate = key == "error_rate"
            rows.append(
                {
                    "strategy": s,
                    "baseline": p.get("baseline"),
                    "measure": label,
                    "unit": "pp" if rate else "minutes",
                    **_estimate(d.get("value"), d.get("ci95"), 100.0 if rate else 1.0),
                    "relative_pct": _num((d.get("relative_pct") or {}).get("value")),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["strategy", "baseline", "measure", "unit", "value", "lo", "hi", "relative_pct"],
    )


def detectability(power: Mapping[str, Any]) -> str:
    """When a real rollout could detect the observed difference (a ``power`` block of
    ``summary.json``): within a month, within a quarter, after about how many months."""
    months = power.get("months_needed")
    if power.get("detectable_in_month"):
        return "detectable within a month of real incidents"
    if power.get("detectable_in_quarter"):
        return "detectable within a quarter"
    if isinstance(months, int | float):
        return f"needs about {months:,.1f} months of real incidents"
    return "not detectable within a quarter"


def power_summary(power: Mapping[str, Any]) -> str:
    """The power verdict in a few words, for a table cell (``gameday compare``)."""
    needed = power.get("needed_for_observed") if power else None
    if not power:
        return "no power analysis (too few mitigated incidents)"
    if power.get("note"):
        return str(power["note"])
    if power.get("observed_improvement") is None or needed is None:
        return "no observed difference in MTTR to detect"
    return f"{needed:,} incidents per strategy to detect; {detectability(power)}"


def _verdict(power: Mapping[str, Any], baseline: str, strategy: str) -> str:
    observed = power.get("observed_improvement") if power else None
    needed = power.get("needed_for_observed") if power else None
    if not power or power.get("note") or observed is None or needed is None:
        return power_summary(power)
    direction = "faster" if observed > 0 else "slower"
    return (
        f"{strategy} is {abs(observed):.0%} {direction} than {baseline} (geometric mean TTR); "
        f"this difference needs {needed:,} incidents per strategy to detect "
        f"(80% power, 5% two-sided); {detectability(power)}"
    )


def power_verdicts(doc: Mapping[str, Any]) -> pd.DataFrame:
    """Per compared strategy: the sentence, the incidents needed and for 10/25/50% gains."""
    rows = []
    for s, p in (doc.get("paired") or {}).items():
        power = p.get("power") or {}
        needed = power.get("needed") or {}
        rows.append(
            {
                "strategy": s,
                "baseline": p.get("baseline"),
                "verdict": _verdict(power, str(p.get("baseline")), s),
                "observed_improvement_pct": _num(power.get("observed_improvement")) * 100,
                "needed_for_observed": power.get("needed_for_observed"),
                "months_needed": _num(power.get("months_needed")),
                "needed_10pct": needed.get("10%"),
                "needed_25pct": needed.get("25%"),
                "needed_50pct": needed.get("50%"),
                "sigma_log": _num(power.get("sigma_log")),
            }
        )
    return pd.DataFrame(rows)


def _ci(value: float, lo: float, hi: float, fmt: str = "{:,.1f}") -> str:
    if not math.isfinite(value):
        return "n/a"
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return fmt.format(value)
    return f"{fmt.format(value)} [{fmt.format(lo)}, {fmt.format(hi)}]"


def _km_cell(strategy: Mapping[str, Any], stat: str) -> str:
    """A Kaplan–Meier quantile as shown: "not reached" when too many incidents were
    still open for the curve to fall that far, "open" for an unbounded interval end."""
    km = strategy.get("ttr_km")
    if not km:
        return "n/a"  # a result set from before censoring was reported
    block = km.get(stat) or {}
    value = _num(block.get("value"))
    if not math.isfinite(value):
        return "not reached"
    lo, hi = (_num(x) for x in (block.get("ci95") or [None, None])[:2])
    ends = [f"{x:,.1f}" if math.isfinite(x) else "open" for x in (lo, hi)]
    return f"{value:,.1f} [{ends[0]}, {ends[1]}]"


def _censored(strategy: Mapping[str, Any]) -> str:
    count = (strategy.get("censored") or {}).get("ttr")
    return f"{count:,}" if isinstance(count, int) else "n/a"


def overview(doc: Mapping[str, Any], strategies: Sequence[str] | None = None) -> pd.DataFrame:
    """The headline table (one column per strategy), formatted, as ``gameday compare``."""
    order = _order(doc, strategies)
    stats = stat_table(doc, order)
    errs = error_rates(doc, order).set_index("strategy")
    ms = milestones(doc, order)
    work = workload(doc, order).set_index("strategy")
    table: dict[str, dict[str, str]] = {}
    for s in order:
        col: dict[str, str] = {"incidents": f"{_num(work.at[s, 'incidents']):,.0f}"}
        col["open at the horizon (censored)"] = _censored(doc["strategies"][s])
        for r in stats[stats["strategy"] == s].itertuples(index=False):
            col[f"MTTR {r.stat} (min)"] = _ci(_num(r.value), _num(r.lo), _num(r.hi))
        for stat in ("median", "p90"):
            col[f"TTR {stat}, Kaplan–Meier (min)"] = _km_cell(doc["strategies"][s], stat)
        rows = ms[(ms["strategy"] == s) & (ms["milestone"] != "TTR (recover)")]
        for r in rows.itertuples(index=False):
            col[f"mean {r.milestone} (min)"] = _ci(_num(r.value), _num(r.lo), _num(r.hi))
        e = [_num(errs.at[s, c]) * 100 for c in ("value", "lo", "hi")]
        col["error rate during fix (%)"] = _ci(e[0], e[1], e[2], "{:.1f}")
        human = _num(work.at[s, "human_minutes_per_incident"])
        manual = _num(work.at[s, "manual_actions_per_incident"])
        col["human-minutes / incident"] = f"{human:,.1f}"
        col["manual actions / incident"] = f"{manual:,.1f}"
        cost = _num(doc["strategies"][s].get("cost"))
        col["outage cost / replication"] = f"{cost:,.0f}" if math.isfinite(cost) else "n/a"
        table[s] = col
    frame = pd.DataFrame(table)
    frame.index.name = "metric (95% CI)"
    return frame
