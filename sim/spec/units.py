"""Scalar types shared by every spec file: durations, probabilities, names.

All times inside gameday are **minutes** (floats). Files may write durations as
strings with a unit (``90s``, ``15m``, ``2h``, ``30d``, ``1w``, or compounds such as
``1h30m``) or as bare numbers, which are minutes. Parsing happens once, at the
boundary, so the engine never sees a unit.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

__all__ = [
    "DURATION_TEXT",
    "NAME_PATTERN",
    "Duration",
    "DurationInput",
    "Name",
    "PositiveDuration",
    "Probability",
    "format_duration",
    "parse_duration",
    "split_seconds",
]

_UNIT_MINUTES = {"s": 1 / 60, "m": 1.0, "h": 60.0, "d": 1440.0, "w": 10080.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")
_WHOLE = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*[smhdw]\s*)+$")

#: Names of services, faults, runbooks, steps, rules, strategies: lower-case slugs.
NAME_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


def parse_duration(value: object) -> float:
    """Return ``value`` in minutes; raise ``ValueError`` with the accepted forms.

    Booleans are rejected explicitly because YAML ``yes``/``true`` would otherwise
    pass as the number 1.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as '90s', '15m', '2h', '30d', got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if _WHOLE.match(text):
            return sum(float(num) * _UNIT_MINUTES[unit] for num, unit in _PART.findall(text))
        try:
            return float(text)
        except ValueError:
            pass
    raise ValueError(
        f"expected a duration such as '90s', '15m', '2h', '30d' or a number of minutes, "
        f"got {value!r}"
    )


def format_duration(minutes: float) -> str:
    """``minutes`` in the compact form ``parse_duration`` reads back: 43200 -> ``30d``,
    90 -> ``1h30m``, 0.5 -> ``30s``. A value that is not a whole number of seconds (or
    is negative) stays a plain number of minutes, which ``parse_duration`` reads too."""
    seconds = minutes * 60
    if minutes < 0 or not math.isfinite(minutes) or seconds != round(seconds):
        return f"{minutes:g}"
    rest = round(seconds)
    if rest == 0:
        return "0m"
    return "".join(f"{count}{unit}" for count, unit in split_seconds(rest) if count)


#: The units a duration is written in, largest first, with their size in seconds.
UNIT_SECONDS: tuple[tuple[str, int], ...] = (("d", 86_400), ("h", 3600), ("m", 60), ("s", 1))


def split_seconds(seconds: int) -> list[tuple[int, str]]:
    """``seconds`` (>= 0) as a count of each unit: 4330 -> 0d, 1h, 12m, 10s."""
    parts = []
    for unit, size in UNIT_SECONDS:
        count, seconds = divmod(seconds, size)
        parts.append((count, unit))
    return parts


def _non_negative(minutes: float) -> float:
    if not math.isfinite(minutes):
        raise ValueError("duration must be a finite number of minutes")
    if minutes < 0:
        raise ValueError(f"duration must not be negative, got {minutes:g} minutes")
    return minutes


def _positive(minutes: float) -> float:
    if minutes <= 0:
        raise ValueError(f"duration must be greater than zero, got {minutes:g} minutes")
    return minutes


#: What a YAML file may write for a duration (used for the JSON Schema only).
DURATION_TEXT = r"^\s*(?:\d+(?:\.\d+)?\s*[smhdwSMHDW]\s*)+$"
DurationInput = (
    Annotated[float, Field(ge=0)] | Annotated[str, StringConstraints(pattern=DURATION_TEXT)]
)

#: A duration in minutes, >= 0, written with a unit or as a number of minutes.
Duration = Annotated[
    float,
    BeforeValidator(parse_duration, json_schema_input_type=DurationInput),
    AfterValidator(_non_negative),
]
#: A duration in minutes that must be > 0 (horizons, means, intervals).
PositiveDuration = Annotated[Duration, AfterValidator(_positive)]
#: A probability in [0, 1].
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
#: An identifier as used in references between files.
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN, max_length=80)]
