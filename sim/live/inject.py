"""Faults a facilitator injects: a catalogue fault or an ad-hoc one, now or at a time.

An injection becomes a fault definition of its own (``inject-N-...``, arriving once at
its minute), added to the scenario the game day runs on. Its random stream is its own
(stream seeds are prefix-stable), so the scenario's other faults arrive exactly as
they would have: the baselines run the same scenario with the same injections and
meet the same fault occurrences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from sim.spec.distributions import Fixed
from sim.spec.runbook import FaultKind
from sim.spec.scenario import FaultSpec, ScenarioSpec
from sim.spec.units import parse_duration

__all__ = ["MAX_INJECTIONS", "InjectError", "Injection", "parse_inject", "with_injections"]

MAX_INJECTIONS = 50  # per game day: each one rebuilds the world from the inputs
KINDS: tuple[str, ...] = get_args(FaultKind)


class InjectError(ValueError):
    """An inject request that names nothing the scenario has, or a bad time."""


@dataclass(frozen=True, slots=True)
class Injection:
    """A fault starting at minute ``at``: ``fault`` from the catalogue, or an ad-hoc
    ``kind`` on ``service`` lasting ``minutes`` unless fixed first."""

    number: int
    at: float
    fault: str = ""
    service: str = ""
    kind: str = ""
    minutes: float = 0.0

    @property
    def name(self) -> str:
        return f"inject-{self.number}-{self.fault or f'{self.service}-{self.kind}'}"

    def describe(self) -> str:
        if self.fault:
            return f"fault {self.fault}"
        return f"{self.kind} on {self.service} for {self.minutes:g} min"


def parse_inject(words: list[str], spec: ScenarioSpec, number: int, now: float) -> Injection:
    """``FAULT [at T]`` or ``SERVICE KIND DURATION [at T]`` (T: minutes or '2h', >= now)."""
    at = now
    if len(words) >= 2 and words[-2] == "at":
        at = _minutes(words[-1], "time")
        words = words[:-2]
        if at < now:
            raise InjectError(f"cannot inject in the past (minute {at:g} < now {now:g})")
    if at >= spec.horizon:
        raise InjectError(f"minute {at:g} is past the scenario's horizon ({spec.horizon:g})")
    if len(words) == 1:
        if words[0] not in spec.faults:
            raise InjectError(
                f"unknown fault {words[0]!r}; the catalogue has {', '.join(spec.faults)}"
            )
        return Injection(number, at, fault=words[0])
    if len(words) == 3:
        service, kind, duration = words
        if service not in spec.services:
            raise InjectError(f"unknown service {service!r}")
        if kind not in KINDS:
            raise InjectError(f"unknown fault kind {kind!r}; one of {', '.join(KINDS)}")
        minutes = _minutes(duration, "duration")
        if minutes <= 0:
            raise InjectError("the duration must be positive")
        return Injection(number, at, service=service, kind=kind, minutes=minutes)
    raise InjectError("usage: inject FAULT [at T] | inject SERVICE KIND DURATION [at T]")


def _minutes(text: str, what: str) -> float:
    try:
        value = parse_duration(text)
    except ValueError as exc:
        raise InjectError(f"bad {what} {text!r}: {exc}") from None
    if not 0 <= value < 1e7:
        raise InjectError(f"bad {what} {text!r}")
    return value


def with_injections(spec: ScenarioSpec, injections: list[Injection]) -> ScenarioSpec:
    """``spec`` with one fault definition per injection (none: ``spec`` itself)."""
    if not injections:
        return spec
    faults = dict(spec.faults)
    for inj in injections:
        if inj.fault:
            base = spec.faults[inj.fault]
            faults[inj.name] = base.model_copy(update={"tbf": None, "at": [inj.at]})
        else:
            faults[inj.name] = FaultSpec.model_validate(
                {
                    "kind": inj.kind,
                    "target": inj.service,
                    "at": [inj.at],
                    "self_heal": Fixed(value=inj.minutes),
                }
            )
    return spec.model_copy(update={"faults": faults})
