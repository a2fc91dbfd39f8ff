"""From export rows to clean incidents, saying what was dropped or corrected and why.

* **Time zones.** Timestamps with an offset (``Z``, ``+02:00``) are converted to UTC;
  timestamps without one are read in the map's ``timezone`` (default UTC) and counted.
* **Duplicates.** Rows with an id already seen are dropped (the copy with a resolution
  is kept when only one has it: exports taken in pages repeat rows).
* **Open incidents** (no resolution yet, or an open status) are kept as *censored*: the
  incident has lasted at least until the export's end (its latest timestamp).
* **Clock skew.** Two systems' clocks disagree by seconds to minutes, so an
  acknowledgement a little before creation, or a resolution a little before the
  acknowledgement, is corrected (to 1 s after creation; to the resolution) and counted.
  A duration more negative than ``SKEW_TOLERANCE_MINUTES`` is an error in the export,
  not skew: it is reported with its row and column (or, with ``skip_bad_rows``, the row
  is dropped and counted).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .formats import ColumnMap
from .reading import MAX_EXPORT_SERVICES, ExportError, ExportProblem, ExportTable
from .times import minutes_between, parse_time, time_zone, timedelta_minutes

__all__ = [
    "SKEW_TOLERANCE_MINUTES",
    "CleanExport",
    "Incident",
    "RawIncident",
    "clean_export",
    "service_slug",
]

#: A negative duration down to this is clock skew (corrected); beyond it, an error.
SKEW_TOLERANCE_MINUTES = 5.0
#: Durations are at least the exports' resolution (one second), so every family fits.
_FLOOR = 1.0 / 60.0
_UNIT_MINUTES = {"seconds": 1 / 60, "milliseconds": 1 / 60_000, "minutes": 1.0}


@dataclass(frozen=True)
class Incident:
    """One clean incident. Durations in minutes; ``*_censored``: still running at the
    export's end (the duration is then "at least")."""

    id: str
    row: int
    service: str
    severity: str
    created: datetime
    tta: float | None
    tta_censored: bool
    ttr: float
    ttr_censored: bool
    responder: str | None
    escalated: bool | None


@dataclass
class CleanExport:
    """The clean incidents, what was dropped (reason -> count) and what was corrected."""

    file: str
    incidents: list[Incident]
    as_of: datetime
    dropped: Counter[str] = field(default_factory=Counter)
    corrected: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    services: dict[str, str] = field(default_factory=dict)  # slug -> name in the export


def service_slug(name: str) -> str:
    """A scenario name for a service (``Checkout API`` -> ``checkout-api``)."""
    slug = re.sub(r"[^a-z0-9_.-]+", "-", name.strip().lower()).strip("-._")
    return (slug or "unassigned")[:80]


@dataclass
class RawIncident:
    """One incident as an export states it, before the export's end is known (also what
    ``synthetic`` draws and writes out as an export). ``row``: the export's row (0 for a
    drawn incident)."""

    id: str
    service: str
    severity: str
    created: datetime
    acked: datetime | None
    resolved: datetime | None
    responder: str | None
    escalated: bool | None
    row: int = 0


class _Reader:
    """Reads the cells of one row; problems are collected, not raised one by one."""

    def __init__(self, table: ExportTable, mapping: ColumnMap) -> None:
        self.table, self.mapping = table, mapping
        self.zone = time_zone(mapping.timezone, table.file)
        self.problems: list[ExportProblem] = []
        self.naive = 0
        present = set(table.header)
        self.cols = {
            k: (v if v in present else None) for k, v in mapping.columns.model_dump().items()
        }
        self.severities = {k.strip().lower(): v for k, v in mapping.severities.items()}
        self.open = {s.strip().lower() for s in mapping.open_statuses}

    def problem(self, row: int, column: str | None, message: str) -> None:
        self.problems.append(ExportProblem(self.table.file, row, column, message))

    def cell(self, cells: dict[str, str], role: str) -> str:
        name = self.cols.get(role)
        return (cells.get(name) or "").strip() if name else ""

    def time(self, row: int, cells: dict[str, str], role: str) -> datetime | None:
        text = self.cell(cells, role)
        if not text:
            return None
        try:
            value, zoned = parse_time(text, self.zone)
        except ValueError as exc:
            self.problem(row, self.cols[role], str(exc))
            return None
        self.naive += not zoned
        return value

    def offset(self, row: int, cells: dict[str, str], role: str, unit: str) -> float | None:
        """A duration column (minutes), None if blank or zero-meaning-missing."""
        text = self.cell(cells, role)
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            self.problem(row, self.cols[role], f"{text[:40]!r} is not a number")
            return None
        if not math.isfinite(value):
            self.problem(row, self.cols[role], f"{text[:40]!r} is not a finite number")
            return None
        return value * _UNIT_MINUTES[unit]

    def read(self, row: int, cells: dict[str, str]) -> RawIncident | None:
        before = len(self.problems)
        ident = self.cell(cells, "id")
        if not ident:
            self.problem(row, self.cols["id"], "empty incident id")
        created_text = self.cell(cells, "created")
        created = self.time(row, cells, "created")
        if created is None and not created_text:
            self.problem(row, self.cols["created"], "empty creation time")
        raw_sev = self.cell(cells, "severity").lower()
        severity = "P2"
        if self.cols.get("severity") and raw_sev:
            if raw_sev not in self.severities:
                known = ", ".join(sorted(self.severities)) or "none"
                self.problem(
                    row,
                    self.cols["severity"],
                    f"severity {raw_sev!r} is not in the map's severities (known: {known})",
                )
            else:
                severity = self.severities[raw_sev]
        acked = self.time(row, cells, "acknowledged")
        resolved = self.time(row, cells, "resolved")
        ack_after = self.offset(row, cells, "ack_after", self.mapping.ack_unit)
        resolve_after = self.offset(row, cells, "resolve_after", self.mapping.resolve_unit)
        escalations = self.offset(row, cells, "escalations", "minutes")
        if len(self.problems) > before or created is None:
            return None
        # A zero offset means "did not happen" in exports that write 0 for missing.
        if acked is None and ack_after:
            acked = created + timedelta_minutes(ack_after)
        if resolved is None and resolve_after:
            resolved = created + timedelta_minutes(resolve_after)
        status = self.cell(cells, "status").lower()
        if status and status in self.open:
            resolved = None
        service_name = self.cell(cells, "service").split(",")[0].strip() or "unassigned"
        return RawIncident(
            id=ident,
            row=row,
            service=service_name,
            severity=severity,
            created=created,
            acked=acked,
            resolved=resolved,
            responder=self.cell(cells, "responder") or None,
            escalated=None if escalations is None else escalations > 0,
        )


def _dedupe(rows: list[RawIncident], out: CleanExport) -> list[RawIncident]:
    kept: dict[str, RawIncident] = {}
    for r in rows:
        first = kept.get(r.id)
        if first is None:
            kept[r.id] = r
            continue
        out.dropped["duplicate id"] += 1
        if first.resolved is None and r.resolved is not None:
            kept[r.id] = r  # the later copy knows the resolution
    return sorted(kept.values(), key=lambda r: (r.created, r.row))


def _negative(reader: _Reader, row: int, minutes: float, what: str, roles: tuple[str, str]) -> bool:
    """Record an error (and say so) when ``minutes`` is beyond clock skew."""
    if minutes >= -SKEW_TOLERANCE_MINUTES:
        return False
    column = reader.cols.get(roles[0]) or reader.cols.get(roles[1])
    reader.problem(
        row, column, f"{what} {-minutes:,.1f} min before it was created (negative duration)"
    )
    return True


def _durations(
    r: RawIncident, as_of: datetime, reader: _Reader, out: CleanExport
) -> Incident | None:
    """The incident's TTA and TTR (censored at ``as_of`` when still open), skew
    corrected; None (with a problem recorded) for a duration that is an error."""
    end = r.resolved if r.resolved is not None else as_of
    ttr = minutes_between(r.created, end)
    if _negative(reader, r.row, ttr, "resolved", ("resolved", "resolve_after")):
        return None
    if ttr < _FLOOR:
        if ttr < 0:
            out.corrected["resolved before created (clock skew, set to 1 s)"] += 1
        ttr = _FLOOR
    tta: float | None = None
    tta_censored = False
    if r.acked is not None:
        tta = minutes_between(r.created, r.acked)
        if _negative(reader, r.row, tta, "acknowledged", ("acknowledged", "ack_after")):
            return None
        if tta < 0:
            out.corrected["acknowledged before created (clock skew, set to 1 s)"] += 1
        if tta > ttr:
            out.corrected["acknowledged after resolved (set to the resolution)"] += 1
            tta = ttr
        tta = max(tta, _FLOOR)
    elif reader.cols.get("acknowledged") or reader.cols.get("ack_after"):
        # Never acknowledged: it was not acknowledged for at least as long as it ran.
        tta, tta_censored = ttr, True
    return Incident(
        id=r.id,
        row=r.row,
        service=r.service,
        severity=r.severity,
        created=r.created,
        tta=tta,
        tta_censored=tta_censored,
        ttr=ttr,
        ttr_censored=r.resolved is None,
        responder=r.responder,
        escalated=r.escalated,
    )


def clean_export(
    table: ExportTable,
    mapping: ColumnMap,
    *,
    as_of: datetime | None = None,
    skip_bad_rows: bool = False,
) -> CleanExport:
    """Clean incidents from ``table``. Problems raise :class:`ExportError` (all of them,
    with rows and columns) unless ``skip_bad_rows``, which drops those rows and counts
    them by reason. ``as_of`` (default: the latest timestamp in the export) is when the
    export was taken: incidents still open then are censored there."""
    reader = _Reader(table, mapping)
    rows: list[RawIncident] = []
    for line, cells in table.rows:
        r = reader.read(line, cells)
        if r is not None:
            rows.append(r)
    out = CleanExport(table.file, [], as_of or datetime.min.replace(tzinfo=UTC))
    out.notes.extend(
        f"column {name!r} ({role}) is not in the export: not used"
        for role, name in mapping.columns.model_dump().items()
        if name is not None and reader.cols[role] is None
    )
    rows = _dedupe(rows, out)
    if as_of is None:
        stamps = [t for r in rows for t in (r.created, r.acked, r.resolved) if t is not None]
        as_of = max(stamps) if stamps else datetime.now(UTC)
    out.as_of = as_of
    late = [r for r in rows if r.created > as_of]
    if late:
        out.dropped["created after the export's end (--as-of)"] += len(late)
        rows = [r for r in rows if r.created <= as_of]
    # What happened after the export's end had not happened when it was taken.
    unseen = sum(1 for r in rows if r.resolved is not None and r.resolved > as_of)
    if unseen:
        out.notes.append(f"{unseen} resolution(s) after the export's end: still open then")
    for r in rows:
        if r.resolved is not None and r.resolved > as_of:
            r.resolved = None
        if r.acked is not None and r.acked > as_of:
            r.acked = None
    for r in rows:
        incident = _durations(r, as_of, reader, out)
        if incident is not None:
            out.incidents.append(incident)
    if reader.problems:
        if not skip_bad_rows:
            raise ExportError(reader.problems)
        for p in reader.problems:
            out.dropped[f"bad row: {_reason(p.message)}"] += 1
    if reader.naive:
        out.notes.append(
            f"{reader.naive} timestamp(s) without a time zone, read as {mapping.timezone}"
        )
    _name_services(out)
    if not out.incidents:
        raise ExportError([ExportProblem(table.file, 0, None, "no incidents left to fit")])
    return out


def _reason(message: str) -> str:
    for key in ("negative duration", "date and time", "not a number", "severity", "empty"):
        if key in message:
            return key
    return "unreadable cell"


def _name_services(out: CleanExport) -> None:
    """Give every service a scenario name (unique, at most ``MAX_EXPORT_SERVICES``)."""
    names = sorted({i.service for i in out.incidents})
    if len(names) > MAX_EXPORT_SERVICES:
        raise ExportError(
            [
                ExportProblem(
                    out.file,
                    0,
                    None,
                    f"{len(names)} services; the limit is {MAX_EXPORT_SERVICES} "
                    "(export one team's services, or map the service column to a coarser one)",
                )
            ]
        )
    slugs: dict[str, str] = {}
    for name in names:
        slug, n = service_slug(name), 2
        while slug in out.services:
            slug, n = f"{service_slug(name)[:76]}-{n}", n + 1
        out.services[slug] = name
        slugs[name] = slug
    out.incidents = [Incident(**{**i.__dict__, "service": slugs[i.service]}) for i in out.incidents]
