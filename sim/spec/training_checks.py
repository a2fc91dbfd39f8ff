"""Cross-checks of a scenario's ``training:`` block: every name it uses must exist."""

from __future__ import annotations

from collections.abc import Iterable

from .checks import Finding, suggest
from .scenario import ScenarioSpec

__all__ = ["check_training"]


def _unknown(
    where: tuple[str | int, ...], what: str, name: str, known: Iterable[str], at_key: bool = False
) -> Finding:
    return Finding(
        where, f"unknown {what} {name!r}{suggest(name, known)}", "unknown-reference", at_key=at_key
    )


def check_training(spec: ScenarioSpec) -> list[Finding]:
    """Roles, strategies, faults and services named by ``training:`` exist; the trainee
    faces at least one incident."""
    training = spec.training
    if training is None:
        return []
    found: list[Finding] = []
    roles = [entry.role for entry in spec.responders.roster]
    if training.role is not None and training.role not in roles:
        found.append(_unknown(("training", "role"), "roster role", training.role, roles))
    if training.strategy is not None and training.strategy not in spec.strategies:
        found.append(
            _unknown(("training", "strategy"), "strategy", training.strategy, spec.strategies)
        )
    for i, name in enumerate(training.baselines or ()):
        if name not in spec.strategies:
            found.append(_unknown(("training", "baselines", i), "strategy", name, spec.strategies))
    for i, name in enumerate(training.incidents or ()):
        if name not in spec.faults:
            found.append(_unknown(("training", "incidents", i), "fault", name, spec.faults))
    if training.incidents is not None and not training.incidents:
        found.append(
            Finding(
                ("training", "incidents"),
                "the trainee faces no incident: list at least one fault or drop the key",
                "training",
            )
        )
    for part in ("root_cause", "evidence"):
        for name in getattr(training, part):
            if name not in spec.faults:
                found.append(_unknown(("training", part, name), "fault", name, spec.faults, True))
    for i, herring in enumerate(training.red_herrings):
        if herring.service not in spec.services:
            found.append(
                _unknown(
                    ("training", "red_herrings", i, "service"),
                    "service",
                    herring.service,
                    spec.services,
                )
            )
        if herring.change is None and herring.log is None:
            found.append(
                Finding(
                    ("training", "red_herrings", i),
                    "a red herring needs a 'change' or a 'log' text to show",
                    "training",
                )
            )
    return found
