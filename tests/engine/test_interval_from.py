"""``interval_from``: onset to onset (the default renewal process) or recovery to onset."""

from __future__ import annotations

import itertools
import math
import statistics

import pytest
from pydantic import ValidationError

from sim.engine import run_once
from sim.spec import ScenarioSpec

from .builders import queue_scenario

MEAN_TBF, REPAIR = 300.0, 200.0


def _one_fault(interval_from: str) -> ScenarioSpec:
    data = queue_scenario(responders=1, services=1, horizon_hours=2000).model_dump(by_alias=True)
    data["faults"] = {
        "f0": {
            "kind": "crash",
            "target": "s0",
            "tbf": {"dist": "exponential", "mean": MEAN_TBF},
            "self_heal": REPAIR,  # at most this long (the responder may fix it sooner)
            "interval_from": interval_from,
        }
    }
    return ScenarioSpec.model_validate(data)


def _spans(spec: ScenarioSpec, seed: int) -> tuple[list[float], list[float]]:
    events = run_once(spec, "queue", seed).events
    starts = [e.t for e in events if e.kind == "fault_start"]
    ends = [e.t for e in events if e.kind == "fault_end"]
    return starts, ends


def test_recovery_counts_the_time_between_failures_from_the_end() -> None:
    starts, ends = _spans(_one_fault("recovery"), 5)
    gaps = [s - e for s, e in zip(starts[1:], ends, strict=False)]
    assert min(gaps) >= 0  # never two occurrences at once
    se = statistics.stdev(gaps) / math.sqrt(len(gaps))
    assert abs(statistics.fmean(gaps) - MEAN_TBF) < 4 * se
    # A cycle is tbf + the occurrence's length (fixed by the responder or healed): fewer
    # occurrences than horizon / tbf.
    lasted = statistics.fmean(e - s for s, e in zip(starts, ends, strict=False))
    assert len(starts) == pytest.approx(2000 * 60 / (MEAN_TBF + lasted), rel=0.1)
    assert len(starts) < 0.9 * 2000 * 60 / MEAN_TBF


def test_onset_counts_from_onset_to_onset() -> None:
    starts, _ = _spans(_one_fault("onset"), 5)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    se = statistics.stdev(gaps) / math.sqrt(len(gaps))
    assert abs(statistics.fmean(gaps) - MEAN_TBF) < 4 * se
    assert min(gaps) < REPAIR  # onsets come while the last one is still going


def test_recovery_needs_tbf_and_takes_no_injections() -> None:
    data = _one_fault("recovery").model_dump(by_alias=True)
    data["faults"]["f0"]["at"] = [60.0]
    with pytest.raises(ValidationError, match="interval_from: recovery"):
        ScenarioSpec.model_validate(data)
