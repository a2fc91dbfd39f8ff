"""Parsing ``--param KEY=VALUES`` of ``gameday sweep`` into typed grid values."""

from __future__ import annotations

import math
import re

from sim.spec.knobs import KNOBS

__all__ = ["Scalar", "SweepError", "parse_param"]

Scalar = bool | int | float


class SweepError(ValueError):
    """Bad sweep input (a param, a cell, an output folder): the CLI exits 2 with it."""


# Each knob's values are typed by its catalogue type (``sim.spec.knobs``); ranges are
# left to ``vary``'s validation. Minute knobs also take durations such as "7d".
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_param(text: str) -> tuple[str, list[Scalar]]:
    """``KEY=START:STOP:STEP`` or ``KEY=a,b,c`` -> ``(key, values)``; raise SweepError.

    A range includes STOP when it lands on the grid; values are rounded to 12 decimals so
    ``0:1:0.1`` gives exactly 0.0, 0.1, ..., 1.0 (11 values). Values are typed: ints stay
    ints unless a value of the same param is a float, ``true``/``false`` are booleans.
    """
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or not raw.strip():
        raise SweepError(f"--param {text!r}: expected KEY=START:STOP:STEP or KEY=a,b,c")
    if key not in KNOBS:
        known = "\n".join(f"  {name:<27} {k.description}" for name, k in KNOBS.items())
        raise SweepError(f"--param {text!r}: unknown knob {key!r}; the knobs are:\n{known}")
    try:
        values = _range(raw) if ":" in raw else [_scalar(key, v) for v in raw.split(",")]
        values = _one_type(key, values)
    except ValueError as exc:
        raise SweepError(f"--param {text!r}: {exc}") from None
    repeated = sorted({repr(v) for v in values if values.count(v) > 1})
    if repeated:
        raise SweepError(f"--param {text!r}: repeated value {', '.join(repeated)}")
    return key, values


def _range(raw: str) -> list[Scalar]:
    parts = [p.strip() for p in raw.split(":")]
    if len(parts) != 3 or not all(_NUMBER.match(p) for p in parts):
        raise ValueError("a range is START:STOP:STEP with three numbers, e.g. 0:1:0.1")
    start, stop, step = (_number(p) for p in parts)
    if step == 0 or (stop - start) * step < 0:
        raise ValueError(f"step {step} does not lead from {start} to {stop}")
    # The tolerance admits STOP when float error puts it a hair past the last step.
    count = math.floor((stop - start) / step + 1e-9) + 1
    if count > 100_000:
        raise ValueError(f"{count:,} values; a sweep of that size is surely a typo")
    if all(isinstance(v, int) for v in (start, stop, step)):
        return [start + i * step for i in range(count)]
    return [round(start + i * step, 12) for i in range(count)]


def _number(text: str) -> int | float:
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)


def _scalar(key: str, text: str) -> Scalar:
    text = text.strip()
    if not text:
        raise ValueError("empty value (two commas in a row?)")
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if _NUMBER.match(text):
        return _number(text)
    if KNOBS[key].type == "minutes":
        from sim.spec.units import parse_duration

        return parse_duration(text)
    raise ValueError(f"{text!r} is not a number or true/false")


def _one_type(key: str, values: list[Scalar]) -> list[Scalar]:
    """Give every value of a param one type, so the param's column has one type."""
    bools = [v for v in values if isinstance(v, bool)]
    kind = KNOBS[key].type
    if kind == "bool":
        if len(bools) != len(values):
            raise ValueError(f"{key} takes true or false")
        return values
    if bools:
        raise ValueError(f"{key} takes numbers, not true/false")
    if kind == "int":
        if any(isinstance(v, float) and not v.is_integer() for v in values):
            raise ValueError(f"{key} takes whole numbers")
        return [int(v) for v in values]
    if any(isinstance(v, float) for v in values):
        return [float(v) for v in values]
    return values
