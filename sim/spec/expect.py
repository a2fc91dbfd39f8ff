"""Expectations a scenario makes about its own outcomes, checked by ``gameday test``.

Each entry of a scenario's ``expect:`` list is one of::

    - {metric: mttr.p90, max: 60m, strategy: full}     # a bound on a metric
    - {check: all_resolved}                            # every incident reaches Resolved
    - {check: lifecycle_legal}                         # no illegal transition in audit logs
    - {check: fixed_by, fault: crash, runbook: restart-service}
    - {check: triages_to, alert: checkout-errors, severity: P1}
    - {check: max_wait, max: 30m}                      # nobody waits longer for a responder

Only the schema lives here; evaluation (over replications, with a stated statistical
rule) belongs to ``sim.testing``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from .runbook import FaultKind
from .triage import Severity
from .units import Duration, Name

__all__ = [
    "CheckExpectation",
    "Expectation",
    "FixedByExpectation",
    "MaxWaitExpectation",
    "MetricExpectation",
    "TriagesToExpectation",
]

#: Metrics an expectation may bound (durations in minutes, rates in 0..1).
MetricName = Literal[
    "mttr.mean",
    "mttr.median",
    "mttr.p90",
    "ttd.mean",
    "ttd.p90",
    "tta.mean",
    "tta.p90",
    "error_rate",
    "cost.mean",
    "human_minutes.mean",
]


class _Expectation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    strategy: Name | None = None
    name: str | None = Field(default=None, max_length=200)


class MetricExpectation(_Expectation):
    """A bound on a metric. Durations accept units; rates and costs are plain numbers."""

    metric: MetricName
    max: Annotated[float, Field(ge=0)] | Duration | None = None
    min: Annotated[float, Field(ge=0)] | Duration | None = None

    @model_validator(mode="after")
    def _has_bound(self) -> Self:
        if self.max is None and self.min is None:
            raise ValueError(f"expectation on {self.metric} needs 'max' or 'min'")
        if self.max is not None and self.min is not None and self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g})")
        if self.metric == "error_rate":
            for bound in (self.max, self.min):
                if bound is not None and bound > 1:
                    raise ValueError(f"error_rate is a rate in 0..1, got bound {bound:g}")
        return self


class CheckExpectation(_Expectation):
    """A yes/no property of every replication."""

    check: Literal["all_resolved", "lifecycle_legal"]


class FixedByExpectation(_Expectation):
    """Incidents of fault kind ``fault`` are mitigated by runbook ``runbook``."""

    check: Literal["fixed_by"]
    fault: FaultKind
    runbook: Name


class TriagesToExpectation(_Expectation):
    """Alerts from alert rule ``alert`` triage to ``severity``."""

    check: Literal["triages_to"]
    alert: Name
    severity: Severity


class MaxWaitExpectation(_Expectation):
    """No incident waits longer than ``max`` for a free responder."""

    check: Literal["max_wait"]
    max: Duration


def _expectation_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        if "metric" in value:
            return "metric"
        check = value.get("check")
        if check in ("all_resolved", "lifecycle_legal"):
            return "simple"
        return check if isinstance(check, str) else None
    if isinstance(value, MetricExpectation):
        return "metric"
    if isinstance(value, CheckExpectation):
        return "simple"
    return getattr(value, "check", None)


#: One entry of ``expect:``, chosen by its ``metric`` or ``check`` key.
Expectation = Annotated[
    Annotated[MetricExpectation, Tag("metric")]
    | Annotated[CheckExpectation, Tag("simple")]
    | Annotated[FixedByExpectation, Tag("fixed_by")]
    | Annotated[TriagesToExpectation, Tag("triages_to")]
    | Annotated[MaxWaitExpectation, Tag("max_wait")],
    Discriminator(
        _expectation_tag,
        custom_error_type="expectation_kind",
        custom_error_message=(
            "an expectation needs 'metric: <name>' or 'check: all_resolved | lifecycle_legal "
            "| fixed_by | triages_to | max_wait'"
        ),
    ),
]
