"""Replications for ``gameday test``: run a strategy, keep only what expectations read.

``replicate(spec, strategy, seeds, replications)`` is the unit of work an executor runs
(module level and picklable, like ``sim.experiments.runner.run_batch``, and run by the
same batch runner, ``sim.experiments.batches.run_replications``). It simulates one
replication per seed and reduces each event log, where it was produced, to
:class:`Facts`: the per-incident columns the metric bounds need, the lifecycle audit
replayed through the transition table, who ended each fault, and the waits. Event logs
are large; facts are small, so shipping them back from a worker process is cheap.

Everything is read from the event log (``sim.metrics.incident_rows`` and the
``transition`` / ``fault_start`` / ``fault_end`` records), never from engine internals.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field

from sim.engine import RunResult
from sim.eventlog import Event
from sim.experiments.batches import fan_out, run_replications
from sim.experiments.runner import replication_seeds
from sim.experiments.shared_spec import SharedSpec
from sim.metrics import incident_rows
from sim.response import AuditEntry, IllegalTransition, State, replay
from sim.spec import ScenarioSpec

__all__ = [
    "INCIDENT_COLUMNS",
    "RESOLVED_AT",
    "Facts",
    "audit_problems",
    "collect_facts",
    "gather_facts",
    "replicate",
    "submit_facts",
]

#: Per-incident columns kept from ``sim.metrics.incident_rows`` (all incidents, noise too).
INCIDENT_COLUMNS = (
    "incident",
    "noise",
    "severity",
    "fault",
    "fault_kind",
    "onset",
    "detected",
    "ttd",
    "tta",
    "ttr",
    "errors",
    "cost",
    "human_minutes",
    "waited",
    "wait_censored",
)
#: Added per incident from the audit log: when it first entered ``resolved`` (NaN: never).
#: Read from the ``transition`` records themselves, not from ``incident_rows``, because
#: this is exactly what ``all_resolved`` is about.
RESOLVED_AT = "resolved_at"
# Enough examples of lifecycle violations to act on; the count is always complete.
_MAX_EXAMPLES = 5


@dataclass
class Facts:
    """What expectations need from one replication of one strategy.

    ``columns`` holds ``INCIDENT_COLUMNS`` and ``RESOLVED_AT`` (one entry per incident,
    in opening order).
    ``fault_ends`` counts ended fault occurrences by ``(fault kind, by)``, where ``by``
    is ``runbook:<id>``, ``self_heal`` or ``specialists``; ``faults_open`` counts
    occurrences still active at the horizon by kind. ``lifecycle_problems`` are
    ``(incident, message)`` from replaying each incident's audit log (at most a few
    examples; ``lifecycle_violations`` is the full count). ``error`` is the engine's
    traceback if the replication failed.
    """

    strategy: str
    replication: int
    seed: int
    columns: dict[str, list[object]] = field(default_factory=dict)
    fault_ends: Counter[tuple[str, str]] = field(default_factory=Counter)
    faults_open: Counter[str] = field(default_factory=Counter)
    lifecycle_checked: int = 0
    lifecycle_violations: int = 0
    lifecycle_problems: list[tuple[int, str]] = field(default_factory=list)
    error: str | None = None
    wall_seconds: float = 0.0

    @property
    def incidents(self) -> int:
        return len(self.columns.get("incident", []))


def audit_problems(
    events: Iterable[Event],
) -> tuple[int, list[tuple[int, str]], dict[int, float]]:
    """Replay every incident's audit log.

    Returns (incidents checked, problems found, when each incident first entered
    ``resolved``). The audit entries are rebuilt from ``transition`` records exactly as
    the lifecycle wrote them, then re-applied through ``sim.response.replay`` (the
    transition table and the guards an entry alone can check). An unknown state name is
    a problem too.
    """
    by_incident: dict[int, list[AuditEntry]] = defaultdict(list)
    resolved: dict[int, float] = {}
    problems: list[tuple[int, str]] = []
    broken: set[int] = set()
    for t, kind, number, _service, actor, d in events:
        if kind != "transition" or number in broken:
            continue
        try:
            src, dst = State(d["from"]), State(d["to"])
        except ValueError as exc:
            problems.append((number, f"audit entry at t={t:g}: {exc}"))
            broken.add(number)
            continue
        by_incident[number].append(AuditEntry(t, str(number), src, dst, actor, d["reason"]))
        if dst is State.RESOLVED:
            resolved.setdefault(number, t)
    for number, audit in by_incident.items():
        try:
            replay(audit)
        except IllegalTransition as exc:
            problems.append((number, str(exc)))
    return len(by_incident) + len(broken - by_incident.keys()), problems, resolved


def _fault_tally(events: Iterable[Event]) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    kinds: dict[tuple[str, int], str] = {}
    ends: Counter[tuple[str, str]] = Counter()
    for _t, kind, _number, _service, _actor, d in events:
        if kind == "fault_start":
            kinds[d["fault"], d["occurrence"]] = d["fault_kind"]
        elif kind == "fault_end":
            fault_kind = kinds.pop((d["fault"], d["occurrence"]), "?")
            ends[fault_kind, d["by"]] += 1
    return ends, Counter(kinds.values())


def replicate(
    spec: ScenarioSpec | SharedSpec,
    strategy: str,
    seeds: Sequence[int],
    replications: Sequence[int],
) -> list[Facts]:
    """Simulate ``strategy`` once per seed and reduce each event log to :class:`Facts`."""
    return run_replications(spec, strategy, seeds, replications, _facts)


def _facts(result: RunResult, replication: int) -> Facts:
    """What expectations need of one replication's result."""
    facts = Facts(result.strategy, replication, result.seed, error=result.error)
    facts.wall_seconds = result.wall_seconds
    rows = incident_rows(result.events, result.horizon)
    facts.columns = {name: [row[name] for row in rows] for name in INCIDENT_COLUMNS}
    facts.fault_ends, facts.faults_open = _fault_tally(result.events)
    checked, problems, resolved = audit_problems(result.events)
    facts.columns[RESOLVED_AT] = [resolved.get(row["incident"], math.nan) for row in rows]
    facts.lifecycle_checked = checked
    facts.lifecycle_violations = len(problems)
    facts.lifecycle_problems = problems[:_MAX_EXAMPLES]
    return facts


FactsFutures = list[list["Future[list[Facts]]"]]


def submit_facts(
    executor: Executor,
    jobs: Sequence[tuple[ScenarioSpec, str]],
    n: int,
    seed: int,
    *,
    workers: int = 1,
) -> FactsFutures:
    """Submit ``n`` replications of every ``(spec, strategy)`` job; futures in job order.

    Every strategy of a scenario runs on the same seeds (common random numbers).
    """
    seeds = replication_seeds(seed, n)
    shared: dict[str, SharedSpec] = {}
    batches = fan_out(n, workers=workers, groups=len(jobs))
    futures: FactsFutures = []
    for spec, strategy in jobs:
        scenario = shared.setdefault(spec.digest, SharedSpec(spec))
        parts = []
        for reps in batches:
            picked = list(reps)
            parts.append(
                executor.submit(replicate, scenario, strategy, [seeds[r] for r in picked], picked)
            )
        futures.append(parts)
    return futures


def gather_facts(futures: FactsFutures) -> list[list[Facts]]:
    """Wait for submitted jobs, in submission order: results never depend on timing."""
    return [[facts for part in parts for facts in part.result()] for parts in futures]


def collect_facts(
    executor: Executor,
    jobs: Sequence[tuple[ScenarioSpec, str]],
    n: int,
    seed: int,
    *,
    workers: int = 1,
) -> list[list[Facts]]:
    """Run ``n`` replications of every ``(spec, strategy)`` job; facts in job order.

    All jobs are submitted before any result is awaited, so a process pool overlaps
    them.
    """
    return gather_facts(submit_facts(executor, jobs, n, seed, workers=workers))
