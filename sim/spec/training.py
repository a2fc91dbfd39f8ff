"""A scenario's ``training:`` block: what a trainee faces and what the debrief says.

::

    training:
      audience: new on-call engineers, first week
      difficulty: 2                      # 1 (first day) .. 5 (expert)
      role: primary                      # the seat the trainee takes
      strategy: manual                   # the trainee's strategy (automation around them)
      baselines: [manual, semi, full]    # scored against, on the same incidents
      incidents: [orders-db-pool]        # faults the trainee faces (default: all)
      noise: true                        # false-positive pages reach the trainee too
      objectives: [Find the cause behind the symptom, ...]
      hints: [Look at what changed and what broke first, ...]
      hint_cost: 5                       # score points per hint taken
      root_cause: {orders-db-pool: A reporting job holds every connection ...}
      red_herrings:
        - {at: 40m, service: checkout, change: deploy checkout v2.14.0,
           why: The deploy touched only the checkout page's styles.}
      evidence:                          # extends the built-in texts for one fault
        orders-db-pool: {logs: ["orders-db: too many clients already"]}

The fault kind and the root cause are debrief material: the training session never shows
them before the end. Cross-checks (names that must exist) live in ``checks``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .units import Duration, Name

__all__ = ["Evidence", "RedHerring", "TrainingSpec"]

_TEXT = 500  # characters of one text entry: enough for a log line or a sentence
_MANY = 50  # entries of one list


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Frozen):
    """Texts an inspection may show: log excerpts and recent changes."""

    logs: list[str] = Field(default_factory=list, max_length=_MANY)
    changes: list[str] = Field(default_factory=list, max_length=_MANY)


class RedHerring(_Frozen):
    """Something that looks like a cause and is not: a change or a log line on
    ``service`` from ``at`` on, and ``why`` it was not the cause (for the debrief)."""

    at: Duration = 0.0
    service: Name
    change: str | None = Field(default=None, max_length=_TEXT)
    log: str | None = Field(default=None, max_length=_TEXT)
    why: str = Field(max_length=_TEXT)


class TrainingSpec(_Frozen):
    audience: str = Field(default="", max_length=_TEXT)
    difficulty: int = Field(default=1, ge=1, le=5)
    role: Name | None = None  # default: the first role of the roster
    strategy: Name | None = None  # default: the scenario's first strategy
    baselines: list[Name] | None = Field(default=None, max_length=10)  # default: all
    incidents: list[Name] | None = Field(default=None, max_length=_MANY)  # default: all
    noise: bool = True
    objectives: list[str] = Field(default_factory=list, max_length=_MANY)
    hints: list[str] = Field(default_factory=list, max_length=_MANY)
    hint_cost: float = Field(default=5.0, ge=0, le=100)
    root_cause: dict[Name, str] = Field(default_factory=dict, max_length=_MANY)
    red_herrings: list[RedHerring] = Field(default_factory=list, max_length=_MANY)
    evidence: dict[Name, Evidence] = Field(default_factory=dict, max_length=_MANY)
