"""The debrief: the score, the baselines on the same incidents, and what was hidden.

The baselines run the same scenario and seed under each baseline strategy with the
simulated responders: the fault occurrences are the same (common random numbers), so
each of the trainee's incidents is matched by (fault, occurrence). Each strategy's TTR
distribution over ``spread`` seeds places the trainee's TTR in it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sim.engine import run_once
from sim.eventlog import Event
from sim.metrics import incident_rows
from sim.spec.scenario import ScenarioSpec

from .facts import IncidentFacts, trainee_incidents
from .scoring import Score, score
from .session import Session

__all__ = ["Baselines", "Debrief", "IncidentResult", "baselines", "debrief"]

SPREAD_SEEDS = 30  # replications per strategy behind each TTR distribution


@dataclass(frozen=True, slots=True)
class Baselines:
    strategies: tuple[str, ...]
    same_seed: dict[str, dict[tuple[str, int], float]]  # strategy -> occurrence -> TTR
    spread: dict[str, dict[str, tuple[float, ...]]]  # strategy -> fault -> sorted TTRs


def _ttrs(events: Sequence[Event]) -> dict[tuple[str, int], float]:
    occurrence = {
        e.incident: (e.details["fault"], e.details["occurrence"])
        for e in events
        if e.kind == "incident_open" and e.details["fault"]
    }
    return {
        occurrence[row["incident"]]: row["ttr"]
        for row in incident_rows(events)
        if row["incident"] in occurrence
    }


def baselines(
    spec: ScenarioSpec, strategies: Sequence[str], seed: int, spread: int = SPREAD_SEEDS
) -> Baselines:
    """Each strategy on ``seed`` (matched incidents) and on ``spread`` seeds from it."""
    same: dict[str, dict[tuple[str, int], float]] = {}
    dist: dict[str, dict[str, tuple[float, ...]]] = {}
    for strategy in strategies:
        collected: dict[str, list[float]] = {}
        for k in range(spread):
            ttrs = _ttrs(run_once(spec, strategy, seed + k).events)
            if k == 0:
                same[strategy] = ttrs
            for (fault, _occurrence), ttr in ttrs.items():
                if not math.isnan(ttr):
                    collected.setdefault(fault, []).append(ttr)
        dist[strategy] = {fault: tuple(sorted(v)) for fault, v in collected.items()}
    return Baselines(tuple(strategies), same, dist)


@dataclass(frozen=True, slots=True)
class IncidentResult:
    """One of the trainee's incidents, with everything the session kept hidden."""

    facts: IncidentFacts
    root_cause: str
    baseline_ttr: dict[str, float]  # strategy -> TTR on the same occurrence
    percentile: dict[str, float]  # strategy -> share of its TTRs at or below the trainee's


@dataclass(frozen=True, slots=True)
class Debrief:
    scenario: str
    seed: int
    role: str
    trainee: str
    score: Score
    incidents: tuple[IncidentResult, ...]
    baselines: Baselines
    red_herrings: tuple[tuple[str, str], ...]  # (what was shown, why it was not the cause)
    objectives: tuple[str, ...]


def debrief(session: Session, spread: int = SPREAD_SEEDS) -> Debrief:
    """The debrief of ``session`` (finished or not: then as it stands)."""
    spec, training = session.spec, session.training
    strategies = tuple(training.baselines or spec.strategies)
    base = baselines(spec, strategies, session.seed, spread)
    faced = frozenset(training.incidents) if training.incidents is not None else None
    facts = trainee_incidents(session.events, session.trainee, faced)
    reference = base.same_seed[strategies[0]]
    result = score(spec, facts, reference, session.role, session.hints_taken, session.now)
    incidents = []
    for inc in facts:
        if inc.noise:
            incidents.append(IncidentResult(inc, "a false positive: nothing was wrong", {}, {}))
            continue
        key = (inc.fault, inc.occurrence)
        incidents.append(
            IncidentResult(
                inc,
                training.root_cause.get(inc.fault, f"a {inc.kind} fault on {inc.service}"),
                {s: base.same_seed[s].get(key, math.nan) for s in strategies},
                {s: _percentile(base.spread[s].get(inc.fault, ()), inc.ttr) for s in strategies},
            )
        )
    herrings = tuple((h.change or h.log or "", h.why) for h in training.red_herrings)
    return Debrief(
        spec.name,
        session.seed,
        session.role,
        session.trainee,
        result,
        tuple(incidents),
        base,
        herrings,
        tuple(training.objectives),
    )


def _percentile(values: Sequence[float], x: float) -> float:
    if not values or math.isnan(x):
        return math.nan
    return bisect.bisect_right(values, x) / len(values)
