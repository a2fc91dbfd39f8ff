"""What-if knobs make valid, fresh scenario variants."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from sim.spec import load_scenario
from sim.spec.variants import KNOBS, vary

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spec():
    return load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")


@pytest.mark.parametrize("total", [1, 2, 3, 4, 7])
def test_responders_knob_sets_the_total(spec, total: int) -> None:
    variant = vary(spec, {"responders": total})
    assert variant.responders.size == total
    roles = {e.role for e in variant.responders.roster}
    if variant.responders.escalation is not None:
        assert {lvl.role for lvl in variant.responders.escalation.levels} <= roles


def test_strategy_knobs_apply_to_every_strategy(spec) -> None:
    variant = vary(spec, {"automation_coverage": 0.5, "assist": 0.1})
    assert {s.automation_coverage for s in variant.strategies.values()} == {0.5}
    assert {s.assist for s in variant.strategies.values()} == {0.1}
    assert variant.digest != spec.digest
    assert spec.strategies["manual"].automation_coverage == 0.03  # the original is untouched


def test_scales_and_delays(spec) -> None:
    variant = vary(spec, {"ack_scale": 0.5, "detection_delay": 2, "horizon": 1440})
    assert variant.responders.ack_time.mean == pytest.approx(spec.responders.ack_time.mean * 0.5)
    assert {r.detection_delay.mean for r in variant.alert_rules.values()} == {2.0}
    assert variant.horizon == 1440


def test_bad_knobs_and_values_are_refused(spec) -> None:
    with pytest.raises(KeyError, match="unknown knob"):
        vary(spec, {"automation": 0.5})
    with pytest.raises(ValidationError):
        vary(spec, {"automation_coverage": 1.5})
    with pytest.raises(ValueError, match="at least 1"):
        vary(spec, {"responders": 0})
    assert "responders" in KNOBS
