"""What-if variants of a scenario: the knobs (``knobs.KNOBS``) set, validated again.

A variant is made by changing the scenario's *data* and validating it again, so every
check still applies and the result is a fresh frozen object (with its own digest).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .knobs import KNOBS
from .scenario import ScenarioSpec
from .workload import work_problem

__all__ = ["KNOBS", "MINUTE_KNOBS", "vary", "with_warmup"]

#: Knobs whose values are minutes (a sweep also takes durations such as "7d" for them).
MINUTE_KNOBS = frozenset(k.name for k in KNOBS.values() if k.type == "minutes")


def with_warmup(spec: ScenarioSpec, warmup: float | None) -> ScenarioSpec:
    """``spec`` with its warm-up set to ``warmup`` minutes (None: unchanged); raises
    ValueError when it would not end before the horizon."""
    if warmup is None:
        return spec
    if not 0 <= warmup < spec.horizon:
        raise ValueError(
            f"warmup ({warmup:g} min) must end before the horizon ({spec.horizon:g} min): "
            "nothing would be counted"
        )
    return spec.model_copy(update={"warmup": warmup})


def vary(spec: ScenarioSpec, changes: Mapping[str, Any]) -> ScenarioSpec:
    """A copy of ``spec`` with the knobs in ``changes`` set (see ``KNOBS``).

    Raises KeyError for an unknown knob, pydantic's ValidationError for a bad value and
    ValueError for a variant over the limits of ``sim.spec.limits`` (``horizon=1e12``).
    """
    data = spec.model_dump(by_alias=True, exclude_defaults=False)
    for name, value in changes.items():
        knob = KNOBS.get(name)
        if knob is None:
            raise KeyError(f"unknown knob {name!r} (known: {', '.join(KNOBS)})")
        knob.apply(data, value)
    variant = ScenarioSpec.model_validate(data)
    problem = work_problem(variant)
    if problem is not None:
        raise ValueError(problem)
    return variant
