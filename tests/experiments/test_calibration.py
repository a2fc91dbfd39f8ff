"""The calibrated seed-benchmark reproduces the reference table from its mechanisms.

Reference (an industry article's table): MTTR 145 / 48 / 12 minutes and error rate during
fix 22% / 9% / 3% for ad-hoc manual, semi-automated runbooks and fully automated
mitigation with AI assist. Bands: MTTR ±15%, error rate ±3 points. The whole 95% interval
(cluster bootstrap over replications) must lie inside the band, not just the estimate.
The 1,000-replication run is in ``bench/bench_calibration.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.experiments import compare_on, open_executor
from sim.spec import load_scenario

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = {"manual": (145.0, 0.22), "semi": (48.0, 0.09), "full": (12.0, 0.03)}


@pytest.mark.slow
def test_seed_benchmark_meets_the_calibration_bands() -> None:
    spec = load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")
    with open_executor("serial") as executor:
        result = compare_on(executor, spec, list(REFERENCE), 40, seed=1)
    for name, (mttr, error_rate) in REFERENCE.items():
        got = result.summary["strategies"][name]
        lo, hi = got["mttr"]["ci95"]
        assert 0.85 * mttr <= lo <= got["mttr"]["mean"] <= hi <= 1.15 * mttr, (name, got["mttr"])
        elo, ehi = got["error_rate"]["ci95"]
        assert error_rate - 0.03 <= elo <= ehi <= error_rate + 0.03, (name, got["error_rate"])
