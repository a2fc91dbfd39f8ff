"""What a clean export says about a team: the fitted model behind the scenario.

* **Rates.** Incidents per week per service: a Poisson rate, count over exposure (the
  export's span), with the exact (Garwood) 95% interval.
* **Profiles.** Incidents by weekday and by hour of day (in the map's time zone), each
  bin's share of a flat profile with its interval, and a chi-square test of flatness.
* **Severity mix.** Each severity's share with a Wilson 95% interval.
* **Durations.** Time to acknowledge (TTA) and time to resolve (TTR) per severity, and
  the work after the acknowledgement (TTR - TTA, what the scenario's runbooks take),
  each fitted by ``fitting.fit_durations`` with open incidents censored. A severity
  with fewer than ``MIN_COMPLETED`` completed incidents borrows the pooled fit.
* **Responders.** Who acknowledged (share of incidents per person), and the share of
  incidents that were escalated where the export says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np
from scipy import stats

from .cleaning import CleanExport, Incident
from .fitting import DurationFit, Estimate, FitChoice, fit_durations

__all__ = [
    "MIN_COMPLETED",
    "ROTATION_SHARE",
    "DurationFits",
    "Rotation",
    "TeamModel",
    "fit_model",
    "poisson_rate",
    "share_estimate",
]

#: Completed durations needed for a fit of its own.
MIN_COMPLETED = 8
#: A week's top acknowledger taking at least this share of its acknowledgements, on
#: average, reads as a weekly rotation (one person on call); below it, a shared pool.
ROTATION_SHARE = 0.7
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def poisson_rate(count: int, exposure: float) -> Estimate:
    """``count`` events over ``exposure`` units: rate and exact 95% interval."""
    low = stats.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0
    high = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return Estimate(count / exposure, float(low) / exposure, float(high) / exposure)


def share_estimate(k: int, n: int) -> Estimate:
    """``k`` of ``n``: the share and its Wilson 95% interval."""
    ci = stats.binomtest(k, n).proportion_ci(method="wilson")
    return Estimate(k / n, float(ci.low), float(ci.high))


@dataclass(frozen=True)
class DurationFits:
    """A duration fitted pooled and per severity (None where there were no data)."""

    name: str
    pooled: FitChoice | None
    by_severity: dict[str, FitChoice | None]
    borrowed: tuple[str, ...] = ()  # severities that use the pooled fit

    def for_severity(self, severity: str) -> DurationFit | None:
        choice = self.by_severity.get(severity) or self.pooled
        return choice.best if choice else None


@dataclass(frozen=True)
class Rotation:
    """Who acknowledged, week by week: ``top_share`` is the mean share of each week's
    acknowledgements taken by that week's top acknowledger (weeks with at least 3);
    ``order`` the people in the order they first topped a week (the rotation order)."""

    weekly: bool
    top_share: float
    weeks: int
    order: tuple[str, ...]


def _rotation(incidents: list[Incident]) -> Rotation | None:
    by_week: dict[tuple[int, int], Counter[str]] = {}
    for i in incidents:
        if i.responder:
            year, week, _ = i.created.isocalendar()
            by_week.setdefault((year, week), Counter())[i.responder] += 1
    shares, order = [], []
    for key in sorted(by_week):
        counts = by_week[key]
        total = sum(counts.values())
        if total < 3:
            continue
        person, top = counts.most_common(1)[0]
        shares.append(top / total)
        if person not in order:
            order.append(person)
    if not shares:
        return None
    mean = float(np.mean(shares))
    everyone = order + sorted({i.responder for i in incidents if i.responder} - set(order))
    return Rotation(mean >= ROTATION_SHARE, mean, len(shares), tuple(everyone))


@dataclass(frozen=True)
class TeamModel:
    """Everything fitted from one export."""

    file: str
    incidents: int
    weeks: float
    rates: dict[str, Estimate]  # per service, incidents per week
    counts: dict[str, int]
    weekday: dict[str, Estimate]  # share of a flat profile (1 = average)
    hour: dict[int, Estimate]
    weekday_p: float
    hour_p: float
    severity_mix: dict[str, Estimate]
    severity_counts: dict[str, int]
    tta: DurationFits | None
    ttr: DurationFits
    work: DurationFits
    responders: dict[str, Estimate]  # share of acknowledged incidents per person
    escalated: Estimate | None
    rotation: Rotation | None
    timezone: str
    notes: list[str] = field(default_factory=list)


def _fit(name: str, incidents: list[Incident], pick, severities: list[str]) -> DurationFits:  # type: ignore[no-untyped-def]
    def choice(group: list[Incident]) -> FitChoice | None:
        pairs = [pick(i) for i in group]
        pairs = [p for p in pairs if p is not None]
        done = sum(1 for _, c in pairs if not c)
        if done < MIN_COMPLETED:
            return None
        return fit_durations([t for t, _ in pairs], [c for _, c in pairs])

    pooled = choice(incidents)
    by_sev: dict[str, FitChoice | None] = {}
    borrowed = []
    for sev in severities:
        by_sev[sev] = choice([i for i in incidents if i.severity == sev])
        if by_sev[sev] is None:
            borrowed.append(sev)
    return DurationFits(name, pooled, by_sev, tuple(borrowed))


def _profile(counts: np.ndarray, bins: int) -> tuple[list[Estimate], float]:
    """Each bin's rate relative to a flat profile, and the chi-square p of flatness."""
    n = int(counts.sum())
    out = []
    for k in counts:
        r = poisson_rate(int(k), n / bins) if n else Estimate(0.0, 0.0, 0.0)
        out.append(r)
    p = float(stats.chisquare(counts).pvalue) if n else float("nan")
    return out, p


def fit_model(clean: CleanExport, timezone: str = "UTC") -> TeamModel:
    """Fit every part of the team's model to the clean export."""
    incidents = clean.incidents
    first = min(i.created for i in incidents)
    weeks = max((clean.as_of - first).total_seconds() / (7 * 86400), 1 / 7)
    counts = Counter(i.service for i in incidents)
    rates = {s: poisson_rate(counts[s], weeks) for s in sorted(counts)}
    zone = ZoneInfo(timezone) if timezone != "UTC" else None
    local = [i.created.astimezone(zone) if zone else i.created for i in incidents]
    wd_counts = np.bincount([t.weekday() for t in local], minlength=7)
    hr_counts = np.bincount([t.hour for t in local], minlength=24)
    weekday, weekday_p = _profile(wd_counts, 7)
    hour, hour_p = _profile(hr_counts, 24)
    sev_counts = Counter(i.severity for i in incidents)
    severities = sorted(sev_counts)
    n = len(incidents)
    has_ack = any(i.tta is not None for i in incidents)
    tta = (
        _fit(
            "time to acknowledge",
            incidents,
            lambda i: None if i.tta is None else (i.tta, i.tta_censored),
            severities,
        )
        if has_ack
        else None
    )
    ttr = _fit("time to resolve", incidents, lambda i: (i.ttr, i.ttr_censored), severities)
    work = _fit("work after acknowledgement", incidents, _work, severities)
    acked_by = Counter(i.responder for i in incidents if i.responder)
    total_acked = sum(acked_by.values())
    responders = {p: share_estimate(k, total_acked) for p, k in acked_by.most_common()}
    known = [i.escalated for i in incidents if i.escalated is not None]
    escalated = share_estimate(sum(known), len(known)) if known else None
    notes = list(clean.notes)
    if ttr.pooled is None:
        raise ValueError(
            f"{clean.file}: only {sum(not i.ttr_censored for i in incidents)} resolved "
            f"incident(s); at least {MIN_COMPLETED} are needed to fit a time to resolve"
        )
    return TeamModel(
        file=clean.file,
        incidents=n,
        weeks=weeks,
        rates=rates,
        counts=dict(counts),
        weekday=dict(zip(_WEEKDAYS, weekday, strict=True)),
        hour=dict(enumerate(hour)),
        weekday_p=weekday_p,
        hour_p=hour_p,
        severity_mix={s: share_estimate(sev_counts[s], n) for s in severities},
        severity_counts=dict(sev_counts),
        tta=tta,
        ttr=ttr,
        work=work,
        responders=responders,
        escalated=escalated,
        rotation=_rotation(incidents),
        timezone=timezone,
        notes=notes,
    )


def _work(i: Incident) -> tuple[float, bool]:
    """Minutes from the acknowledgement (or creation, if never acknowledged) to the
    resolution; censored when the incident is still open."""
    start = i.tta if i.tta is not None and not i.tta_censored else 0.0
    return max(i.ttr - start, 1 / 60), i.ttr_censored
