"""Cross-checks of a scenario's people: roster names, escalation and paged roles."""

from __future__ import annotations

from .findings import Finding, suggest
from .scenario import ScenarioSpec
from .triage import TriageSpec

__all__ = ["check_paged_roles", "check_responders"]


def check_responders(spec: ScenarioSpec, *, shared_triage: bool = False) -> list[Finding]:
    found: list[Finding] = []
    roles = {entry.role for entry in spec.responders.roster}
    names: set[str] = set()
    for i, entry in enumerate(spec.responders.roster):
        if entry.name is not None:
            if entry.name in names:
                found.append(
                    Finding(
                        ("responders", "roster", i, "name"),
                        f"responder name {entry.name!r} is used twice",
                        "duplicate-id",
                    )
                )
            names.add(entry.name)
            if entry.count != 1:
                found.append(
                    Finding(
                        ("responders", "roster", i, "count"),
                        f"a named responder ({entry.name!r}) is one person: drop count or name",
                        "roster",
                    )
                )
    found.extend(check_paged_roles(spec, roles, shared=shared_triage))
    if spec.responders.escalation is not None:
        for i, level in enumerate(spec.responders.escalation.levels):
            if level.role not in roles:
                found.append(
                    Finding(
                        ("responders", "escalation", "levels", i, "role"),
                        f"escalation level pages role {level.role!r}, which nobody in the "
                        f"roster has{suggest(level.role, roles)}",
                        "unknown-reference",
                    )
                )
    return found


def check_paged_roles(spec: ScenarioSpec, roles: set[str], *, shared: bool) -> list[Finding]:
    """Roles a severity written in the triage rules pages must be in the roster (the
    built-in table pages generic roles and is not held against a small roster).

    Rules written in the scenario make it an error. Rules from a file of their own
    (``shared``) are a policy many scenarios use, so there it is a warning, at the
    scenario's ``triage:``: a one-person rota under a two-role policy is plausible."""
    triage = spec.triage
    if not isinstance(triage, TriageSpec) or "severities" not in triage.model_fields_set:
        return []
    found = []
    for severity, policy in triage.severities.items():
        for i, role in enumerate(policy.page):
            if role in roles:
                continue
            found.append(
                Finding(
                    ("triage", "severities", severity, "page", i),
                    f"severity {severity} pages role {role!r}, which nobody in the roster "
                    f"has{suggest(role, roles)}",
                    "unknown-reference",
                    "warning" if shared else "error",
                )
            )
    return found
