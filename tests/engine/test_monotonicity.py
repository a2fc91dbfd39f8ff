"""More automation, more responders or faster acknowledgement never make MTTR worse
in expectation, on every shipped scenario (paired replications on common seeds).

"Never worse" is tested as: the paired mean difference (better knob - baseline) is not
significantly positive, i.e. below 3 standard errors of the paired mean.
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import pytest

from sim.engine import run_once
from sim.metrics import incident_rows
from sim.spec import load_scenario
from sim.spec.variants import vary

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
SEEDS = range(1, 9)


def _mttr(spec, strategy: str, seed: int) -> float:
    rows = incident_rows(run_once(spec, strategy, seed).events)
    values = [r["ttr"] for r in rows if not r["noise"] and not math.isnan(r["ttr"])]
    return statistics.fmean(values) if values else 0.0


def _knobs(spec) -> dict[str, dict[str, object]]:
    strategy = next(iter(spec.strategies.values()))
    return {
        "more automation": {"automation_coverage": min(1.0, strategy.automation_coverage + 0.4)},
        "one more responder": {"responders": spec.responders.size + 1},
        "faster ack": {"ack_scale": 0.5},
    }


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_better_knobs_never_worsen_mttr(path: Path) -> None:
    base = load_scenario(path)
    strategy = next(iter(base.strategies))
    baseline = [_mttr(base, strategy, s) for s in SEEDS]
    for label, change in _knobs(base).items():
        better = vary(base, change)
        diffs = [_mttr(better, strategy, s) - b for s, b in zip(SEEDS, baseline, strict=True)]
        mean = statistics.fmean(diffs)
        se = statistics.stdev(diffs) / math.sqrt(len(diffs))
        assert mean <= 3 * se + 1e-9, f"{path.name}: {label} made MTTR worse by {mean:.1f} min"
