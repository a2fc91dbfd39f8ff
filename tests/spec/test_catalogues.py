"""The knob and fault-kind catalogues are the one source their users derive from."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from sim.engine import compile_scenario
from sim.engine.topology import triage_impact
from sim.experiments.sweep_params import parse_param
from sim.response import Impact
from sim.spec import FAULT_KINDS, load_scenario
from sim.spec.fault_kinds import BASELINE_SIGNALS, CATALOGUE, FaultKind, fault_signals
from sim.spec.knobs import KNOBS
from sim.spec.scenario import SIGNALS
from sim.spec.variants import MINUTE_KNOBS, vary

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def benchmark():
    return load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")


def test_fault_kinds_are_listed_once() -> None:
    assert tuple(CATALOGUE) == FAULT_KINDS == get_args(FaultKind)
    for info in CATALOGUE.values():
        assert info.effect in ("down", "degraded")
        assert set(info.signals) <= set(SIGNALS) == set(BASELINE_SIGNALS)


def test_a_faults_signals_are_the_kinds_defaults_then_its_own() -> None:
    signals = fault_signals("saturation", {"latency_ms": 900.0})
    assert signals == {**BASELINE_SIGNALS, "saturation": 0.98, "latency_ms": 900.0}


def test_the_engine_takes_a_faults_default_effect_from_the_catalogue(benchmark) -> None:
    compiled = compile_scenario(benchmark, next(iter(benchmark.strategies)))
    for fault in compiled.faults:
        written = benchmark.faults[fault.name].effect
        assert fault.effect == (written or CATALOGUE[fault.kind].effect)


def test_triage_impact_of_noise_and_of_a_fault(benchmark) -> None:
    assert triage_impact(None, 3) == Impact(tier=4, alert_count=3)
    fault = compile_scenario(benchmark, "manual").faults[0]
    seen = triage_impact(fault.impact, 2)
    assert (seen.revenue_per_min, seen.tier, seen.alert_count) == (
        fault.impact.cost_per_min,
        fault.impact.tier,
        2,
    )


@pytest.mark.parametrize("name", sorted(KNOBS))
def test_each_knob_sets_what_it_reads_back(benchmark, name: str) -> None:
    """Applying a knob and reading it back as written agree (for a knob with one value)."""
    knob = KNOBS[name]
    value = {"share": 0.5, "bool": True, "int": 5, "float": 2.0, "minutes": 720.0}[knob.type]
    variant = vary(benchmark, {name: value})
    back = knob.written(variant, "manual")
    if name == "ack_scale":  # a factor on the times as written: the variant is the new 1x
        assert variant.responders.ack_time != benchmark.responders.ack_time
    elif back is None:  # detection delay: every rule's own
        assert all(r.detection_delay.value == value for r in variant.alert_rules.values())
    else:
        assert back == value


def test_sweep_values_are_typed_by_the_catalogue() -> None:
    for name, knob in KNOBS.items():
        if knob.type == "bool":
            assert parse_param(f"{name}=true,false") == (name, [True, False])
        elif knob.type == "int":
            assert parse_param(f"{name}=2,3.0") == (name, [2, 3])
        elif knob.type == "minutes":
            assert name in MINUTE_KNOBS
            assert parse_param(f"{name}=1d,90") == (name, [1440.0, 90.0])
        else:
            assert parse_param(f"{name}=0,0.5") == (name, [0.0, 0.5])
