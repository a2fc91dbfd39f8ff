"""Triage rules: from an alert and its impact to a severity P0–P3 and a routing.

Rules are data, not code. A rule matches alert labels with Alertmanager-style matchers
(``service="checkout"``, ``env!="staging"``, ``alertname=~"Checkout.*"``,
``team!~"infra|data"``; regexes are fully anchored, as in Alertmanager) and numeric
impact conditions (``affected_users_pct >= 25``). Strings are parsed here, once, so
a typo is reported with its line before anything runs.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from .units import Duration, Name

__all__ = [
    "IMPACT_FIELDS",
    "SEVERITIES",
    "UNKNOWN",
    "Condition",
    "Matcher",
    "Route",
    "Severity",
    "SeverityPolicy",
    "TriageRule",
    "TriageSpec",
]

Severity = Literal["P0", "P1", "P2", "P3"]
#: Most severe first; the index is the severity's rank.
SEVERITIES: tuple[Severity, ...] = ("P0", "P1", "P2", "P3")

#: Numeric facts about an incident that triage conditions may test.
IMPACT_FIELDS = (
    "affected_users_pct",  # share of users affected, 0..100
    "revenue_per_min",  # business cost of the outage per minute
    "tier",  # business tier of the most critical impacted service (1 = most critical)
    "services_impacted",  # number of services degraded or down
    "alert_count",  # alerts grouped into the incident so far
)

#: The ``missing:`` value that means "not known": the decision escalates one level.
UNKNOWN = "unknown"

_MATCHER = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$')
_CONDITION = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


def _parse_matcher(value: object) -> object:
    if not isinstance(value, str):
        return value
    match = _MATCHER.match(value)
    if not match:
        raise ValueError(
            f'matcher {value!r} is not of the form label="value" (operators =, !=, =~, !~; '
            f"value in double quotes)"
        )
    label, op, raw = match.groups()
    return {"label": label, "op": op, "value": raw.replace('\\"', '"')}


class Matcher(_Frozen):
    """One Alertmanager-style label matcher."""

    label: str
    op: Literal["=", "!=", "=~", "!~"]
    value: str

    @model_validator(mode="after")
    def _regex_compiles(self) -> Self:
        if self.op in ("=~", "!~"):
            try:
                re.compile(self.value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {self.value!r}: {exc}") from None
        return self

    def __str__(self) -> str:
        return f'{self.label}{self.op}"{self.value}"'


def _parse_condition(value: object) -> object:
    if not isinstance(value, str):
        return value
    match = _CONDITION.match(value)
    if not match:
        raise ValueError(
            f"condition {value!r} is not of the form '<field> <op> <number>' "
            f"(ops >=, >, <=, <, ==, !=; fields: {', '.join(IMPACT_FIELDS)})"
        )
    field, op, number = match.groups()
    return {"field": field, "op": op, "value": float(number)}


class Condition(_Frozen):
    """A numeric test on the incident's impact, e.g. ``affected_users_pct >= 25``."""

    field: Literal[
        "affected_users_pct", "revenue_per_min", "tier", "services_impacted", "alert_count"
    ]
    op: Literal[">=", ">", "<=", "<", "==", "!="]
    value: float

    def __str__(self) -> str:
        return f"{self.field} {self.op} {self.value:g}"


class Route(_Frozen):
    """Who gets the incident: a team and the escalation policy to page."""

    team: str = Field(default="sre", min_length=1, max_length=80)
    escalation: str = Field(default="default", min_length=1, max_length=80)


class TriageRule(_Frozen):
    """``matchers`` and ``when`` must all hold (AND); an empty list always holds."""

    name: Name
    matchers: list[
        Annotated[
            Matcher,
            BeforeValidator(
                _parse_matcher,
                json_schema_input_type=Annotated[str, Field(pattern=_MATCHER.pattern)] | Matcher,
            ),
        ]
    ] = Field(default_factory=list)
    when: list[
        Annotated[
            Condition,
            BeforeValidator(
                _parse_condition,
                json_schema_input_type=Annotated[str, Field(pattern=_CONDITION.pattern)]
                | Condition,
            ),
        ]
    ] = Field(default_factory=list)
    severity: Severity
    route: Route = Field(default_factory=Route)


class SeverityPolicy(_Frozen):
    """What a severity promises: SLAs, who is paged, how often stakeholders hear."""

    ack_sla: Duration
    mitigate_sla: Duration
    page: list[str] = Field(default_factory=lambda: ["primary"])
    update_every: Duration | None = None


def _default_severities() -> dict[Severity, SeverityPolicy]:
    return {
        "P0": SeverityPolicy(
            ack_sla=5, mitigate_sla=60, page=["primary", "secondary", "manager"], update_every=15
        ),
        "P1": SeverityPolicy(
            ack_sla=15, mitigate_sla=240, page=["primary", "secondary"], update_every=30
        ),
        "P2": SeverityPolicy(ack_sla=60, mitigate_sla=1440, page=["primary"], update_every=None),
        "P3": SeverityPolicy(ack_sla=1440, mitigate_sla=10080, page=[], update_every=None),
    }


class DefaultTriage(_Frozen):
    """Used when no rule matches."""

    severity: Severity = "P3"
    route: Route = Field(default_factory=Route)


class TriageSpec(_Frozen):
    """A triage rules file (or a scenario's inline ``triage:`` block).

    ``precedence: first_match`` takes the first rule, in file order, that matches;
    ``most_severe`` takes the most severe of all matching rules (ties: file order).
    Alerts whose ``group_by`` labels are equal join the same open incident.
    """

    kind: Literal["triage"] = "triage"
    precedence: Literal["first_match", "most_severe"] = "first_match"
    group_by: list[str] = Field(default_factory=lambda: ["service"], min_length=1)
    severities: dict[Severity, SeverityPolicy] = Field(default_factory=_default_severities)
    rules: list[TriageRule] = Field(default_factory=list, max_length=1000)
    default: DefaultTriage = Field(default_factory=DefaultTriage)
    #: What a label or impact field absent from an alert means: the value to use
    #: instead (a number for an impact field), or ``unknown``: the matchers read it as
    #: empty, as without an entry, and the decision escalates one severity level.
    #: Either way the explanation says so. Without an entry a missing label reads as
    #: the empty string (Alertmanager's rule) and an impact field as its default.
    missing: dict[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")], str] = Field(
        default_factory=dict, max_length=100
    )

    @model_validator(mode="after")
    def _complete_table(self) -> Self:
        missing = [s for s in SEVERITIES if s not in self.severities]
        if missing:
            raise ValueError(f"severities table lacks {', '.join(missing)}")
        return self

    @field_validator("missing")
    @classmethod
    def _numeric_impact_defaults(cls, missing: dict[str, str]) -> dict[str, str]:
        for name, value in missing.items():
            if name in IMPACT_FIELDS and value != UNKNOWN:
                try:
                    number = float(value)
                except ValueError:
                    number = math.nan
                if not math.isfinite(number):
                    raise ValueError(
                        f"{name} is an impact field: its default must be a number or "
                        f"'unknown', got {value!r}"
                    )
        return missing
