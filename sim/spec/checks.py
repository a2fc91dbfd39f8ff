"""Cross-checks that a single field cannot express: references, graphs, bounds.

They run after the models parsed, on frozen objects, and return *findings* addressed
by the YAML path of the offending value, so the loader can turn them into
``file:line:col`` diagnostics. Every check reports all it finds; none stops early.
"""

from __future__ import annotations

from collections.abc import Sequence

from .checks_people import check_responders
from .checks_teams import check_teams
from .findings import Finding, Path, suggest
from .runbook import RunbookSpec, StepSpec
from .scenario import ScenarioSpec
from .triage import TriageSpec

__all__ = ["Finding", "check_runbook", "check_scenario", "check_triage", "suggest"]


# --------------------------------------------------------------------------- runbooks


def check_runbook(spec: RunbookSpec, prefix: Path = ()) -> list[Finding]:
    """Ids unique, references resolve, every step reachable, every loop bounded."""
    found: list[Finding] = []
    main_ids = [s.id for s in spec.steps]
    index = {sid: i for i, sid in enumerate(main_ids)}

    seen: dict[str, Path] = {}
    for part, steps in (("steps", spec.steps), ("rollback", spec.rollback)):
        for i, step in enumerate(steps):
            where = (*prefix, part, i, "id")
            if step.id in seen:
                found.append(
                    Finding(
                        where, f"step id {step.id!r} is used twice in one runbook", "duplicate-id"
                    )
                )
            seen.setdefault(step.id, where)

    for i, step in enumerate(spec.steps):
        found.extend(_check_step_edges(step, i, index, bool(spec.rollback), (*prefix, "steps", i)))
    for i, step in enumerate(spec.rollback):
        if step.policy not in ("escalate", "abort") or step.next is not None:
            found.append(
                Finding(
                    (*prefix, "rollback", i, "on_failure"),
                    f"rollback step {step.id!r} runs once, in order: its on_failure "
                    f"{step.on_failure!r} and next are ignored (a failing rollback escalates)",
                    "rollback-policy",
                    "warning",
                )
            )

    for i in sorted(set(range(len(spec.steps))) - _reachable(spec.steps, index)):
        found.append(
            Finding(
                (*prefix, "steps", i, "id"),
                f"step {spec.steps[i].id!r} can never run: no step leads to it "
                f"(check the 'next' and 'goto' of the steps before it)",
                "unreachable-step",
            )
        )
    mitigating = [s.id for s in spec.steps if s.mitigates]
    if len(mitigating) > 1:
        found.append(
            Finding(
                (*prefix, "steps"),
                f"only one step may be marked mitigates, found {', '.join(mitigating)}",
                "mitigates",
            )
        )
    return found


def _check_step_edges(
    step: StepSpec, i: int, index: dict[str, int], has_rollback: bool, where: Path
) -> list[Finding]:
    found: list[Finding] = []
    target = step.goto_target
    if target is not None:
        if target not in index:
            found.append(
                Finding(
                    (*where, "on_failure"),
                    f"goto target {target!r} is not a step of this runbook{suggest(target, index)}",
                    "unknown-reference",
                )
            )
        elif index[target] <= i and step.retries == 0:
            found.append(
                Finding(
                    (*where, "on_failure"),
                    f"'goto:{target}' jumps back to an earlier step and forms a loop; "
                    f"set retries (1..10) on step {step.id!r} to bound how often it is taken",
                    "unbounded-loop",
                )
            )
    if step.policy == "rollback" and not has_rollback:
        found.append(
            Finding(
                (*where, "on_failure"),
                "on_failure is rollback but the runbook declares no 'rollback' steps",
                "missing-rollback",
            )
        )
    if step.next is not None and step.next != "end":
        if step.next not in index:
            found.append(
                Finding(
                    (*where, "next"),
                    f"next step {step.next!r} is not a step of this runbook"
                    f"{suggest(step.next, index)}",
                    "unknown-reference",
                )
            )
        elif index[step.next] <= i:
            found.append(
                Finding(
                    (*where, "next"),
                    f"next: {step.next} goes back to an earlier step, so success would loop "
                    f"forever; 'next' may only point forward (loop with a bounded goto)",
                    "unbounded-loop",
                )
            )
    return found


def _reachable(steps: Sequence[StepSpec], index: dict[str, int]) -> set[int]:
    seen: set[int] = set()
    todo = [0]
    while todo:
        i = todo.pop()
        if i in seen or i >= len(steps):
            continue
        seen.add(i)
        step = steps[i]
        if step.next is None:
            todo.append(i + 1)
        elif step.next in index:
            todo.append(index[step.next])
        target = step.goto_target
        if target in index:
            todo.append(index[target])
    return seen


# --------------------------------------------------------------------------- triage


def check_triage(spec: TriageSpec, prefix: Path = ()) -> list[Finding]:
    found: list[Finding] = []
    seen: set[str] = set()
    for i, rule in enumerate(spec.rules):
        if rule.name in seen:
            found.append(
                Finding(
                    (*prefix, "rules", i, "name"),
                    f"rule name {rule.name!r} is used twice",
                    "duplicate-id",
                )
            )
        seen.add(rule.name)
    return found


# --------------------------------------------------------------------------- scenarios


def check_scenario(spec: ScenarioSpec, *, shared_triage: bool = False) -> list[Finding]:
    """Checks across the scenario and its resolved runbooks and triage rules
    (``shared_triage``: the rules came from a file of their own, see ``check_responders``)."""
    found: list[Finding] = []
    services = spec.services
    for name, svc in services.items():
        for dep in svc.depends_on:
            if dep not in services:
                found.append(
                    Finding(
                        ("services", name, "depends_on", dep),
                        f"service {name!r} depends on unknown service {dep!r}"
                        f"{suggest(dep, services)}",
                        "unknown-reference",
                        at_key=True,
                    )
                )
            elif dep == name:
                found.append(
                    Finding(
                        ("services", name, "depends_on", dep),
                        f"service {name!r} depends on itself",
                        "dependency-cycle",
                        at_key=True,
                    )
                )
    found.extend(_cycles(spec))

    runbooks = spec.runbook_index
    for name, fault in spec.faults.items():
        if fault.target not in services:
            found.append(
                Finding(
                    ("faults", name, "target"),
                    f"fault {name!r} targets unknown service {fault.target!r}"
                    f"{suggest(fault.target, services)}",
                    "unknown-reference",
                )
            )
        for i, rb in enumerate(fault.runbooks or ()):
            if rb not in runbooks:
                found.append(
                    Finding(
                        ("faults", name, "runbooks", i),
                        f"unknown runbook {rb!r}{suggest(rb, runbooks)}",
                        "unknown-reference",
                    )
                )
            elif fault.kind not in runbooks[rb].fixes:
                found.append(
                    Finding(
                        ("faults", name, "runbooks", i),
                        f"runbook {rb!r} does not fix {fault.kind!r} faults "
                        f"(it fixes {', '.join(runbooks[rb].fixes)})",
                        "runbook-mismatch",
                    )
                )
        if fault.runbooks is None and not any(fault.kind in r.fixes for r in runbooks.values()):
            found.append(
                Finding(
                    ("faults", name, "kind"),
                    f"no runbook fixes {fault.kind!r} faults: incidents of fault {name!r} can "
                    f"only end by escalation or self-healing",
                    "unfixable-fault",
                    "warning",
                )
            )
        for i, t in enumerate(fault.at):
            if t >= spec.horizon:
                found.append(
                    Finding(
                        ("faults", name, "at", i),
                        f"injection at {t:g} min is beyond the horizon ({spec.horizon:g} min) "
                        f"and never happens",
                        "beyond-horizon",
                        "warning",
                    )
                )

    for name, rule in spec.alert_rules.items():
        if rule.service is not None and rule.service not in services:
            found.append(
                Finding(
                    ("alert_rules", name, "service"),
                    f"alert rule {name!r} watches unknown service {rule.service!r}"
                    f"{suggest(rule.service, services)}",
                    "unknown-reference",
                )
            )
    found.extend(check_responders(spec, shared_triage=shared_triage))
    found.extend(check_teams(spec, shared_triage=shared_triage))
    found.extend(_check_expectations(spec))
    return found


def _cycles(spec: ScenarioSpec) -> list[Finding]:
    """Report each dependency cycle once, as a path, at the edge that closes it.

    A depth-first search with its own stack: a chain of thousands of services must not
    reach Python's recursion limit.
    """
    found: list[Finding] = []
    state: dict[str, int] = {}  # 1 = on the DFS path, 2 = done
    path: list[str] = []
    for root in spec.services:
        if root in state:
            continue
        state[root] = 1
        path.append(root)
        todo = [iter(spec.services[root].depends_on)]
        while todo:
            node = path[-1]
            dep = next(todo[-1], None)
            if dep is None:
                todo.pop()
                state[path.pop()] = 2
            elif dep not in spec.services or dep == node:
                continue
            elif state.get(dep) == 1:
                cycle = [*path[path.index(dep) :], dep]
                found.append(
                    Finding(
                        ("services", node, "depends_on", dep),
                        f"dependency cycle: {' -> '.join(cycle)}",
                        "dependency-cycle",
                        at_key=True,
                    )
                )
            elif dep not in state:
                state[dep] = 1
                path.append(dep)
                todo.append(iter(spec.services[dep].depends_on))
    return found


def _check_expectations(spec: ScenarioSpec) -> list[Finding]:
    found: list[Finding] = []
    for i, exp in enumerate(spec.expect):
        if exp.strategy is not None and exp.strategy not in spec.strategies:
            found.append(
                Finding(
                    ("expect", i, "strategy"),
                    f"unknown strategy {exp.strategy!r}{suggest(exp.strategy, spec.strategies)}",
                    "unknown-reference",
                )
            )
        runbook = getattr(exp, "runbook", None)
        if runbook is not None:
            rb = spec.runbook_index.get(runbook)
            if rb is None:
                found.append(
                    Finding(
                        ("expect", i, "runbook"),
                        f"unknown runbook {runbook!r}{suggest(runbook, spec.runbook_index)}",
                        "unknown-reference",
                    )
                )
            elif getattr(exp, "fault", None) not in rb.fixes:
                found.append(
                    Finding(
                        ("expect", i, "fault"),
                        f"runbook {runbook!r} does not declare that it fixes "
                        f"{getattr(exp, 'fault', None)!r}",
                        "runbook-mismatch",
                    )
                )
        alert = getattr(exp, "alert", None)
        if alert is not None and alert not in spec.alert_rules:
            found.append(
                Finding(
                    ("expect", i, "alert"),
                    f"unknown alert rule {alert!r}{suggest(alert, spec.alert_rules)}",
                    "unknown-reference",
                )
            )
    return found
