"""The fit report: one self-contained HTML file (inline SVG charts, no network).

It shows what the cleaning did, each fitted number with its interval, the weekly and
daily profiles, every family tried for every duration (AIC, KS distance to the
Kaplan–Meier estimate) and a QQ plot of the chosen one, and the back-test when one ran.
Charts are Altair specifications rendered by ``sim.report.render`` (``vl-convert``).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from sim.report.document import Document, Section

from .calibration import Calibration
from .fitting import DurationFit, Estimate, FitChoice
from .model import DurationFits

__all__ = ["fit_report_html", "qq_points"]


def _ci(e: Estimate, digits: int = 3) -> str:
    return f"{e.value:.{digits}g} [{e.low:.{digits}g}, {e.high:.{digits}g}]"


def qq_points(fit: DurationFit, times: np.ndarray, censored: np.ndarray) -> pd.DataFrame:
    """Empirical (Kaplan–Meier) against fitted quantiles at each completed duration:
    points on the diagonal mean the family fits, censoring respected."""
    events, right = times[~censored], times[censored]
    km = stats.ecdf(stats.CensoredData(uncensored=events, right=right))
    q = km.cdf.quantiles
    p = km.cdf.probabilities
    before = np.concatenate([[0.0], p[:-1]])
    mid = np.clip((p + before) / 2, 1e-6, 1 - 1e-6)  # plotting position inside each step
    return pd.DataFrame({"observed": q, "fitted": fit.dist().ppf(mid)})


def _qq_chart(frame: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    low = float(max(min(frame.min()), 1e-2))
    high = float(max(frame.max()))
    line = pd.DataFrame({"observed": [low, high], "fitted": [low, high]})
    scale = alt.Scale(type="log", domain=[low, high])
    points = (
        alt.Chart(frame)
        .mark_circle(size=18, opacity=0.6)
        .encode(
            x=alt.X("fitted:Q", scale=scale, title="fitted quantile (min)"),
            y=alt.Y("observed:Q", scale=scale, title="observed (Kaplan–Meier) quantile (min)"),
        )
    )
    diagonal = (
        alt.Chart(line)
        .mark_line(color="#888", strokeDash=[4, 3])
        .encode(x="fitted:Q", y="observed:Q")
    )
    chart: alt.TopLevelMixin = (diagonal + points).properties(width=260, height=220, title=title)
    return chart


def _profile_chart(rows: list[tuple[str, Estimate]], title: str, order: list[str]) -> Any:
    frame = pd.DataFrame(
        [{"bin": k, "rate": e.value, "low": e.low, "high": e.high} for k, e in rows]
    )
    x = alt.X("bin:N", sort=order, title=None)
    bars = (
        alt.Chart(frame)
        .mark_bar(color="#6e9ecf")
        .encode(x=x, y=alt.Y("rate:Q", title="rate vs flat profile"))
    )
    whiskers = alt.Chart(frame).mark_rule().encode(x=x, y="low:Q", y2="high:Q")
    return (bars + whiskers).properties(width=420, height=160, title=title)


def _families_table(choice: FitChoice) -> pd.DataFrame:
    best = choice.best
    rows = []
    for f in choice.fits:
        rows.append(
            {
                "family": f.family + (" (chosen)" if f is best else ""),
                "parameters": "; ".join(f"{k} {_ci(v)}" for k, v in f.params.items()),
                "ΔAIC": round(f.aic - best.aic, 1),
                "KS vs KM": round(f.ks, 3),
                "mean (min)": _ci(f.mean),
                "p90 (min)": _ci(f.p90),
                "n (open)": f"{f.n} ({f.censored})",
            }
        )
    return pd.DataFrame(rows)


def _durations(doc: Document, fits: DurationFits, cal: Calibration, pick: Any) -> None:
    sec = doc.section(f"{fits.name[0].upper()}{fits.name[1:]}")
    sec.note(
        "Families ranked by AIC (lower is better; ΔAIC under 2 is a tie). KS is the largest "
        "gap between the fitted CDF and the Kaplan–Meier estimate, which treats open "
        "incidents as censored. Intervals are 95%."
    )
    groups = [("all severities", fits.pooled, None)] + [
        (sev, fits.by_severity[sev], sev) for sev in sorted(fits.by_severity)
    ]
    for label, choice, sev in groups:
        if choice is None:
            sec.text(f"{label}: too few completed incidents for a fit of its own (pooled used).")
            continue
        sec.text(f"{label}:")
        sec.table(_families_table(choice))
        pairs = [pick(i) for i in cal.clean.incidents if sev is None or i.severity == sev]
        pairs = [p for p in pairs if p is not None]
        times = np.array([t for t, _ in pairs])
        cens = np.array([c for _, c in pairs], dtype=bool)
        sec.chart(
            _qq_chart(qq_points(choice.best, times, cens), f"{label}: {choice.best.family}"),
            f"QQ plot, {fits.name}, {label}",
        )


def fit_report_html(cal: Calibration, backtest: Any = None) -> str:
    """The fit report of ``cal`` (and of ``backtest``, a ``Backtest``) as HTML."""
    from .model import _work

    model, clean = cal.model, cal.clean
    doc = Document(
        f"Fit report: {cal.scenario.name}",
        f"{clean.file} ({cal.format}), {model.incidents} incidents over {model.weeks:.1f} "
        f"weeks up to {clean.as_of:%Y-%m-%d %H:%M} UTC",
    )
    cleaning = doc.section("Cleaning")
    items = [f"dropped, {k}: {v}" for k, v in sorted(clean.dropped.items())]
    items += [f"corrected, {k}: {v}" for k, v in sorted(clean.corrected.items())]
    items += [f"note: {n}" for n in clean.notes]
    open_n = sum(i.ttr_censored for i in clean.incidents)
    items.append(f"{open_n} incident(s) still open at the export's end, kept as censored")
    cleaning.bullets(items)
    _rates(doc.section("Incident rates"), cal)
    for fits, pick in (
        (model.tta, lambda i: None if i.tta is None else (i.tta, i.tta_censored)),
        (model.ttr, lambda i: (i.ttr, i.ttr_censored)),
        (model.work, _work),
    ):
        if fits is not None:
            _durations(doc, fits, cal, pick)
    people = doc.section("Responders")
    people.table(
        pd.DataFrame(
            [
                {"person": p, "share of acknowledgements": _ci(e)}
                for p, e in model.responders.items()
            ]
        )
        if model.responders
        else pd.DataFrame([{"person": "(the export names no responders)"}])
    )
    if model.escalated is not None:
        people.text(f"Escalated: {_ci(model.escalated)} of incidents.")
    if backtest is not None:
        _backtest(doc.section("Back-test"), backtest)
    return doc.to_html()


def _rates(sec: Section, cal: Calibration) -> None:
    model = cal.model
    sec.table(
        pd.DataFrame(
            [
                {"service": s, "incidents": model.counts[s], "per week": _ci(e)}
                for s, e in model.rates.items()
            ]
        )
    )
    sec.table(
        pd.DataFrame(
            [
                {"severity": s, "incidents": model.severity_counts[s], "share": _ci(e)}
                for s, e in model.severity_mix.items()
            ]
        )
    )
    days = list(model.weekday)
    sec.chart(
        _profile_chart(list(model.weekday.items()), "by weekday", days),
        f"Weekly profile ({model.timezone}); chi-square test of a flat week "
        f"p={model.weekday_p:.2g}",
    )
    hours = [f"{h:02d}" for h in model.hour]
    sec.chart(
        _profile_chart([(f"{h:02d}", e) for h, e in model.hour.items()], "by hour", hours),
        f"Daily profile ({model.timezone}); chi-square test of a flat day p={model.hour_p:.2g}. "
        "Reported, not simulated: fault arrivals in the scenario are homogeneous.",
    )


def _backtest(sec: Section, bt: Any) -> None:
    sec.text(
        f"Fitted on {bt.fitted_on} incidents opened before {bt.cut:%Y-%m-%d %H:%M} UTC; "
        f"{bt.held_out} held out ({bt.held_out_open} still open), {bt.weeks:.1f} weeks, "
        f"simulated {bt.replications} times."
    )
    sec.table(
        pd.DataFrame(
            [
                {
                    "figure": f.name,
                    "actual [95% CI]": f"{f.actual:.1f} [{f.actual_low:.1f}, {f.actual_high:.1f}]",
                    "simulated [95% CI]": (
                        f"{f.simulated:.1f} [{f.simulated_low:.1f}, {f.simulated_high:.1f}]"
                    ),
                    "simulated within the actual CI": "yes" if f.within else "NO",
                }
                for f in bt.figures
            ]
        )
    )
