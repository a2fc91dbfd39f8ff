"""Runbooks: ordered steps with failure policies, as the executor runs them.

A runbook is a small program whose instructions are steps. Each step says how long it
takes and how often it fails when a human does it (``manual``) and when automation
does it (``automated``, only for ``automatable`` steps), what to do when it fails
(``on_failure``), and whether it needs an approval. The executor in
``sim.response`` runs the same file in the simulator, in training and in CI.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from .distributions import Distribution
from .fault_kinds import FAULT_KINDS, FaultKind
from .units import NAME_PATTERN, Duration, Name, Probability

__all__ = [
    "FAULT_KINDS",
    "ExecutionHint",
    "FaultKind",
    "OnFailure",
    "RunbookSpec",
    "StepSpec",
]

_ON_FAILURE = re.compile(r"^(retry|escalate|rollback|abort|goto:(?P<target>.+))$")


def _check_on_failure(value: str) -> str:
    # fullmatch: with re.match, "$" also matches before a trailing newline ("retry\n")
    match = _ON_FAILURE.fullmatch(value)
    if not match:
        raise ValueError(
            f"on_failure must be one of retry, escalate, rollback, abort or goto:<step-id>, "
            f"got {value!r}"
        )
    target = match.group("target")
    if target is not None and not re.fullmatch(NAME_PATTERN, target):
        raise ValueError(f"goto target {target!r} is not a valid step id")
    return value


#: ``retry | escalate | rollback | abort | goto:<step-id>``.
OnFailure = Annotated[str, AfterValidator(_check_on_failure)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class ExecutionHint(_Frozen):
    """How one attempt of a step behaves when a human or automation performs it."""

    duration: Distribution
    failure_probability: Probability = 0.0


class StepSpec(_Frozen):
    """One runbook step.

    On success the runbook continues with ``next`` (a later step's id, or ``end`` to
    finish), by default the following step. On failure it applies ``on_failure``.
    ``retries`` bounds both ``retry`` and a backward ``goto``: the step may fail at most
    ``retries`` times and still be tried again; one failure more and the runbook
    escalates. A forward ``goto`` (to a later step) is always taken. ``next`` may only
    point forward, so every success path ends; loops exist only through bounded gotos.
    """

    id: Name
    action: str = Field(min_length=1, max_length=2000)
    automatable: bool = False
    manual: ExecutionHint
    automated: ExecutionHint | None = None
    timeout: Duration | None = None
    retries: int = Field(default=0, ge=0, le=10)
    on_failure: OnFailure = "escalate"
    verify: str | None = Field(default=None, max_length=2000)
    requires_approval: bool = False
    mitigates: bool = False
    next: Annotated[str, StringConstraints(pattern=r"^(end|[a-z0-9][a-z0-9_.-]*)$")] | None = None

    @model_validator(mode="after")
    def _automation_hint(self) -> Self:
        if self.automated is not None and not self.automatable:
            raise ValueError(f"step {self.id!r} has 'automated' hints but automatable is false")
        if self.automatable and self.automated is None:
            raise ValueError(
                f"step {self.id!r} is automatable: say how automation performs it "
                f"('automated: {{duration: ..., failure_probability: ...}}')"
            )
        return self

    @property
    def goto_target(self) -> str | None:
        """The step id of a ``goto:<id>`` policy, else None."""
        if self.on_failure.startswith("goto:"):
            return self.on_failure.removeprefix("goto:")
        return None

    @property
    def policy(self) -> str:
        """The policy without its argument: retry, goto, escalate, rollback or abort."""
        return self.on_failure.split(":", 1)[0]


class RunbookSpec(_Frozen):
    """A runbook file.

    ``rollback`` lists the steps run, in order, when a step fails with
    ``on_failure: rollback``. The step marked ``mitigates`` (by default the last one) is
    the one whose success ends user impact when the runbook fits the fault.
    """

    kind: Literal["runbook"] = "runbook"
    id: Name
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    fixes: list[FaultKind] = Field(min_length=1)
    steps: list[StepSpec] = Field(min_length=1, max_length=100)
    rollback: list[StepSpec] = Field(default_factory=list, max_length=50)

    @property
    def mitigating_step(self) -> str:
        """Id of the step whose success restores service."""
        for step in self.steps:
            if step.mitigates:
                return step.id
        return self.steps[-1].id

    def step(self, step_id: str) -> StepSpec:
        """The step (main or rollback) with this id; KeyError if none."""
        for step in (*self.steps, *self.rollback):
            if step.id == step_id:
                return step
        raise KeyError(step_id)
