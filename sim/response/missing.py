"""What a missing label or impact field means, as a triage rule set declares it.

Without a ``missing:`` entry a label absent from an alert reads as the empty string
(Alertmanager's rule) and an impact field as its default — silently. An entry makes it
explicit: a value to use instead, or ``unknown``, which leaves the label empty and has
the decision escalate one severity level (a page too many rather than too few). Either
way the decision says what was assumed (``notes``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sim.spec.triage import IMPACT_FIELDS, SEVERITIES, UNKNOWN, Severity

__all__ = ["Filled", "MissingValues", "escalated"]


@dataclass(frozen=True, slots=True)
class Filled:
    """The labels and impact changes to triage with, what was assumed, and whether a
    value was declared unknown (the decision then escalates)."""

    labels: Mapping[str, str]
    impact: dict[str, float]
    notes: tuple[str, ...]
    unknown: bool


def escalated(severity: Severity) -> Severity:
    """One level more severe (P0 stays P0)."""
    return SEVERITIES[max(0, SEVERITIES.index(severity) - 1)]


class MissingValues:
    """The ``missing:`` table of a rule set, split into labels and impact fields."""

    __slots__ = ("impact", "labels")

    def __init__(self, missing: Mapping[str, str]) -> None:
        self.labels = {k: v for k, v in missing.items() if k not in IMPACT_FIELDS}
        self.impact = {k: v for k, v in missing.items() if k in IMPACT_FIELDS}

    def __bool__(self) -> bool:
        return bool(self.labels or self.impact)

    def fill(
        self, labels: Mapping[str, str], known_impact: Collection[str] | None
    ) -> Filled | None:
        """What to triage with, or None when nothing declared is missing.

        ``known_impact``: the impact fields actually known (None: all of them, as in the
        simulator, which always knows the impact of its faults)."""
        notes: list[str] = []
        unknown = False
        filled: dict[str, str] | None = None
        for name, value in self.labels.items():
            if name in labels:
                continue
            if value == UNKNOWN:
                unknown = True
                notes.append(f"label {name} missing: unknown, escalated one level")
            else:
                if filled is None:
                    filled = dict(labels)
                filled[name] = value
                notes.append(f'label {name} missing: default "{value}" used')
        impact: dict[str, float] = {}
        if known_impact is not None:
            for name, value in self.impact.items():
                if name in known_impact:
                    continue
                if value == UNKNOWN:
                    unknown = True
                    notes.append(f"impact {name} not given: unknown, escalated one level")
                else:
                    impact[name] = float(value)
                    notes.append(f"impact {name} not given: default {float(value):g} used")
        if not notes:
            return None
        return Filled(labels if filled is None else filled, impact, tuple(notes), unknown)
