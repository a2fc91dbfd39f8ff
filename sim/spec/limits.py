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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .findings import Finding
    from .scenario import ScenarioSpec

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
    "MAX_YAML_DEPTH",
    "MIN_MEAN_TBF_MINUTES",
    "WorkLimitExceeded",
    "tasks_problem",
    "work_findings",
    "work_problem",
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


def _fmt(n: float) -> str:
    return f"{n:,.0f}" if n >= 10 else f"{n:g}"


def work_findings(spec: ScenarioSpec) -> list[Finding]:
    """What in ``spec`` would exceed the limits, each at the value to change."""
    from .findings import Finding

    found: list[Finding] = []
    horizon = spec.horizon
    if horizon > MAX_HORIZON_MINUTES:
        found.append(
            Finding(
                ("horizon",),
                f"horizon of {_fmt(horizon)} minutes is over the limit of "
                f"{_fmt(MAX_HORIZON_MINUTES)} minutes (10 years) per replication",
                "limit",
            )
        )
        horizon = MAX_HORIZON_MINUTES  # judge the rates at the largest horizon allowed
    expected = 0.0
    for name, fault in spec.faults.items():
        expected += sum(1 for t in fault.at if t < horizon)
        if fault.tbf is None:
            continue
        mean = fault.tbf.mean
        if not mean >= MIN_MEAN_TBF_MINUTES:  # also catches NaN
            found.append(
                Finding(
                    ("faults", name, "tbf"),
                    f"fault {name!r} arrives every {mean:g} minutes on average; the "
                    f"mean time between failures must be at least "
                    f"{MIN_MEAN_TBF_MINUTES:g} minute",
                    "limit",
                )
            )
            continue
        expected += horizon / mean
    if expected > MAX_EXPECTED_FAULTS:
        found.append(
            Finding(
                ("faults",),
                f"about {_fmt(expected)} fault onsets per replication expected (horizon / "
                f"mean tbf, summed over the faults); the limit is {_fmt(MAX_EXPECTED_FAULTS)}",
                "limit",
                at_key=True,
            )
        )
    noise = 0.0
    for rule in spec.alert_rules.values():
        watched = 1 if rule.service is not None else len(spec.services)
        noise += rule.noise_per_day * watched * horizon / 1440
    if noise > MAX_EXPECTED_ALERTS:
        found.append(
            Finding(
                ("alert_rules",),
                f"about {_fmt(noise)} noise alerts per replication expected (noise_per_day x "
                f"services watched x days); the limit is {_fmt(MAX_EXPECTED_ALERTS)}",
                "limit",
                at_key=True,
            )
        )
    pairs = len(spec.faults) * len(spec.alert_rules)
    if pairs > MAX_ALERT_PAIRS:
        found.append(
            Finding(
                ("alert_rules",),
                f"{len(spec.faults):,} faults x {len(spec.alert_rules):,} alert rules is "
                f"{pairs:,} pairs to match; the limit is {MAX_ALERT_PAIRS:,}",
                "limit",
                at_key=True,
            )
        )
    return found


def work_problem(spec: ScenarioSpec) -> str | None:
    """The first limit ``spec`` exceeds, as a message (for variants made in code)."""
    found = work_findings(spec)
    if not found:
        return None
    where = ".".join(str(p) for p in found[0].path)
    return f"{where}: {found[0].message}"


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
