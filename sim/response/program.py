"""A runbook compiled for execution, and the bound that makes execution terminate.

:func:`compile_runbook` runs once per runbook (not once per incident): it resolves step
ids to positions, ``on_failure`` strings to small ints and derives ``max_requests``,
the most step requests any run of the runbook can make, whatever the outcomes and
whichever steps are automated. The executor (:mod:`sim.response.executor`) relies on it.

Termination bound
-----------------
Within a run, between two backward gotos, the position only moves forward, so each
step is *visited* at most ``1 + B(j)`` times, where ``B(j)`` sums ``retries`` over the
backward gotos that land at or before step ``j`` (each is taken at most ``retries``
times). A visit ends with one manual outcome that leaves the step, plus at most
``retries`` in-place repeats over the whole run for ``retry`` (and self-``goto``) steps.
Each such outcome costs at most 2 requests if the step is automatable (automated +
manual fallback), else 1. Hence::

    max_requests = sum_j w_j * (1 + B(j) + R(j))  +  [some step rolls back] * sum_k w_k

with ``w = 2`` for automatable steps (1 otherwise), ``R(j)`` = ``retries`` of an in-place
step (else 0), ``k`` over rollback steps. It never exceeds
``2 * (1 + sum(retries)) * len(steps) + 2 * len(rollback)``. :func:`compile_runbook`
rejects what would break the argument (unknown targets, ``next`` not pointing forward).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sim.spec.runbook import RunbookSpec, StepSpec

__all__ = [
    "ABORT",
    "ESCALATE",
    "GOTO_BACK",
    "GOTO_FORWARD",
    "POLICY_NAMES",
    "RETRY",
    "ROLLBACK",
    "RunbookProgram",
    "compile_runbook",
    "select_automated",
]

# on_failure compiled to small ints for the hot path
RETRY, GOTO_FORWARD, GOTO_BACK, ESCALATE, ROLLBACK, ABORT = range(6)
POLICY_NAMES = ("retry", "goto", "goto", "escalate", "rollback", "abort")
_SIMPLE = {"retry": RETRY, "escalate": ESCALATE, "rollback": ROLLBACK, "abort": ABORT}


@dataclass(frozen=True, slots=True)
class RunbookProgram:
    """A runbook compiled for execution: indices resolved, the request bound derived."""

    spec: RunbookSpec
    steps: tuple[StepSpec, ...]
    rollback: tuple[StepSpec, ...]
    index: Mapping[str, int]
    success_next: tuple[int, ...]  # position after a success; len(steps) = completed
    policy: tuple[int, ...]
    target: tuple[int, ...]  # goto target position, else -1
    retries: tuple[int, ...]
    mitigating: int
    automatable: tuple[str, ...]  # ids in step order, main then rollback
    automatable_ids: frozenset[str]
    max_requests: int


def compile_runbook(spec: RunbookSpec) -> RunbookProgram:
    """Resolve ids to positions and derive ``max_requests`` (see module docstring).

    Raises ValueError for duplicate ids, unknown ``goto``/``next`` targets and a
    ``next`` that does not point forward — the loader reports these with line numbers;
    this check keeps termination true even for specs built in code.
    """
    steps, rollback = tuple(spec.steps), tuple(spec.rollback)
    ids = [s.id for s in (*steps, *rollback)]
    if len(set(ids)) != len(ids):
        raise ValueError(f"runbook {spec.id}: step ids are not unique: {ids}")
    index = {s.id: i for i, s in enumerate(steps)}
    n = len(steps)
    success_next, policy, target = [], [], []
    for i, step in enumerate(steps):
        nxt = i + 1 if step.next is None else n if step.next == "end" else index.get(step.next)
        if nxt is None or nxt <= i:
            raise ValueError(
                f"runbook {spec.id}: step {step.id!r} has next {step.next!r}, "
                f"which is not a later step or 'end'"
            )
        success_next.append(nxt)
        goto = step.goto_target
        if goto is not None and goto not in index:
            raise ValueError(f"runbook {spec.id}: step {step.id!r} goes to unknown step {goto!r}")
        j = index[goto] if goto is not None else -1
        if goto is None:
            if step.policy not in _SIMPLE:
                raise ValueError(f"runbook {spec.id}: step {step.id!r} has no known on_failure")
            code = _SIMPLE[step.policy]
        elif j > i:
            code = GOTO_FORWARD
        else:  # a goto to the step itself is a retry by another name
            code = RETRY if j == i else GOTO_BACK
        policy.append(code)
        target.append(i if code == RETRY else j)

    def weight(step: StepSpec) -> int:
        return 2 if step.automatable else 1

    bound = 0
    for j, step in enumerate(steps):
        back = sum(
            s.retries for i, s in enumerate(steps) if policy[i] == GOTO_BACK and target[i] <= j
        )
        in_place = step.retries if policy[j] == RETRY else 0
        bound += weight(step) * (1 + back + in_place)
    if ROLLBACK in policy:
        bound += sum(weight(s) for s in rollback)
    automatable = tuple(s.id for s in (*steps, *rollback) if s.automatable)
    return RunbookProgram(
        spec=spec,
        steps=steps,
        rollback=rollback,
        index=MappingProxyType(index),
        success_next=tuple(success_next),
        policy=tuple(policy),
        target=tuple(target),
        retries=tuple(s.retries for s in steps),
        mitigating=index[spec.mitigating_step],
        automatable=automatable,
        automatable_ids=frozenset(automatable),
        max_requests=bound,
    )


def select_automated(spec: RunbookSpec | RunbookProgram, coverage: float) -> frozenset[str]:
    """The automatable steps that automation performs at ``coverage`` (0..1).

    Automatable steps are ranked by the time automation saves (mean manual duration
    minus mean automated duration, largest first; ties in step order, main steps before
    rollback steps): teams automate first where it pays most. The i-th of n ranked steps
    (0-based) is automated iff ``(i + 0.5) / n < coverage`` — deterministic, and
    monotone: raising coverage never un-automates a step.
    """
    if not 0.0 <= coverage <= 1.0:
        raise ValueError(f"coverage must be within 0..1, got {coverage}")
    runbook = spec if isinstance(spec, RunbookSpec) else spec.spec
    steps = [s for s in (*runbook.steps, *runbook.rollback) if s.automatable]

    def saving(step: StepSpec) -> float:
        auto = step.automated.duration.mean if step.automated is not None else 0.0
        return step.manual.duration.mean - auto

    ranked = sorted(range(len(steps)), key=lambda i: (-saving(steps[i]), i))
    n = len(steps)
    return frozenset(steps[i].id for rank, i in enumerate(ranked) if (rank + 0.5) / n < coverage)
