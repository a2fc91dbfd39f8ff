"""The engine against queueing theory (M/M/c), with tolerances from the sampling error.

Replications are the independent units: we compare the mean over replications of each
replication's statistic with theory, allowing 4 standard errors of that mean.
"""

from __future__ import annotations

import math
import statistics

import pytest

from sim.engine import run_once
from sim.metrics import incident_rows

from .builders import queue_scenario


def erlang_c(c: int, arrival_rate: float, service_mean: float) -> tuple[float, float]:
    """(P(wait), mean wait) of an M/M/c queue."""
    a = arrival_rate * service_mean  # offered load in Erlangs
    rho = a / c
    head = sum(a**k / math.factorial(k) for k in range(c))
    tail = a**c / math.factorial(c) / (1 - rho)
    p_wait = tail / (head + tail)
    return p_wait, p_wait * service_mean / (c - a)


def test_erlang_c_formula_reference_values() -> None:
    # c=2, 1 incident/hour, 60-minute handling: P(wait) = 1/3, mean wait 20 minutes.
    p, w = erlang_c(2, 1 / 60, 60.0)
    assert p == pytest.approx(1 / 3)
    assert w == pytest.approx(20.0)


def _per_replication(spec, seeds):
    waits, p_waits, counts = [], [], []
    for seed in seeds:
        result = run_once(spec, "queue", seed)
        assert result.ok, result.error
        rows = [r for r in incident_rows(result.events, result.horizon) if not r["noise"]]
        waited = [r["waited"] for r in rows]
        waits.append(statistics.fmean(waited))
        p_waits.append(sum(w > 1e-9 for w in waited) / len(waited))
        counts.append(len(rows))
    return waits, p_waits, counts


@pytest.mark.slow
def test_mean_wait_matches_erlang_c() -> None:
    spec = queue_scenario(responders=2, horizon_hours=1500)
    waits, p_waits, counts = _per_replication(spec, range(12))
    p_theory, w_theory = erlang_c(2, 1 / 60, 60.0)
    se_w = statistics.stdev(waits) / math.sqrt(len(waits))
    se_p = statistics.stdev(p_waits) / math.sqrt(len(p_waits))
    assert abs(statistics.fmean(waits) - w_theory) < 4 * se_w, (waits, se_w)
    assert abs(statistics.fmean(p_waits) - p_theory) < 4 * se_p, (p_waits, se_p)
    # The tolerance is meaningful: a few minutes, not tens.
    assert se_w < 2.5
    assert statistics.fmean(counts) == pytest.approx(1500, rel=0.1)


def test_infinite_pool_never_waits() -> None:
    spec = queue_scenario(responders=200, services=200, horizon_hours=300)
    result = run_once(spec, "queue", 3)
    rows = incident_rows(result.events)
    assert len(rows) > 200
    assert max(r["waited"] for r in rows) == 0.0


def test_detection_delay_shifts_ttr_by_its_mean() -> None:
    """Paired replications (same seeds): only the detection delay differs."""
    base = queue_scenario(responders=200, services=200, horizon_hours=300)
    delayed = queue_scenario(
        responders=200,
        services=200,
        horizon_hours=300,
        detection_delay={"dist": "exponential", "mean": 10},
    )
    shifts = []
    for seed in range(6):
        a = incident_rows(run_once(base, "queue", seed).events)
        b = incident_rows(run_once(delayed, "queue", seed).events)
        # Incidents still open at the horizon have no TTR yet.
        shifts.append(
            statistics.fmean(r["ttr"] for r in b if not math.isnan(r["ttr"]))
            - statistics.fmean(r["ttr"] for r in a if not math.isnan(r["ttr"]))
        )
    se = statistics.stdev(shifts) / math.sqrt(len(shifts))
    assert abs(statistics.fmean(shifts) - 10.0) < 4 * se + 0.01
    assert se < 1.5
