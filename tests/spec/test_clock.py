"""Clock times and spans: the one formatter every face uses."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.spec import load_scenario
from sim.spec.clock import (
    CLOCK_PATTERN,
    WEEKDAYS,
    clock_day,
    format_clock,
    format_day,
    format_span,
)

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.mark.parametrize(
    ("minutes", "start_hour", "start_day", "text"),
    [
        (0, 9, "Mon", "Mon 09:00"),
        (302, 9, "Tue", "Tue 14:02"),
        (302.99, 9, "Tue", "Tue 14:02"),  # a clock truncates: 14:02:59 still shows 14:02
        (3349.9035, 9, "Mon", "Wed 16:49"),  # the audit log value users were shown raw
        (15 * 60, 9, "Mon", "Tue 00:00"),  # midnight rolls the day over
        (6 * 1440 + 15 * 60, 9, "Mon", "Mon 00:00"),  # Sunday night rolls into Monday
        (59.999999999, 0, "Fri", "Fri 01:00"),  # float noise is not a minute early
        (0, 23, "Sun", "Sun 23:00"),
    ],
)
def test_clock_time_from_start_hour_and_day(
    minutes: float, start_hour: int, start_day: str, text: str
) -> None:
    assert format_clock(minutes, start_hour, start_day) == text  # type: ignore[arg-type]


def test_clock_time_with_seconds() -> None:
    assert format_clock(302.5, 9, "Tue", seconds=True) == "Tue 14:02:30"


@given(
    minutes=st.floats(min_value=0, max_value=60 * 1440, allow_nan=False),
    start_hour=st.integers(0, 23),
    start_day=st.sampled_from(WEEKDAYS),
    seconds=st.booleans(),
)
def test_every_clock_time_matches_the_pattern_and_reads_back(
    minutes: float, start_hour: int, start_day: str, seconds: bool
) -> None:
    text = format_clock(minutes, start_hour, start_day, seconds=seconds)  # type: ignore[arg-type]
    assert CLOCK_PATTERN.match(text), text
    day, hh, mm = text[:3], int(text[4:6]), int(text[7:9])
    # the minute of the week shown is the true one, truncated (up to float noise)
    shown = (WEEKDAYS.index(day) - WEEKDAYS.index(start_day)) % 7 * 1440 + hh * 60 + mm  # type: ignore[arg-type]
    behind = (start_hour * 60 + minutes - shown) % (7 * 1440)
    assert behind < 1 + 1e-6 or behind > 7 * 1440 - 1e-6, (text, behind)


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_clock_refuses_times_outside_a_run(bad: float) -> None:
    with pytest.raises(ValueError, match="finite number >= 0"):
        format_clock(bad, 9, "Mon")


def test_days_are_counted_from_one_with_their_weekday() -> None:
    assert clock_day(15 * 60 - 0.001, 9) == 0
    assert clock_day(15 * 60, 9) == 1
    assert format_day(0, "Fri") == "day 1 (Fri)"
    assert format_day(3, "Fri") == "day 4 (Mon)"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (72, "1h12m"),
        (72.4, "1h12m"),
        (72.6, "1h13m"),  # two units, rounded rather than cut
        (11.1, "11m6s"),
        (0.75, "45s"),
        (0, "0s"),
        (120, "2h"),
        (119.99, "2h"),
        (3000, "2d2h"),
        (1440 + 5, "1d"),
        (-90, "-1h30m"),
        (math.inf, "—"),
    ],
)
def test_spans_read_as_two_units(minutes: float, text: str) -> None:
    assert format_span(minutes) == text


def test_scenario_names_its_start_day_and_formats_its_own_clock(tmp_path: object) -> None:
    spec = load_scenario(SCENARIOS / "checkout-black-friday.yaml")
    assert spec.start_day == "Fri"
    assert spec.clock(0) == "Fri 00:00"
    default = load_scenario(SCENARIOS / "seed-benchmark.yaml")
    assert default.start_day == "Mon"
    assert default.clock(302) == "Mon 14:02"
