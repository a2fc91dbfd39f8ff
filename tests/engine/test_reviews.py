"""Post-incident reviews as work: they take the responder's time, and their action items
lower the monthly incident count over a long horizon (``learning-from-reviews``)."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import numpy as np
import pytest

from sim.engine import run_once
from sim.metrics import incident_rows
from sim.response.lifecycle import needs_review
from sim.spec import ScenarioSpec, load_scenario

ROOT = Path(__file__).resolve().parents[2]
MONTH = 30 * 1440.0
SEEDS = range(6)


@pytest.fixture(scope="module")
def spec() -> ScenarioSpec:
    return load_scenario(ROOT / "scenarios" / "learning-from-reviews.yaml")


def _monthly(spec: ScenarioSpec, strategy: str, seed: int) -> np.ndarray:
    result = run_once(spec, strategy, seed)
    assert result.ok, result.error
    months = int(spec.horizon // MONTH)
    counts = np.zeros(months)
    for row in incident_rows(result.events, result.horizon):
        month = int(row["onset"] // MONTH) if not row["noise"] else months
        if month < months:
            counts[month] += 1
    return counts


def _slopes(spec: ScenarioSpec, strategy: str) -> tuple[float, float, float]:
    """(mean over replications of the least-squares slope of incidents per month over
    the first year, its standard error, mean incidents per replication)."""
    slopes, totals = [], []
    for seed in SEEDS:
        counts = _monthly(spec, strategy, seed)
        first_year = counts[:12]
        slopes.append(float(np.polyfit(np.arange(12), first_year, 1)[0]))
        totals.append(float(counts.sum()))
    se = statistics.stdev(slopes) / math.sqrt(len(slopes))
    return statistics.fmean(slopes), se, statistics.fmean(totals)


@pytest.mark.slow
def test_reviews_lower_the_monthly_incident_count(spec) -> None:
    learning, se_l, total_l = _slopes(spec, "reviews")
    flat, se_f, total_f = _slopes(spec, "no-reviews")
    assert learning < -4 * se_l, (learning, se_l)  # falling, well beyond the noise
    assert abs(flat) < 4 * se_f + 0.05, (flat, se_f)  # no trend without reviews
    assert total_l < 0.6 * total_f
    # Without reviews nothing is learned: no rate ever changes.
    assert not [e for e in run_once(spec, "no-reviews", 1).events if e.kind == "rate_change"]


def test_a_review_takes_the_responders_time(spec) -> None:
    result = run_once(spec, "reviews", 2)
    events = result.events
    reviews = [e for e in events if e.kind == "work" and e.details["what"] == "review"]
    assert reviews
    severity = {e.incident: e.details["severity"] for e in events if e.kind == "incident_open"}
    severity.update({e.incident: e.details["to"] for e in events if e.kind == "severity"})
    assert all(needs_review(severity[e.incident]) for e in reviews)
    for review in reviews:
        start = review.t - review.details["minutes"]
        # Nobody hands the reviewer another incident while the review lasts.
        taken = [
            e
            for e in events
            if e.kind == "assign" and e.actor == review.actor and start < e.t < review.t
        ]
        assert not taken, (review, taken)
        closed = [
            e
            for e in events
            if e.incident == review.incident
            and e.kind == "transition"
            and e.details["to"] == "closed"
        ]
        assert closed[0].t == review.t and closed[0].details["reason"] == "review done"
    # Action items land the scenario's delay after a review, as rate changes.
    changes = [e for e in events if e.kind == "rate_change"]
    assert changes and all(0.25 <= e.details["rate"] < 1 for e in changes)
