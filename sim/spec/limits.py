"""Bounded work: every input that scales what gameday does has a documented limit.

A spec is refused at validation (``file:line:col ... [limit]``) when it would make a
replication do more than these limits allow, so a typo such as ``tbf: 0.0001`` or
``horizon: 1e12`` is an error, not a run that grows until the machine runs out of
memory. What validation cannot foresee (a distribution whose mean is fine but whose
samples bunch up) is caught by the engine's event cap: a replication that logs
``MAX_EVENTS_PER_REPLICATION`` events stops with :class:`WorkLimitExceeded`.

The numbers are far above what a real scenario needs (the shipped ones stay below 1% of
each) and low enough that one replication fits in about a gigabyte. ``SECURITY.md`` and
``docs/architecture.md`` list them.
"""

from __future__ import annotations

import math

__all__ = [
    "MAX_ALERT_PAIRS",
    "MAX_EVENTS_PER_REPLICATION",
    "MAX_EXPECTED_ALERTS",
    "MAX_EXPECTED_FAULTS",
    "MAX_GRID_CELLS",
    "MAX_HORIZON_MINUTES",
    "MAX_JSON_DEPTH",
    "MAX_PAYLOAD_BYTES",
    "MAX_REPLICATIONS",
    "MAX_SERVICES",
    "MAX_SPEC_BYTES",
    "MAX_STRATEGIES",
    "MAX_TASKS",
    "MAX_TEAMS",
    "MAX_YAML_DEPTH",
    "MIN_MEAN_TBF_MINUTES",
    "WorkLimitExceeded",
    "tasks_problem",
]

#: Ten years of simulated time per replication.
MAX_HORIZON_MINUTES = 10 * 365 * 1440.0
#: A fault definition may not arrive, on average, more often than once a minute.
MIN_MEAN_TBF_MINUTES = 1.0
#: Expected fault onsets per replication, summed over the fault definitions
#: (horizon / mean tbf, plus the scheduled ``at`` times). The seed benchmark has ~230.
MAX_EXPECTED_FAULTS = 50_000
#: Expected false-positive (noise) alerts per replication, over every rule and service.
MAX_EXPECTED_ALERTS = 50_000
#: Fault definitions x alert rules: the engine matches each pair once when it compiles.
MAX_ALERT_PAIRS = 1_000_000
#: Rows of one replication's event log (about 24 per incident): then the run stops.
MAX_EVENTS_PER_REPLICATION = 2_000_000
#: Services of one scenario (also the longest dependency chain).
MAX_SERVICES = 10_000
#: Strategies of one scenario.
MAX_STRATEGIES = 100
#: Teams of one scenario, and escalation policies of one scenario.
MAX_TEAMS = 1000
#: Replications per strategy (``-n``) of compare, sweep and test.
MAX_REPLICATIONS = 100_000
#: Cells of a sweep grid (the product of the ``--param`` value counts).
MAX_GRID_CELLS = 10_000
#: Replications of one command in all: cells x strategies x replications.
MAX_TASKS = 10_000_000
#: Size of a spec file (YAML), read before parsing.
MAX_SPEC_BYTES = 5_000_000
#: Size of an alert payload or a results document (JSON).
MAX_PAYLOAD_BYTES = 10_000_000
#: Nesting of YAML specs and of JSON payloads and results documents.
MAX_YAML_DEPTH = 100
MAX_JSON_DEPTH = 64


class WorkLimitExceeded(RuntimeError):
    """A replication reached one of the limits above while running (the event cap)."""

    @classmethod
    def event_cap(cls, minute: float, cap: int) -> WorkLimitExceeded:
        return cls(
            f"stopped at simulated minute {minute:,.1f}: the event log reached the cap of "
            f"{cap:,} events per replication (see SECURITY.md); "
            "lower the fault or noise rates or the horizon"
        )


def tasks_problem(cells: int, strategies: int, replications: int) -> str | None:
    """Why ``cells x strategies x replications`` is too much work, or None."""
    if replications > MAX_REPLICATIONS:
        return f"-n {replications:,} is over the limit of {MAX_REPLICATIONS:,} replications"
    if cells > MAX_GRID_CELLS:
        return f"the grid has {cells:,} cells; the limit is {MAX_GRID_CELLS:,}"
    total = math.prod((cells, strategies, replications))
    if total > MAX_TASKS:
        return (
            f"{cells:,} cells x {strategies} strategies x {replications:,} replications is "
            f"{total:,} replications in all; the limit is {MAX_TASKS:,}"
        )
    return None
