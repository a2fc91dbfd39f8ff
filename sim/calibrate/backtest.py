"""Back-test: fit on the earlier incidents, simulate the later period, compare.

The export's span is cut in time at ``1 - holdout``: the model is fitted to the incidents
opened before the cut *as the export would have looked at the cut* (an incident still
open then is censored there, and an acknowledgement after the cut is not yet known),
and the fitted scenario (strategy ``history``) is simulated over a horizon as long as
the held-out period. The held-out incidents give the actuals.

Reported for MTTR (mean time to resolve), its p90 and incidents per week:

* **actual**: the held-out incidents' figure with a 95% interval (bootstrap over
  incidents for MTTR and p90; exact Poisson interval for the rate). Incidents still open
  at the export's end are left out of MTTR and p90 (they are counted in the rate).
* **simulated**: the mean over replications with a 95% cluster-bootstrap interval (over
  replications, ``sim.experiments.stats.describe_durations``).

``within`` says whether the simulated estimate lies inside the actual interval: the
model reproduces what happened, up to the sampling noise of one held-out period.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np

from .calibration import Calibration, build
from .cleaning import CleanExport, Incident
from .formats import FORMATS
from .model import poisson_rate

__all__ = ["Backtest", "Figure", "backtest_lines", "run_backtest", "split_at"]

_MIN_SIDE = 10  # incidents needed on each side of the cut


@dataclass(frozen=True)
class Figure:
    name: str
    actual: float
    actual_low: float
    actual_high: float
    simulated: float
    simulated_low: float
    simulated_high: float

    @property
    def within(self) -> bool:
        return self.actual_low <= self.simulated <= self.actual_high


@dataclass(frozen=True)
class Backtest:
    holdout: float
    cut: datetime
    fitted_on: int
    held_out: int
    held_out_open: int
    weeks: float
    replications: int
    figures: tuple[Figure, ...]
    fitted: Calibration

    def figure(self, name: str) -> Figure:
        return next(f for f in self.figures if f.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "holdout": self.holdout,
            "cut": self.cut.isoformat(),
            "fitted_on": self.fitted_on,
            "held_out": self.held_out,
            "held_out_open": self.held_out_open,
            "weeks": self.weeks,
            "replications": self.replications,
            "figures": {
                f.name: {
                    "actual": [f.actual, f.actual_low, f.actual_high],
                    "simulated": [f.simulated, f.simulated_low, f.simulated_high],
                    "within": f.within,
                }
                for f in self.figures
            },
        }


def _as_seen_at(i: Incident, cut: datetime) -> Incident:
    """The incident as an export taken at ``cut`` shows it."""
    limit = (cut - i.created).total_seconds() / 60.0
    changes: dict[str, Any] = {}
    if i.ttr_censored or i.ttr > limit:
        changes.update(ttr=max(min(i.ttr, limit), 1 / 60), ttr_censored=True)
    if i.tta is not None and (i.tta_censored or i.tta > limit):
        changes.update(tta=max(min(i.tta, limit), 1 / 60), tta_censored=True)
    return replace(i, **changes)


def split_at(clean: CleanExport, holdout: float) -> tuple[CleanExport, list[Incident], datetime]:
    """The export as it was at the cut, the held-out incidents, and the cut."""
    first = min(i.created for i in clean.incidents)
    cut = first + (clean.as_of - first) * (1.0 - holdout)
    earlier = [_as_seen_at(i, cut) for i in clean.incidents if i.created < cut]
    later = [i for i in clean.incidents if i.created >= cut]
    if len(earlier) < _MIN_SIDE or len(later) < _MIN_SIDE:
        raise ValueError(
            f"a {holdout:.0%} hold-out leaves {len(earlier)} incidents to fit and "
            f"{len(later)} to test; at least {_MIN_SIDE} each are needed"
        )
    fit_part = CleanExport(
        clean.file, earlier, cut, clean.dropped, clean.corrected, list(clean.notes), clean.services
    )
    return fit_part, later, cut


def _simulate(cal: Calibration, replications: int, seed: int) -> Any:
    from sim.experiments.compare import collect
    from sim.experiments.executors import open_executor

    with open_executor("serial", 1) as executor:
        table, errors = collect(cal.scenario, ["history"], replications, seed, executor)
    if errors:
        raise RuntimeError(f"back-test replications failed: {errors}")
    return table[~table["noise"].astype(bool)]


def run_backtest(
    result: Calibration, holdout: float, *, replications: int = 40, seed: int = 1
) -> Backtest:
    """Fit on the first ``1 - holdout`` of the export's span, simulate the rest."""
    from sim.experiments.stats import describe_durations

    fit_part, later, cut = split_at(result.clean, holdout)
    weeks = (result.clean.as_of - cut).total_seconds() / (7 * 86400)
    mapping = FORMATS[result.format].model_copy(update={"timezone": result.model.timezone})
    fitted = build(
        fit_part,
        mapping,
        fmt=result.format,
        name=f"{result.scenario.name}-backtest",
        horizon_weeks=weeks,
    )
    table = _simulate(fitted, replications, seed)
    resolved = np.array([i.ttr for i in later if not i.ttr_censored])
    actual = describe_durations(resolved, rng=np.random.default_rng(seed))
    ttr = table[["replication", "ttr"]].dropna()
    simulated = describe_durations(
        ttr["ttr"].to_numpy(),
        rng=np.random.default_rng(seed),
        cluster=ttr["replication"].to_numpy(),
    )
    per_rep = table.groupby("replication").size().reindex(range(replications), fill_value=0)
    rate = per_rep.to_numpy(dtype=float) / weeks
    boot = np.random.default_rng(seed).choice(rate, size=(2000, len(rate))).mean(axis=1)
    actual_rate = poisson_rate(len(later), weeks)
    figures = [
        Figure(
            name,
            actual[stat].value,
            actual[stat].lo,
            actual[stat].hi,
            simulated[stat].value,
            simulated[stat].lo,
            simulated[stat].hi,
        )
        for name, stat in (("MTTR", "mean"), ("TTR p90", "p90"))
    ]
    figures.append(
        Figure(
            "incidents/week",
            actual_rate.value,
            actual_rate.low,
            actual_rate.high,
            float(rate.mean()),
            float(np.quantile(boot, 0.025)),
            float(np.quantile(boot, 0.975)),
        )
    )
    return Backtest(
        holdout=holdout,
        cut=cut,
        fitted_on=len(fit_part.incidents),
        held_out=len(later),
        held_out_open=sum(i.ttr_censored for i in later),
        weeks=weeks,
        replications=replications,
        figures=tuple(figures),
        fitted=fitted,
    )


def backtest_lines(doc: dict[str, Any]) -> list[str]:
    """The back-test as text lines (from ``Backtest.as_dict()``)."""
    lines = [
        f"back-test: fitted on {doc['fitted_on']} incidents before {doc['cut'][:16]}, "
        f"{doc['held_out']} held out ({doc['weeks']:.1f} weeks, {doc['replications']} "
        "replications)"
    ]
    for name, f in doc["figures"].items():
        a, s = f["actual"], f["simulated"]
        verdict = "within" if f["within"] else "OUTSIDE"
        lines.append(
            f"  {name}: actual {a[0]:.1f} [{a[1]:.1f}, {a[2]:.1f}], simulated {s[0]:.1f} "
            f"[{s[1]:.1f}, {s[2]:.1f}] - {verdict} the actual's 95% CI"
        )
    return lines
