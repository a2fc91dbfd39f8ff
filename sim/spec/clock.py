"""Times as people read them, used by every face (CLI, report, dashboard, training).

The engine counts minutes since the start of a run. A scenario says what the wall
clock showed at that moment (``start_day`` and ``start_hour``), so minute 3349.9 of a
run that starts on Monday at 09:00 is ``Wed 16:49``. Lengths of time read as ``1h12m``.
"""

from __future__ import annotations

import math
import re
from typing import Literal, get_args

from .units import UNIT_SECONDS, split_seconds

__all__ = [
    "CLOCK_PATTERN",
    "WEEKDAYS",
    "Weekday",
    "clock_day",
    "format_clock",
    "format_day",
    "format_span",
]

Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)

#: What ``format_clock`` writes: ``Tue 14:02`` (``Tue 14:02:30`` with seconds).
CLOCK_PATTERN = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")

_DAY_SECONDS = 86_400


def _wall_seconds(minutes_since_start: float, start_hour: int) -> int:
    """Whole seconds since midnight of the first day. Truncated, as a clock does:
    at 14:02:59.9 a clock still shows 14:02."""
    if not math.isfinite(minutes_since_start) or minutes_since_start < 0:
        raise ValueError(f"a time in a run is a finite number >= 0, got {minutes_since_start!r}")
    if not 0 <= start_hour <= 23:
        raise ValueError(f"start_hour must be 0..23, got {start_hour!r}")
    # round to a microsecond first so 59.99999999 (float noise) is not a second early
    return math.floor(round(minutes_since_start * 60 + start_hour * 3600, 6))


def clock_day(minutes_since_start: float, start_hour: int) -> int:
    """The calendar day a time falls on: 0 for the day the run starts, 1 for the next."""
    return _wall_seconds(minutes_since_start, start_hour) // _DAY_SECONDS


def format_day(day: int, start_day: Weekday = "Mon") -> str:
    """A calendar day of the run as ``day 3 (Wed)``, counting the first day as day 1."""
    return f"day {day + 1} ({WEEKDAYS[(WEEKDAYS.index(start_day) + day) % 7]})"


def format_clock(
    minutes_since_start: float,
    start_hour: int,
    start_day: Weekday = "Mon",
    *,
    seconds: bool = False,
) -> str:
    """The wall-clock time of a moment in a run: ``Tue 14:02`` (``Tue 14:02:30``)."""
    wall = _wall_seconds(minutes_since_start, start_hour)
    day, in_day = divmod(wall, _DAY_SECONDS)
    hours, rest = divmod(in_day, 3600)
    minutes, secs = divmod(rest, 60)
    weekday = WEEKDAYS[(WEEKDAYS.index(start_day) + day) % 7]
    text = f"{weekday} {hours:02d}:{minutes:02d}"
    return f"{text}:{secs:02d}" if seconds else text


def format_span(minutes: float) -> str:
    """A length of time for people, in its two largest units: 72.4 -> ``1h12m``,
    11.1 -> ``11m6s``, 0.75 -> ``45s``, 3000 -> ``2d2h``, 119.9 -> ``2h``. Unlike
    ``units.format_duration`` it rounds, so it need not read back exactly."""
    if not math.isfinite(minutes):
        return "—"
    rest = round(abs(minutes) * 60)
    if rest == 0:
        return "0s"
    # keep two units: round to the size of the unit below the largest one present
    largest = next(i for i, (_, size) in enumerate(UNIT_SECONDS) if rest >= size)
    step = UNIT_SECONDS[min(largest + 1, len(UNIT_SECONDS) - 1)][1]
    rest = round(rest / step) * step
    text = "".join(f"{count}{unit}" for count, unit in split_seconds(rest) if count)
    return ("-" if minutes < 0 else "") + text
