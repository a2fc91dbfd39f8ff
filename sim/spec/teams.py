"""Teams, on-call schedules, escalation policies and post-incident reviews.

A scenario without ``teams:`` has one implicit team, the whole roster, paged through
``responders.escalation`` as before. With ``teams:``, every person of the roster is
placed in the teams that name them (``members``: a roster ``name`` or a role, meaning
everyone of that role), triage's route picks the team and the escalation policy, and
only people paged for an incident are ever assigned to it.

Escalation policies follow PagerDuty's model: ordered ``levels``, each with
``targets`` (team names: whoever that team's schedule has on call; or person names)
and a ``timeout`` in minutes after which an unacknowledged page goes to the next
level; after the last level the policy starts again ``repeat`` more times.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .clock import Weekday
from .distributions import Distribution, Fixed
from .triage import Severity
from .units import Duration, Name, PositiveDuration, Probability

__all__ = [
    "AlwaysOnCall",
    "BusinessHours",
    "EscalationPolicySpec",
    "FollowTheSun",
    "PolicyLevel",
    "ReviewSpec",
    "Schedule",
    "TeamSpec",
    "WeeklyRotation",
    "Zone",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


Hour = Annotated[int, Field(ge=0, le=24)]


class AlwaysOnCall(_Frozen):
    """Every member is on call all the time (the team is one pool)."""

    kind: Literal["always"] = "always"


class WeeklyRotation(_Frozen):
    """Members take turns in the order listed: ``on_call`` of them at a time, handing
    over every ``every`` (default one week), the first handover ``handoff`` minutes
    after the start of the run."""

    kind: Literal["weekly"]
    every: PositiveDuration = 10080.0
    handoff: Duration = 0.0
    on_call: int = Field(default=1, ge=1, le=100)


class Zone(_Frozen):
    """Members working in one time zone, ``utc_offset`` hours from the scenario's clock."""

    members: list[Name] = Field(min_length=1, max_length=1000)
    utc_offset: float = Field(ge=-12, le=14)


class FollowTheSun(_Frozen):
    """Each zone's members are on call during their local working ``hours``
    ([start, end) local hours, every day)."""

    kind: Literal["follow_the_sun"]
    zones: list[Zone] = Field(min_length=1, max_length=24)
    hours: tuple[Hour, Hour] = (9, 17)


def _weekdays() -> list[Weekday]:
    return ["Mon", "Tue", "Wed", "Thu", "Fri"]


class BusinessHours(_Frozen):
    """Members are on call during ``hours`` (local to the scenario's clock) on ``days``;
    outside them nobody of the team is: a page waits until business hours, or
    escalates to a level whose targets are on call."""

    kind: Literal["business_hours"]
    hours: tuple[Hour, Hour] = (9, 17)
    days: list[Weekday] = Field(default_factory=_weekdays, min_length=1, max_length=7)


Schedule = Annotated[
    AlwaysOnCall | WeeklyRotation | FollowTheSun | BusinessHours, Field(discriminator="kind")
]


class TeamSpec(_Frozen):
    """A team: its members (roster ``name``s or roles), who of them is on call when
    (``schedule``), and the escalation policy its pages follow when triage's route
    names none of its own (``escalation``; default: page the on-call, no escalation)."""

    members: list[Name] = Field(min_length=1, max_length=1000)
    schedule: Schedule = Field(default_factory=AlwaysOnCall)
    escalation: Name | None = None
    description: str = ""


class PolicyLevel(_Frozen):
    """Page ``targets`` (team names: their on-call; or person names); if nobody has
    acknowledged after ``timeout`` minutes, the page escalates to the next level."""

    targets: list[Name] = Field(min_length=1, max_length=20)
    timeout: PositiveDuration = 30.0


class EscalationPolicySpec(_Frozen):
    """Levels paged in turn; after the last, start again ``repeat`` more times (the last
    level of the last round always answers in the end)."""

    levels: list[PolicyLevel] = Field(min_length=1, max_length=10)
    repeat: int = Field(default=0, ge=0, le=9)
    description: str = ""


def _default_review_time() -> dict[Severity, Distribution]:
    return {"P0": Fixed(value=240.0), "P1": Fixed(value=120.0)}


class ReviewSpec(_Frozen):
    """Post-incident reviews as work, for the strategies with ``reviews: true``.

    Whether an incident needs a review is the lifecycle's rule (P0/P1); ``time`` is
    what one takes of the person who held the incident, by severity (a severity not
    listed takes ``default_time``). The review waits for that person like incident
    work does. Each review's action items cut the rate of the same fault kind on the
    same service by ``effectiveness`` (multiplicatively), ``delay`` after the review
    ends, but never below ``floor`` times the original rate.
    """

    time: dict[Severity, Distribution] = Field(default_factory=_default_review_time)
    default_time: Distribution = Field(default_factory=lambda: Fixed(value=60.0))
    effectiveness: Probability = 0.2
    delay: Duration = 10080.0
    floor: Probability = 0.25

    @model_validator(mode="after")
    def _some_effect_possible(self) -> Self:
        if self.effectiveness > 0 and self.floor >= 1:
            raise ValueError("floor 1 means action items never change a rate: lower it")
        return self
