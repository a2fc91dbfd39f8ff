"""Synthetic incident histories from known parameters, written as each tool's export.

They are what the tests recover parameters from and what ``samples/exports/`` holds
(``scripts/make_sample_exports.py``). Every id starts with ``SYN-`` and every file name
with ``synthetic-``: nobody should mistake them for a real team's history.

Incidents arrive as a Poisson process per service whose rate follows a weekly and a
daily profile (thinning); the time to acknowledge and the work after it follow the
given distributions; incidents whose resolution falls after the export's end are open
in the export (censored). A few dirty rows (a duplicate, a clock skew) can be added to
exercise the cleaning.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone

import numpy as np

from .cleaning import RawIncident

__all__ = ["RawIncident", "Truth", "export_text", "simulate_history"]

#: The scipy-free samplers of the families, parameterised as in ``fitting.PARAMETERS``.
Family = tuple[str, float, float]


@dataclass(frozen=True)
class Truth:
    """The parameters a history is drawn from (durations in minutes)."""

    weeks: float = 26.0
    start: datetime = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
    rates: dict[str, float] = field(
        default_factory=lambda: {"checkout": 6.0, "payments": 3.0, "search": 4.0}
    )  # incidents per week, averaged over the profile
    severity_shares: dict[str, float] = field(
        default_factory=lambda: {"P1": 0.2, "P2": 0.5, "P3": 0.3}
    )
    tta: Family = ("lognormal", math.log(4.0), 0.9)
    work: dict[str, Family] = field(
        default_factory=lambda: {
            "P1": ("lognormal", math.log(45.0), 0.8),
            "P2": ("weibull", 0.9, 90.0),
            "P3": ("gamma", 1.5, 80.0),
        }
    )
    responders: tuple[str, ...] = ("ana", "bo", "chen", "dee")
    #: True: responders take weekly turns in order (90% of a week's acknowledgements are
    #: that week's person's); False: anyone acknowledges.
    weekly_rotation: bool = False
    #: Relative rate by weekday (Mon..Sun) and by hour of day (UTC); both average 1.
    weekday_profile: tuple[float, ...] = (1.2, 1.2, 1.2, 1.2, 1.2, 0.5, 0.5)
    business_hours_factor: float = 1.6  # 09-18 vs the rest, before normalising

    def hour_profile(self) -> np.ndarray:
        raw = np.array([self.business_hours_factor if 9 <= h < 18 else 1.0 for h in range(24)])
        shares: np.ndarray = raw / raw.mean()
        return shares


def draw(family: Family, rng: np.random.Generator, n: int) -> np.ndarray:
    name, a, b = family
    out: np.ndarray
    if name == "lognormal":
        out = rng.lognormal(a, b, n)
    elif name == "gamma":
        out = rng.gamma(a, b, n)
    elif name == "weibull":
        out = b * rng.weibull(a, n)
    else:
        raise ValueError(f"unknown family {name!r}")
    return out


def _arrivals(truth: Truth, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Arrival minutes of a Poisson process with the truth's profile (thinning)."""
    weekday = np.array(truth.weekday_profile) / np.mean(truth.weekday_profile)
    hour = truth.hour_profile()
    peak = float(weekday.max() * hour.max())
    horizon = truth.weeks * 7 * 1440
    n = rng.poisson(rate * peak * truth.weeks)
    t = np.sort(rng.uniform(0, horizon, n))
    start_day = truth.start.weekday()
    days = ((t // 1440).astype(int) + start_day) % 7
    hours = ((t % 1440) // 60).astype(int) + truth.start.hour
    keep = rng.random(n) < weekday[days] * hour[hours % 24] / peak
    kept: np.ndarray = t[keep]
    return kept


def _responder(truth: Truth, minute: float, rng: np.random.Generator) -> str:
    if truth.weekly_rotation and rng.random() < 0.9:
        return truth.responders[int(minute // 10080) % len(truth.responders)]
    return str(rng.choice(truth.responders))


def simulate_history(truth: Truth, seed: int) -> tuple[list[RawIncident], datetime]:
    """Incidents drawn from ``truth`` and the export's end (``start + weeks``)."""
    rng = np.random.default_rng(seed)
    end = truth.start + timedelta(weeks=truth.weeks)
    sevs = list(truth.severity_shares)
    shares = np.array([truth.severity_shares[s] for s in sevs])
    out: list[RawIncident] = []
    for service, rate in truth.rates.items():
        for minute in _arrivals(truth, rate, rng):
            severity = sevs[int(rng.choice(len(sevs), p=shares / shares.sum()))]
            tta = float(draw(truth.tta, rng, 1)[0])
            work = float(draw(truth.work[severity], rng, 1)[0])
            created = truth.start + timedelta(minutes=float(minute))
            acked = created + timedelta(minutes=tta)
            resolved = acked + timedelta(minutes=work)
            out.append(
                RawIncident(
                    id="",
                    service=service,
                    severity=severity,
                    created=created,
                    acked=acked if acked <= end else None,
                    resolved=resolved if resolved <= end else None,
                    responder=_responder(truth, float(minute), rng) if acked <= end else None,
                    escalated=tta > 15.0,
                )
            )
    out.sort(key=lambda i: i.created)
    return [replace(i, id=f"SYN-{n + 1:05d}") for n, i in enumerate(out)], end


# -- writing exports ---------------------------------------------------------------

_EASTERN = timezone(timedelta(hours=-5))
_BERLIN = timezone(timedelta(hours=1))
_PD_URGENCY = {"P0": "high", "P1": "high", "P2": "low", "P3": "low"}
_PD_PRIORITY = {"P0": "P1", "P1": "P2", "P2": "P3", "P3": "P4"}
_IO_SEVERITY = {"P0": "Critical", "P1": "Major", "P2": "Minor", "P3": "Low"}


def _seconds(a: datetime, b: datetime | None) -> str:
    return "" if b is None else str(round((b - a).total_seconds()))


def _iso(t: datetime | None, zone: timezone = UTC) -> str:
    return "" if t is None else t.astimezone(zone).isoformat(timespec="seconds")


def _millis(a: datetime, b: datetime | None) -> str:
    """Opsgenie's report times: milliseconds after creation, 0 for "not yet"."""
    return "0" if b is None else str(round((b - a).total_seconds() * 1000))


def _naive(t: datetime | None) -> str:
    """incident.io-style local time without a zone (read as the map's time zone)."""
    return "" if t is None else t.strftime("%Y-%m-%d %H:%M:%S")


def _row(fmt: str, i: RawIncident) -> list[str]:
    if fmt == "pagerduty":
        return [
            i.id,
            i.id.removeprefix("SYN-"),
            f"[synthetic] {i.service} incident",
            i.service,
            _PD_URGENCY[i.severity],
            _PD_PRIORITY[i.severity],
            _iso(i.created, _EASTERN),
            _iso(i.resolved, _EASTERN),
            _seconds(i.created, i.acked),
            _seconds(i.created, i.resolved),
            "1" if i.escalated else "0",
        ]
    if fmt == "opsgenie":
        return [
            i.id,
            f"[synthetic] {i.service} alert",
            "open" if i.resolved is None else "closed",
            _PD_PRIORITY[i.severity],
            i.service,
            i.created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            _millis(i.created, i.acked),
            _millis(i.created, i.resolved),
            i.responder or "",
        ]
    if fmt == "incidentio":
        return [
            i.id,
            f"[synthetic] {i.service} incident",
            "Investigating" if i.resolved is None else "Closed",
            _IO_SEVERITY[i.severity],
            i.service,
            i.responder or "",
            _naive(i.created),
            _naive(i.acked),
            _naive(i.resolved),
        ]
    return [
        i.id,
        i.service,
        i.severity.replace("P", "SEV"),
        "open" if i.resolved is None else "closed",
        _iso(i.created, _BERLIN),
        _iso(i.acked, _BERLIN),
        _iso(i.resolved, _BERLIN),
        i.responder or "",
    ]


HEADERS: dict[str, list[str]] = {
    "pagerduty": [
        "id",
        "incident_number",
        "description",
        "service_name",
        "urgency",
        "priority_name",
        "created_at",
        "resolved_at",
        "seconds_to_first_ack",
        "seconds_to_resolve",
        "escalation_count",
    ],
    "opsgenie": [
        "tinyId",
        "message",
        "status",
        "priority",
        "entity",
        "createdAt",
        "report.ackTime",
        "report.closeTime",
        "report.acknowledgedBy",
    ],
    "incidentio": [
        "Reference",
        "Name",
        "Status",
        "Severity",
        "Affected services",
        "Incident Lead",
        "Reported at",
        "Acknowledged at",
        "Resolved at",
    ],
    "csv": ["ticket", "component", "sev", "state", "opened", "acked", "closed", "acked_by"],
}


def export_text(incidents: Sequence[RawIncident], fmt: str, *, dirty: bool = False) -> str:
    """The incidents as a CSV export of ``fmt``. ``dirty`` adds what real exports have:
    a repeated row (exports taken in pages) and an acknowledgement 30 s before creation
    (two systems' clocks)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADERS[fmt])
    for n, incident in enumerate(incidents):
        if dirty and n == 5 and incident.acked is not None:
            incident = replace(incident, acked=incident.created - timedelta(seconds=30))
        writer.writerow(_row(fmt, incident))
        if dirty and n == 3:
            writer.writerow(_row(fmt, incident))
    return buf.getvalue()
