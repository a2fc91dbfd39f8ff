"""Reading the times of an export: ISO 8601 (and a few common other forms), zones.

A timestamp with an offset (``Z``, ``+02:00``) is converted to UTC; one without is read
in the time zone the column map names (default UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .reading import ExportError, ExportProblem

__all__ = ["minutes_between", "parse_time", "time_zone", "timedelta_minutes"]

_FALLBACK_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
)


def time_zone(name: str, file: str) -> tzinfo:
    """The zone called ``name`` (IANA, e.g. ``Europe/Berlin``); unknown: an export error."""
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ExportError([ExportProblem(file, 0, None, f"unknown time zone {name!r}")]) from None


def parse_time(text: str, zone: tzinfo) -> tuple[datetime, bool]:
    """``text`` as an aware UTC datetime, and whether it carried its own zone."""
    raw = text.strip()
    if raw.endswith((" UTC", " GMT")):
        raw = raw[:-4] + "+00:00"
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        for fmt in _FALLBACK_FORMATS:
            try:
                value = datetime.strptime(raw, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"cannot read {text[:60]!r} as a date and time (ISO 8601 expected)")
    if value.tzinfo is None:
        return value.replace(tzinfo=zone).astimezone(UTC), False
    return value.astimezone(UTC), True


def timedelta_minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


def minutes_between(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 60.0
