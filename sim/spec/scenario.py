"""Scenarios: the system, its faults, its monitoring, its people and the strategies.

A scenario is the unit a user runs, compares and tests. After loading, its
``runbooks`` and ``triage`` are *resolved*: file references are replaced by the
parsed documents, so a loaded ``ScenarioSpec`` is self-contained (it can be hashed,
pickled to another process and run there without touching the filesystem).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from .clock import Weekday, format_clock
from .distributions import Distribution, Fixed, LogNormal
from .expect import Expectation
from .limits import MAX_SERVICES, MAX_STRATEGIES, MAX_TEAMS
from .runbook import FaultKind, RunbookSpec
from .teams import EscalationPolicySpec, ReviewSpec, TeamSpec
from .training import TrainingSpec
from .triage import TriageSpec
from .units import Duration, Name, PositiveDuration, Probability

__all__ = [
    "SIGNALS",
    "AlertRuleSpec",
    "EscalationLevel",
    "EscalationSpec",
    "FatigueSpec",
    "FaultSpec",
    "NightSpec",
    "RespondersSpec",
    "RosterEntry",
    "ScenarioSpec",
    "ServiceSpec",
    "Signal",
    "StrategySpec",
]

Signal = Literal["availability", "error_rate", "latency_ms", "saturation"]
SIGNALS: tuple[Signal, ...] = ("availability", "error_rate", "latency_ms", "saturation")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


def _list_means_hard(value: object) -> object:
    """``depends_on: [db, cache]`` is shorthand for hard dependencies."""
    if isinstance(value, list):
        try:
            return dict.fromkeys(value, "hard")
        except TypeError:  # a list or mapping among the names; pydantic lets TypeError out
            raise ValueError(
                "expected a list of service names or a mapping of name to hard/soft"
            ) from None
    return value


class ServiceSpec(_Frozen):
    """A service. ``traffic_share`` > 0 makes it user-facing: the share of all users
    who depend on it. ``degraded_impact`` is the share of those users affected while
    it is degraded rather than down."""

    tier: int = Field(default=3, ge=1, le=4)
    team: str | None = None
    traffic_share: Probability = 0.0
    cost_per_minute: float = Field(default=0.0, ge=0)
    degraded_impact: Probability = 0.3
    depends_on: Annotated[
        dict[Name, Literal["hard", "soft"]],
        BeforeValidator(
            _list_means_hard,
            json_schema_input_type=list[Name] | dict[Name, Literal["hard", "soft"]],
        ),
    ] = Field(default_factory=dict)


class FaultSpec(_Frozen):
    """A fault that can happen to ``target``.

    It arrives stochastically (``tbf``: time between failures), at scheduled times
    (``at``: game-day injections), or both. ``interval_from`` says where ``tbf`` is
    measured from: ``onset`` (default) from the previous onset, a renewal process that
    does not depend on the response; ``recovery`` from the moment the previous
    occurrence stopped affecting users (the next one cannot start while it lasts).
    While active it sets the target's ``signals``; only ``runbooks`` fix it (default:
    every runbook whose ``fixes`` lists the kind). ``self_heal`` makes it transient.
    """

    kind: FaultKind
    target: Name
    effect: Literal["down", "degraded"] | None = None
    tbf: Distribution | None = None
    interval_from: Literal["onset", "recovery"] = "onset"
    at: list[Duration] = Field(default_factory=list, max_length=10_000)
    signals: dict[Signal, float] = Field(default_factory=dict)
    runbooks: list[Name] | None = None
    self_heal: Distribution | None = None

    @field_validator("signals")
    @classmethod
    def _signals_in_range(cls, signals: dict[Signal, float]) -> dict[Signal, float]:
        for name, value in signals.items():
            if name == "latency_ms":
                if value < 0:
                    raise ValueError(f"latency_ms must not be negative, got {value:g}")
            elif not 0 <= value <= 1:
                raise ValueError(f"{name} is a fraction between 0 and 1, got {value:g}")
        return signals

    @model_validator(mode="after")
    def _arrives(self) -> Self:
        if self.tbf is None and not self.at:
            raise ValueError(
                "a fault needs 'tbf' (time between failures) or 'at' (injection times)"
            )
        if self.interval_from == "recovery" and (self.at or self.tbf is None):
            raise ValueError(
                "interval_from: recovery renews from the end of each occurrence: it needs "
                "'tbf' and takes no 'at' (write the injections as a fault of their own)"
            )
        return self


class AlertRuleSpec(_Frozen):
    """Fires when ``signal op threshold`` has held for ``for`` at evaluation times every
    ``interval``; the page reaches people ``detection_delay`` later. ``noise_per_day``
    adds false-positive alerts (per service the rule watches) that still cost a look."""

    service: Name | None = None
    signal: Signal
    op: Literal[">", ">=", "<", "<="] = ">"
    threshold: float
    for_: Duration = Field(default=0.0, alias="for")
    interval: PositiveDuration = 1.0
    detection_delay: Distribution = Field(default_factory=lambda: Fixed(value=0.0))
    noise_per_day: float = Field(default=0.0, ge=0, le=1000)
    labels: dict[str, str] = Field(default_factory=dict)

    model_config = ConfigDict(
        frozen=True, extra="forbid", allow_inf_nan=False, populate_by_name=True
    )


class RosterEntry(_Frozen):
    """``count`` people of one ``role`` and ``skill`` (1 = nominal; 2 = twice as fast and
    half as error-prone on manual steps)."""

    name: Name | None = None
    role: Name
    count: int = Field(default=1, ge=1, le=1000)
    skill: float = Field(default=1.0, gt=0, le=5)


class EscalationLevel(_Frozen):
    role: Name
    after: Duration = 15.0


class EscalationSpec(_Frozen):
    """Page ``levels[0]``; if nobody acknowledges within ``after`` page the next level;
    after the last level start again, ``loops`` times more."""

    levels: list[EscalationLevel] = Field(min_length=1, max_length=10)
    loops: int = Field(default=1, ge=0, le=10)


class NightSpec(_Frozen):
    """Between ``start_hour`` and ``end_hour`` (simulated local time) people are slower."""

    start_hour: int = Field(default=22, ge=0, le=23)
    end_hour: int = Field(default=7, ge=0, le=23)
    factor: float = Field(default=1.5, ge=1, le=10)


class FatigueSpec(_Frozen):
    """Each page in the last ``window`` raises a person's error probability."""

    window: PositiveDuration = 480.0
    error_per_page: Probability = 0.01
    max_extra: Probability = 0.2


def _default_ack() -> Distribution:
    return LogNormal(median=3.0, p90=15.0)


class RespondersSpec(_Frozen):
    """The on-call people and how they behave.

    Times are per person at skill 1 in daytime. ``wrong_runbook_probability`` is the
    chance that diagnosis picks a runbook that does not fit the fault. After
    ``max_attempts`` runbook attempts that did not mitigate, the incident goes to
    specialists, who fix it in ``expert_fix_time``.
    """

    roster: list[RosterEntry] = Field(min_length=1, max_length=100)
    escalation: EscalationSpec | None = None
    ack_time: Distribution = Field(default_factory=_default_ack)
    triage_time: Distribution = Field(default_factory=lambda: Fixed(value=5.0))
    diagnosis_time: Distribution = Field(default_factory=lambda: LogNormal(median=15.0, p90=60.0))
    wrong_runbook_probability: Probability = 0.1
    approval_time: Distribution = Field(default_factory=lambda: Fixed(value=5.0))
    noise_handling_time: Distribution = Field(default_factory=lambda: Fixed(value=5.0))
    expert_fix_time: Distribution = Field(
        default_factory=lambda: LogNormal(median=120.0, p90=480.0)
    )
    max_attempts: int = Field(default=3, ge=1, le=10)
    night: NightSpec | None = None
    fatigue: FatigueSpec | None = None

    @property
    def size(self) -> int:
        return sum(entry.count for entry in self.roster)

    def people(self) -> list[tuple[str, RosterEntry]]:
        """Every person of the roster, in roster order, with the name logs use: the
        entry's ``name``, else its role (numbered ``role-1``.. when ``count`` > 1); a
        name taken twice gets ``#2``, ``#3``.. so names stay unique."""
        people: list[tuple[str, RosterEntry]] = []
        seen: dict[str, int] = {}
        for entry in self.roster:
            for k in range(entry.count):
                name = entry.name or (f"{entry.role}-{k + 1}" if entry.count > 1 else entry.role)
                seen[name] = seen.get(name, 0) + 1
                if seen[name] > 1:
                    name = f"{name}#{seen[name]}"
                people.append((name, entry))
        return people


class StrategySpec(_Frozen):
    """How much of the response is automated.

    ``automation_coverage``: share of automatable steps run by automation (in step
    order); ``auto_triage``: triage needs no human time; ``auto_remediation``: an alert
    starts the runbook with no human; ``assist``: 0..1 reduction of diagnosis time and
    of the chance of choosing the wrong runbook; ``reviews``: the post-incident reviews
    of the scenario's ``reviews:`` are held (no effect when the scenario has none).
    """

    description: str = ""
    automation_coverage: Probability = 0.0
    auto_triage: bool = False
    auto_remediation: bool = False
    assist: Probability = 0.0
    reviews: bool = True


class ScenarioSpec(_Frozen):
    kind: Literal["scenario"] = "scenario"
    name: Name
    description: str = ""
    horizon: PositiveDuration
    start_hour: int = Field(default=9, ge=0, le=23)
    start_day: Weekday = "Mon"
    #: What ``cost_per_minute`` is counted in (``USD``, ``EUR``): names costs on every face.
    currency: str = Field(default="", max_length=12)
    runbooks: list[str | RunbookSpec] = Field(default_factory=list)
    triage: str | TriageSpec = Field(default_factory=TriageSpec)
    services: dict[Name, ServiceSpec] = Field(min_length=1, max_length=MAX_SERVICES)
    faults: dict[Name, FaultSpec] = Field(min_length=1)
    alert_rules: dict[Name, AlertRuleSpec] = Field(min_length=1)
    responders: RespondersSpec
    #: Teams of the roster's people; none: one implicit team, the whole roster.
    teams: dict[Name, TeamSpec] = Field(default_factory=dict, max_length=MAX_TEAMS)
    escalation_policies: dict[Name, EscalationPolicySpec] = Field(
        default_factory=dict, max_length=MAX_TEAMS
    )
    #: Incidents whose fault started before ``warmup`` are simulated but not counted.
    warmup: Duration = 0.0
    reviews: ReviewSpec | None = None
    strategies: dict[Name, StrategySpec] = Field(min_length=1, max_length=MAX_STRATEGIES)
    expect: list[Expectation] = Field(default_factory=list)
    training: TrainingSpec | None = None

    def clock(self, minutes: float, *, seconds: bool = False) -> str:
        """Wall-clock time of a moment in a run of this scenario: ``Tue 14:02``."""
        return format_clock(minutes, self.start_hour, self.start_day, seconds=seconds)

    @property
    def resolved(self) -> bool:
        """True once runbook and triage references have been replaced by documents."""
        return isinstance(self.triage, TriageSpec) and all(
            isinstance(r, RunbookSpec) for r in self.runbooks
        )

    @cached_property
    def runbook_index(self) -> dict[str, RunbookSpec]:
        """Resolved runbooks by id."""
        return {r.id: r for r in self.runbooks if isinstance(r, RunbookSpec)}

    @property
    def triage_spec(self) -> TriageSpec:
        if not isinstance(self.triage, TriageSpec):
            raise ValueError("scenario is not resolved: triage is still a file reference")
        return self.triage

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy without the cached ``digest``/``runbook_index`` of the original."""
        copy = super().model_copy(update=update, deep=deep)
        for cached in ("digest", "runbook_index"):
            copy.__dict__.pop(cached, None)
        return copy

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the resolved scenario's canonical JSON: identifies results."""
        return hashlib.sha256(self.model_dump_json(by_alias=True).encode()).hexdigest()
