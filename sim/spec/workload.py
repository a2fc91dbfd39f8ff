"""Whether a scenario stays within the limits on work (``sim.spec.limits``).

The loader reports each finding at the value to change; ``vary`` refuses a variant
over a limit with :func:`work_problem` (``--param horizon=1e12``).
"""

from __future__ import annotations

from .findings import Finding
from .limits import (
    MAX_ALERT_PAIRS,
    MAX_EXPECTED_ALERTS,
    MAX_EXPECTED_FAULTS,
    MAX_HORIZON_MINUTES,
    MIN_MEAN_TBF_MINUTES,
)
from .scenario import ScenarioSpec

__all__ = ["work_findings", "work_problem"]


def _fmt(n: float) -> str:
    return f"{n:,.0f}" if n >= 10 else f"{n:g}"


def work_findings(spec: ScenarioSpec) -> list[Finding]:
    """What in ``spec`` would exceed the limits, each at the value to change."""
    found: list[Finding] = []
    horizon = spec.horizon
    if spec.warmup >= horizon:
        found.append(
            Finding(
                ("warmup",),
                f"warmup ({spec.warmup:g} min) must end before the horizon "
                f"({horizon:g} min): nothing would be counted",
                "warmup",
            )
        )
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
