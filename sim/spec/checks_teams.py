"""Cross-checks of teams, schedules, escalation policies and triage routes.

Only scenarios with ``teams:`` are checked here; without teams the roster is one
implicit team and ``checks_people`` covers it.
"""

from __future__ import annotations

from typing import Literal

from .findings import Finding, Path, suggest
from .scenario import ScenarioSpec
from .teams import BusinessHours, FollowTheSun, WeeklyRotation
from .triage import Route, TriageSpec

__all__ = ["check_teams", "team_members"]


def team_members(spec: ScenarioSpec) -> dict[str, list[str]]:
    """Team -> the names of its people (roster order, no repeats). A member entry is a
    person's name or a role (everyone of that role); unknown entries are skipped (the
    checks report them)."""
    people = spec.responders.people()
    explicit = {e.name for _, e in people if e.name is not None}
    by_role: dict[str, list[str]] = {}
    for name, entry in people:
        by_role.setdefault(entry.role, []).append(name)
    names = {name for name, _ in people}
    order = {name: i for i, (name, _) in enumerate(people)}
    out: dict[str, list[str]] = {}
    for team, t in spec.teams.items():
        chosen: dict[str, None] = {}
        for member in t.members:
            if member in explicit or (member in names and member not in by_role):
                chosen[member] = None
            else:
                chosen.update(dict.fromkeys(by_role.get(member, ())))
        out[team] = sorted(chosen, key=order.__getitem__)
    return out


def check_teams(spec: ScenarioSpec, *, shared_triage: bool = False) -> list[Finding]:
    if not spec.teams:
        return _policies_without_teams(spec)
    found: list[Finding] = []
    people = spec.responders.people()
    names = {name for name, _ in people}
    roles = {entry.role for _, entry in people}
    explicit = {e.name for _, e in people if e.name is not None}
    members = team_members(spec)
    for team, t in spec.teams.items():
        where = ("teams", team)
        for i, member in enumerate(t.members):
            if member in explicit and member in roles:
                found.append(
                    Finding(
                        (*where, "members", i),
                        f"{member!r} is both a person's name and a role: rename the person",
                        "ambiguous-reference",
                    )
                )
            elif member not in names and member not in roles:
                found.append(
                    Finding(
                        (*where, "members", i),
                        f"team {team!r} member {member!r} is neither a person nor a role of "
                        f"the roster{suggest(member, names | roles)}",
                        "unknown-reference",
                    )
                )
        if t.escalation is not None and t.escalation not in spec.escalation_policies:
            found.append(
                Finding(
                    (*where, "escalation"),
                    f"unknown escalation policy {t.escalation!r}"
                    f"{suggest(t.escalation, spec.escalation_policies)}",
                    "unknown-reference",
                )
            )
        found.extend(_check_schedule(spec, team, members[team]))
    teamed = {name for group in members.values() for name in group}
    teamed |= {
        target
        for p in spec.escalation_policies.values()
        for level in p.levels
        for target in level.targets
    }
    for i, entry in enumerate(spec.responders.roster):
        lonely = [name for name, e in people if e is entry and name not in teamed]
        if lonely:
            found.append(
                Finding(
                    ("responders", "roster", i),
                    f"{', '.join(lonely)} belong(s) to no team and no escalation policy "
                    f"names them: never paged",
                    "no-team",
                    "warning",
                )
            )
    for service, svc in spec.services.items():
        if svc.team is not None and svc.team not in spec.teams:
            found.append(
                Finding(
                    ("services", service, "team"),
                    f"service {service!r} names team {svc.team!r}, which is not a team of "
                    f"this scenario{suggest(svc.team, spec.teams)}",
                    "unknown-reference",
                    "warning",
                )
            )
    found.extend(_check_policies(spec, names))
    found.extend(_check_routes(spec, shared=shared_triage))
    if spec.responders.escalation is not None:
        found.append(
            Finding(
                ("responders", "escalation"),
                "with teams, pages follow escalation_policies: responders.escalation is not used",
                "ignored",
                "warning",
                at_key=True,
            )
        )
    return found


def _policies_without_teams(spec: ScenarioSpec) -> list[Finding]:
    if not spec.escalation_policies:
        return []
    return [
        Finding(
            ("escalation_policies",),
            "escalation_policies are used only with teams: declare 'teams:' (without teams "
            "responders.escalation applies)",
            "ignored",
            "warning",
            at_key=True,
        )
    ]


def _check_schedule(spec: ScenarioSpec, team: str, members: list[str]) -> list[Finding]:
    schedule = spec.teams[team].schedule
    where = ("teams", team, "schedule")
    found: list[Finding] = []
    if isinstance(schedule, BusinessHours | FollowTheSun):
        start, end = schedule.hours
        if start >= end:
            found.append(
                Finding(
                    (*where, "hours"),
                    f"working hours must be [start, end) with start < end, got {start}-{end}",
                    "schedule",
                )
            )
    if isinstance(schedule, WeeklyRotation) and schedule.on_call > len(members):
        found.append(
            Finding(
                (*where, "on_call"),
                f"{schedule.on_call} on call at a time, but team {team!r} has "
                f"{len(members)} member(s)",
                "schedule",
            )
        )
    if isinstance(schedule, FollowTheSun):
        zoned: set[str] = set()
        for z, zone in enumerate(schedule.zones):
            for i, person in enumerate(zone.members):
                if person not in members:
                    found.append(
                        Finding(
                            (*where, "zones", z, "members", i),
                            f"{person!r} is not a member of team {team!r}"
                            f"{suggest(person, members)}",
                            "unknown-reference",
                        )
                    )
                zoned.add(person)
        outside = [m for m in members if m not in zoned]
        if outside:
            found.append(
                Finding(
                    (*where, "zones"),
                    f"{', '.join(outside)} of team {team!r} work(s) in no zone and is never "
                    f"on call",
                    "schedule",
                    "warning",
                )
            )
    return found


def _check_policies(spec: ScenarioSpec, names: set[str]) -> list[Finding]:
    found: list[Finding] = []
    known = set(spec.teams) | names
    for policy, p in spec.escalation_policies.items():
        for lvl, level in enumerate(p.levels):
            for i, target in enumerate(level.targets):
                where = ("escalation_policies", policy, "levels", lvl, "targets", i)
                if target in spec.teams and target in names:
                    found.append(
                        Finding(
                            where,
                            f"{target!r} is both a team and a person: rename one",
                            "ambiguous-reference",
                        )
                    )
                elif target not in known:
                    found.append(
                        Finding(
                            where,
                            f"escalation target {target!r} is neither a team nor a person"
                            f"{suggest(target, known)}",
                            "unknown-reference",
                        )
                    )
    return found


def _check_routes(spec: ScenarioSpec, *, shared: bool) -> list[Finding]:
    """Triage routes name a team and a policy (``default``: the team's own); rules
    from a file of their own are a shared policy, so there it is a warning."""
    triage = spec.triage
    if not isinstance(triage, TriageSpec):
        return []
    severity: Literal["error", "warning"] = "warning" if shared else "error"
    routes: list[tuple[Path, Route, bool]] = [
        (("triage", "rules", i, "route"), r.route, "route" in r.model_fields_set)
        for i, r in enumerate(triage.rules)
    ]
    default = triage.default
    routes.append(
        (("triage", "default", "route"), default.route, "route" in default.model_fields_set)
    )
    found: list[Finding] = []
    for where, route, written in routes:
        if route.team not in spec.teams:
            found.append(
                Finding(
                    (*where, "team") if written and not shared else ("triage",),
                    f"route team {route.team!r} is not a team of this scenario"
                    f"{suggest(route.team, spec.teams)}; its incidents go to the failing "
                    f"service's team, or to the first team, {next(iter(spec.teams))!r}, "
                    "when the service names none",
                    "unknown-reference",
                    severity if written else "warning",
                )
            )
        policy = route.escalation
        if policy != "default" and policy not in spec.escalation_policies:
            found.append(
                Finding(
                    (*where, "escalation") if not shared else ("triage",),
                    f"route escalation {policy!r} is not an escalation policy of this scenario"
                    f"{suggest(policy, spec.escalation_policies)}; the team's own applies",
                    "unknown-reference",
                    severity,
                )
            )
    return found
