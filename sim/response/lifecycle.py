"""The incident lifecycle: states, the transition table, guards and the audit log.

States (what each *means*):

``open``
    an alert opened the incident; nobody (human or automation) has taken it yet.
``triage``
    someone acknowledged it and is working out what is wrong and which runbook fits.
``mitigating``
    a fix (runbook) is being applied.
``resolved``
    the incident is declared over. Normally after mitigation; a false positive or a
    self-healed problem may be resolved straight from ``open`` or ``triage``, with a reason.
``post_incident``
    the post-incident review is under way.
``closed``
    nothing more will happen to this incident (terminal).

:data:`TRANSITIONS` is the whole truth about which moves are legal; the milestone
helpers (:meth:`Incident.acknowledge`, ...) only go through it. Each entry has a name
and an optional :class:`Guard`::

    from -> to                name                  guard
    open -> triage            acknowledge           -
    triage -> mitigating      start_mitigation      -
    mitigating -> resolved    resolve               the mitigated milestone is set
    resolved -> post_incident start_review          -
    post_incident -> closed   close                 -
    mitigating -> triage      retriage              a reason (e.g. "wrong runbook")
    resolved -> mitigating    reopen                a reason (the problem recurred)
    open -> resolved          dismiss               a reason (false positive, self-healed)
    triage -> resolved        dismiss               a reason
    resolved -> closed        close_without_review  severity P2/P3, or a reason

The last guard encodes the usual policy that P0/P1 incidents get a review. Every
transition appends an :class:`AuditEntry`; an illegal one raises
:class:`IllegalTransition` and changes nothing. Times must not go backwards.

Milestones keep the *current* value: a ``reopen`` clears ``mitigated`` and ``resolved``
(otherwise the ``resolve`` guard would pass without a new mitigation); the audit log
keeps the history. :func:`replay` re-applies an audit log through the table; it
re-checks the guards that depend only on the entry (reasons), not those that need
milestones or severity, which the log does not carry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from sim.spec.triage import Severity

from .triage import Actor, reassess

__all__ = [
    "INITIAL",
    "TRANSITIONS",
    "AuditEntry",
    "Guard",
    "IllegalTransition",
    "Incident",
    "Milestones",
    "SeverityChange",
    "State",
    "Transition",
    "allowed",
    "mermaid",
    "needs_review",
    "replay",
]


class State(StrEnum):
    """Phase of the response to an incident (see the module docstring)."""

    OPEN = "open"
    TRIAGE = "triage"
    MITIGATING = "mitigating"
    RESOLVED = "resolved"
    POST_INCIDENT = "post_incident"
    CLOSED = "closed"


INITIAL = State.OPEN


@dataclass(frozen=True, slots=True)
class Guard:
    """A condition a transition needs; ``label`` is shown in the diagram.

    ``check(incident, reason)`` decides live. ``check_entry(reason)``, when given,
    decides from an audit entry alone, so :func:`replay` can re-check the guard.
    """

    label: str
    check: Callable[[Incident, str], bool]
    check_entry: Callable[[str], bool] | None = None


class Transition(NamedTuple):
    name: str
    guard: Guard | None


def _mitigated(incident: Incident, reason: str) -> bool:
    return incident.milestones.mitigated is not None


def _reason_given(reason: str) -> bool:
    return bool(reason.strip())


def _has_reason(incident: Incident, reason: str) -> bool:
    return _reason_given(reason)


def needs_review(severity: str) -> bool:
    """Whether an incident of ``severity`` gets a post-incident review: P0 and P1 do.
    The one place this rule lives (the lifecycle's guard and the simulator ask it)."""
    return severity in ("P0", "P1")


def _review_waivable(incident: Incident, reason: str) -> bool:
    return not needs_review(incident.severity) or _reason_given(reason)


MITIGATED = Guard("mitigated", _mitigated)
REASON = Guard("reason given", _has_reason, _reason_given)
REVIEW_WAIVABLE = Guard("P2/P3 or reason given", _review_waivable)

#: (from, to) -> Transition: every legal move of the lifecycle, and only those.
TRANSITIONS: Mapping[tuple[State, State], Transition] = MappingProxyType(
    {
        (State.OPEN, State.TRIAGE): Transition("acknowledge", None),
        (State.TRIAGE, State.MITIGATING): Transition("start_mitigation", None),
        (State.MITIGATING, State.RESOLVED): Transition("resolve", MITIGATED),
        (State.RESOLVED, State.POST_INCIDENT): Transition("start_review", None),
        (State.POST_INCIDENT, State.CLOSED): Transition("close", None),
        (State.MITIGATING, State.TRIAGE): Transition("retriage", REASON),
        (State.RESOLVED, State.MITIGATING): Transition("reopen", REASON),
        (State.OPEN, State.RESOLVED): Transition("dismiss", REASON),
        (State.TRIAGE, State.RESOLVED): Transition("dismiss", REASON),
        (State.RESOLVED, State.CLOSED): Transition("close_without_review", REVIEW_WAIVABLE),
    }
)
# The table as a plain dict for ``Incident.transition``: a lookup through the read-only
# proxy costs an extra call, once per transition.
_TABLE: dict[tuple[State, State], Transition] = dict(TRANSITIONS)

_OUTGOING: dict[State, tuple[State, ...]] = {
    s: tuple(dst for (src, dst) in TRANSITIONS if src is s) for s in State
}


def allowed(state: State) -> tuple[State, ...]:
    """The states reachable from ``state`` in one transition (guards aside)."""
    return _OUTGOING[state]


# ``State.X`` is a lookup through the enum's metaclass, ten times slower than a global
# (CPython 3.11); ``Incident.transition`` reads these on every transition.
_TRIAGE, _MITIGATING, _RESOLVED = State.TRIAGE, State.MITIGATING, State.RESOLVED

_BEFORE_RESOLUTION = frozenset((State.OPEN, State.TRIAGE, State.MITIGATING))


class IllegalTransition(Exception):
    """A lifecycle event that the table or a guard forbids; nothing was changed."""


class AuditEntry(NamedTuple):
    """One transition: at ``t``, ``actor`` moved ``incident_id`` from -> to, because ``reason``.

    A NamedTuple (immutable, fields by name) rather than a frozen dataclass: one is
    written per transition, millions per sweep, and a tuple is built several times faster.
    """

    t: float
    incident_id: str
    from_state: State
    to_state: State
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class SeverityChange:
    """At ``t``, ``actor`` (a human or automation, ``by``) changed the severity."""

    t: float
    from_severity: Severity
    to_severity: Severity
    actor: str
    by: Actor


@dataclass(slots=True)
class Milestones:
    """Times (minutes) of the incident's milestones; None = not (or no longer) reached."""

    detected: float
    acknowledged: float | None = None
    acknowledged_by: str | None = None
    mitigated: float | None = None
    mitigated_by: str | None = None
    resolved: float | None = None


class Incident:
    """One incident's lifecycle. Every method takes the time ``t`` explicitly."""

    __slots__ = (
        "_last_t",
        "audit",
        "incident_id",
        "milestones",
        "severity",
        "severity_log",
        "state",
    )

    def __init__(self, incident_id: str, t_detected: float, severity: Severity = "P3") -> None:
        self.incident_id = incident_id
        self.state = INITIAL
        self.severity: Severity = severity
        self.milestones = Milestones(t_detected)
        self.audit: list[AuditEntry] = []  # append-only
        self.severity_log: list[SeverityChange] = []
        self._last_t = t_detected

    def transition(self, to: State, *, t: float, actor: str, reason: str = "") -> AuditEntry:
        """Move to ``to`` if the table and its guard allow it; else raise IllegalTransition."""
        if to.__class__ is not State:  # a plain string: normalise (ValueError if unknown)
            to = State(to)
        src = self.state
        found = _TABLE.get((src, to))
        if found is None:
            options = ", ".join(allowed(src)) or "none: it is final"
            raise IllegalTransition(
                f"incident {self.incident_id}: {src} -> {to} is not a transition "
                f"(from {src}: {options})"
            )
        if not t >= self._last_t:  # the common case passes without a call
            self._check_time(t, found.name)
        if found.guard is not None and not found.guard.check(self, reason):
            raise IllegalTransition(
                f"incident {self.incident_id}: {found.name} ({src} -> {to}) needs "
                f"{found.guard.label}"
            )
        milestones = self.milestones
        if to is _TRIAGE and milestones.acknowledged is None:
            milestones.acknowledged = t
            milestones.acknowledged_by = actor
        elif to is _RESOLVED:
            milestones.resolved = t
        elif src is _RESOLVED and to is _MITIGATING:
            milestones.mitigated = milestones.mitigated_by = milestones.resolved = None
        entry = AuditEntry(t, self.incident_id, src, to, actor, reason)
        self.audit.append(entry)
        self.state = to
        self._last_t = t
        return entry

    def _check_time(self, t: float, what: str) -> None:
        if not t >= self._last_t:  # also rejects NaN
            raise IllegalTransition(
                f"incident {self.incident_id}: {what} at t={t} is before the last event "
                f"(t={self._last_t})"
            )

    # -- milestone helpers: each is one transition of the table -----------------------

    def acknowledge(self, t: float, actor: str, reason: str = "") -> AuditEntry:
        """A responder (or automation) takes the incident: open -> triage."""
        return self.transition(State.TRIAGE, t=t, actor=actor, reason=reason)

    def start_mitigation(self, t: float, actor: str, reason: str = "") -> AuditEntry:
        """A fix starts: triage -> mitigating."""
        return self.transition(State.MITIGATING, t=t, actor=actor, reason=reason)

    def mark_mitigated(self, t: float, actor: str) -> None:
        """User impact ended at ``t`` (no state change: the response goes on).

        Allowed before resolution only (open, triage, mitigating: impact may end by
        itself). The first time counts; a reopen clears it.
        """
        if self.state not in _BEFORE_RESOLUTION:
            raise IllegalTransition(
                f"incident {self.incident_id}: cannot mark mitigated in state {self.state}"
            )
        self._check_time(t, "mark_mitigated")
        if self.milestones.mitigated is None:
            self.milestones.mitigated = t
            self.milestones.mitigated_by = actor
        self._last_t = t

    def resolve(self, t: float, actor: str, reason: str = "") -> AuditEntry:
        """Declare the incident over (after mitigation, or dismissed with a reason)."""
        return self.transition(State.RESOLVED, t=t, actor=actor, reason=reason)

    def retriage(self, t: float, actor: str, reason: str) -> AuditEntry:
        """The fix was wrong; back to diagnosis: mitigating -> triage."""
        return self.transition(State.TRIAGE, t=t, actor=actor, reason=reason)

    def reopen(self, t: float, actor: str, reason: str) -> AuditEntry:
        """The problem recurred after resolution: resolved -> mitigating."""
        return self.transition(State.MITIGATING, t=t, actor=actor, reason=reason)

    def start_review(self, t: float, actor: str, reason: str = "") -> AuditEntry:
        """The post-incident review begins: resolved -> post_incident."""
        return self.transition(State.POST_INCIDENT, t=t, actor=actor, reason=reason)

    def close(self, t: float, actor: str, reason: str = "") -> AuditEntry:
        """Done: from post_incident, or straight from resolved when no review is needed."""
        return self.transition(State.CLOSED, t=t, actor=actor, reason=reason)

    def set_severity(self, proposed: Severity, *, t: float, actor: str, by: Actor) -> Severity:
        """Re-evaluate severity on new evidence (automation may only escalate)."""
        new = reassess(self.severity, proposed, by)
        if new != self.severity:
            self.severity_log.append(SeverityChange(t, self.severity, new, actor, by))
            self.severity = new
        return new

    @classmethod
    def replay(cls, audit: Sequence[AuditEntry]) -> State:
        """See :func:`replay`."""
        return replay(audit)

    def __repr__(self) -> str:
        return f"Incident({self.incident_id!r}, state={self.state}, severity={self.severity})"


def replay(audit: Sequence[AuditEntry]) -> State:
    """The state an audit log leads to, re-checked through :data:`TRANSITIONS`.

    Raises IllegalTransition if an entry is not a transition of the table, does not
    start where the previous one ended, goes back in time, belongs to another incident
    or lacks a reason its transition requires.
    """
    state = INITIAL
    last_t = float("-inf")
    incident_id = audit[0].incident_id if audit else ""
    for n, entry in enumerate(audit):
        where = f"audit[{n}] of incident {entry.incident_id}"
        found = TRANSITIONS.get((entry.from_state, entry.to_state))
        if entry.incident_id != incident_id:
            raise IllegalTransition(f"{where}: belongs to another incident than {incident_id}")
        if entry.from_state != state:
            raise IllegalTransition(f"{where}: starts in {entry.from_state}, but state is {state}")
        if found is None:
            raise IllegalTransition(f"{where}: {entry.from_state} -> {entry.to_state} is illegal")
        if not entry.t >= last_t:
            raise IllegalTransition(f"{where}: t={entry.t} is before t={last_t}")
        guard = found.guard
        if guard is not None and guard.check_entry and not guard.check_entry(entry.reason):
            raise IllegalTransition(f"{where}: {found.name} needs {guard.label}")
        state, last_t = State(entry.to_state), entry.t
    return state


def mermaid() -> str:
    """The lifecycle as a Mermaid ``stateDiagram-v2``, generated from :data:`TRANSITIONS`."""
    lines = ["stateDiagram-v2", f"    [*] --> {INITIAL}: alert fires"]
    for (src, dst), (name, guard) in TRANSITIONS.items():
        label = name if guard is None else f"{name} [{guard.label}]"
        lines.append(f"    {src} --> {dst}: {label}")
    lines.extend(f"    {state} --> [*]" for state in State if not allowed(state))
    return "\n".join(lines) + "\n"
