"""SharedSpec: a scenario that tasks carry, unpickled and varied once per process."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sim.experiments.runner import run_batch
from sim.experiments.shared_spec import SharedSpec
from sim.spec import ScenarioSpec, load_scenario
from sim.spec.variants import vary

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spec() -> ScenarioSpec:
    return load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")


def test_unpickled_once_per_process(spec: ScenarioSpec) -> None:
    shared = SharedSpec(spec)
    first = pickle.loads(pickle.dumps(shared))
    again = pickle.loads(pickle.dumps(shared))
    assert first is again
    assert first.spec is not spec and first.spec.digest == spec.digest
    assert first.spec.model_dump() == spec.model_dump()


def test_each_variant_is_made_once_and_equals_vary(spec: ScenarioSpec) -> None:
    shared = SharedSpec(spec)
    assert shared.variant(None) is spec and shared.variant({}) is spec
    week = shared.variant({"horizon": 10080.0})
    assert shared.variant({"horizon": 10080.0}) is week
    assert week.digest == vary(spec, {"horizon": 10080.0}).digest
    assert shared.variant({"horizon": 1440.0}).horizon == 1440.0


def test_a_task_gives_the_same_rows_with_a_plain_or_a_shared_spec(spec: ScenarioSpec) -> None:
    week = {"horizon": 10080.0}
    plain = run_batch(spec, "semi", [7, 8], [0, 1], week)
    shared = run_batch(pickle.loads(pickle.dumps(SharedSpec(spec))), "semi", [7, 8], [0, 1], week)
    assert plain.table.to_pandas().equals(shared.table.to_pandas())  # NaN-aware
