"""The responder policy interface: the engine's fast lane for the simulated human gives
the same log as running every decision through the generator interface."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine import SimulatedHuman, run_once
from sim.engine.policy import fast_lane
from sim.eventlog import digest
from sim.spec import load_scenario

SCENARIOS = sorted(Path(__file__).resolve().parents[2].joinpath("scenarios").glob("*.yaml"))


class GeneratorOnlyHuman(SimulatedHuman):
    """Decides exactly as ``SimulatedHuman`` but, by overriding ``perform`` and
    ``approve``, makes the engine run every step and approval through the generator
    interface a trainee's policy would use."""

    def perform(self, inc, request, fits):
        return (yield from super().perform(inc, request, fits))

    def approve(self, inc, request):
        return (yield from super().approve(inc, request))


def test_the_fast_lane_is_only_taken_for_unmodified_step_decisions() -> None:
    plain = SimulatedHuman()
    assert fast_lane(plain) is plain
    assert fast_lane(GeneratorOnlyHuman()) is None


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_fast_lane_and_generator_interface_give_the_same_log(path: Path) -> None:
    spec = load_scenario(path)
    for strategy in spec.strategies:
        fast = run_once(spec, strategy, 3)
        general = run_once(spec, strategy, 3, policy_factory=lambda world: GeneratorOnlyHuman())
        assert fast.ok and general.ok, (fast.error, general.error)
        assert any(e.kind == "step" and e.details["mode"] == "manual" for e in fast.events)
        assert digest(general.events) == digest(fast.events), strategy
