"""Triage: from an alert and what is known of its impact to a severity and a routing.

The :class:`TriageEngine` compiles a :class:`~sim.spec.triage.TriageSpec` once —
every matcher into a label test (regexes anchored with ``re.fullmatch``, as in
Alertmanager; a missing label reads as the empty string, also as in Alertmanager),
every condition into an ``operator`` function — so :meth:`TriageEngine.evaluate`
is a tight loop over tuples, cheap enough for millions of Monte Carlo calls. Rules
are data; nothing is ever ``eval``-ed.

**Precedence** (the spec's ``precedence``, default ``first_match``):

* ``first_match`` — the first rule in file order whose matchers and conditions all
  hold decides. Order rules from most specific to least, like a firewall.
* ``most_severe`` — of all rules that hold, the most severe decides; ties go to the
  earlier rule. Evaluation stops early at a matching P0, which nothing can beat.

No rule holding means the spec's ``default`` (P3, team ``sre`` unless configured).

**Missing values**: a label absent from an alert reads as the empty string, and an
impact field not known as its default — unless the spec's ``missing:`` says otherwise
(a value to use, or ``unknown``: escalate one level; ``sim.response.missing``). Then
the decision's ``assumed`` and explanation say what was assumed.

**Re-evaluation**: severity is reassessed as evidence arrives (more alerts grouped,
more users affected). :func:`reassess` lets automation only *escalate*; a human may
set any severity, including a downgrade. Alert grouping lives in
:mod:`sim.response.grouping` (:class:`AlertGrouper` is re-exported here).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from sim.spec.triage import SEVERITIES, Route, Severity, SeverityPolicy, TriageRule, TriageSpec

from .alerts import Alert
from .grouping import AlertGrouper, Grouping
from .missing import MissingValues, escalated

__all__ = [
    "Actor",
    "AlertGrouper",
    "Grouping",
    "Impact",
    "TriageDecision",
    "TriageEngine",
    "reassess",
    "severity_rank",
]

Actor = Literal["automation", "human"]

_RANK: dict[str, int] = {sev: i for i, sev in enumerate(SEVERITIES)}
_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
# Label test kinds, as small ints so the hot loop compares ints, not strings.
_EQ, _NE, _RE, _NRE = 0, 1, 2, 3
_KIND = {"=": _EQ, "!=": _NE, "=~": _RE, "!~": _NRE}
Fullmatch = Callable[[str], "re.Match[str] | None"]
_UNUSED: Fullmatch = re.compile("").fullmatch  # placeholder for = and != tests


def severity_rank(severity: Severity) -> int:
    """0 for P0 (most severe) ... 3 for P3."""
    return _RANK[severity]


@dataclass(frozen=True, slots=True)
class Impact:
    """What is known of an incident's impact when it is triaged.

    ``tier`` is the business tier of the most critical impacted service (1 = most
    critical); ``alert_count`` the number of alerts grouped into the incident so far.
    """

    affected_users_pct: float = 0.0
    revenue_per_min: float = 0.0
    tier: int = 4
    services_impacted: int = 0
    alert_count: int = 1


@dataclass(frozen=True, slots=True)
class TriageDecision:
    """The outcome of triage and why.

    ``rule`` is the deciding rule's name (None: the default applied); ``matched`` the
    matchers and conditions of that rule, all of which held; ``explanation`` one line
    for humans, with the values that made the conditions true.
    """

    severity: Severity
    route: Route
    rule: str | None
    matched: tuple[str, ...]
    explanation: str
    #: What was assumed for missing labels or impact fields (the rule set's ``missing:``).
    assumed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Rule:
    position: int
    name: str
    severity: Severity
    rank: int
    route: Route
    labels: tuple[tuple[str, int, str, Fullmatch], ...]
    conditions: tuple[tuple[str, Callable[[float, float], bool], float], ...]
    matched: tuple[str, ...]
    summary: str  # "-> P1, team payments / escalation payments-oncall"

    def holds(self, labels: Mapping[str, str], impact: Impact) -> bool:
        """Every matcher and every condition holds (an empty rule always holds)."""
        get = labels.get
        for label, kind, value, fullmatch in self.labels:
            actual = get(label, "")
            if kind == _EQ:
                if actual != value:
                    return False
            elif kind == _NE:
                if actual == value:
                    return False
            elif kind == _RE:
                if fullmatch(actual) is None:
                    return False
            elif fullmatch(actual) is not None:
                return False
        for field, op, threshold in self.conditions:
            if not op(getattr(impact, field), threshold):
                return False
        return True


class TriageEngine:
    """Evaluates a triage spec's ordered rules; compile once, evaluate many times."""

    __slots__ = (
        "_default",
        "_group_by",
        "_missing",
        "_most_severe",
        "_no_values",
        "_rules",
        "spec",
    )

    def __init__(self, spec: TriageSpec) -> None:
        self.spec = spec
        self._most_severe = spec.precedence == "most_severe"
        self._group_by = tuple(spec.group_by)
        self._no_values = ("",) * len(self._group_by)
        self._rules = tuple(_compile(i, rule) for i, rule in enumerate(spec.rules))
        self._missing = MissingValues(spec.missing)
        route = spec.default.route
        self._default = TriageDecision(
            severity=spec.default.severity,
            route=route,
            rule=None,
            matched=(),
            explanation=(
                f"no rule matched ({len(self._rules)} evaluated); default "
                f"-> {spec.default.severity}, team {route.team} / escalation {route.escalation}"
            ),
        )

    def evaluate(
        self,
        alert: Alert,
        impact: Impact | None = None,
        known_impact: Collection[str] | None = None,
    ) -> TriageDecision:
        """Severity, routing and explanation for ``alert`` given ``impact``.

        ``known_impact``: the impact fields actually known (None: all); the rule set's
        ``missing:`` says what an absent label or unknown field means, and the
        decision's ``assumed`` and explanation say when it applied."""
        impact = impact or _NO_IMPACT
        labels = alert.labels
        filled = self._missing.fill(labels, known_impact) if self._missing else None
        if filled is not None:
            labels = filled.labels
            if filled.impact:
                impact = replace(impact, **_typed(filled.impact))  # type: ignore[arg-type]
        best = self._deciding_rule(labels, impact)
        if best is None:
            decision = self._default
        else:
            decision = TriageDecision(
                severity=best.severity,
                route=best.route,
                rule=best.name,
                matched=best.matched,
                explanation=self._explain(best, labels, impact),
            )
        if filled is None:
            return decision
        severity = escalated(decision.severity) if filled.unknown else decision.severity
        change = f" -> {severity}" if severity != decision.severity else ""
        return replace(
            decision,
            severity=severity,
            explanation=f"{decision.explanation}; {'; '.join(filled.notes)}{change}",
            assumed=filled.notes,
        )

    def severity(self, alert: Alert, impact: Impact) -> tuple[Severity, str | None]:
        """(severity, deciding rule's name or None): ``evaluate`` without the decision's
        explanation and route, for a caller that only records those two (the simulator,
        once per alert)."""
        severity, rule, _route = self.routed(alert, impact)
        return severity, rule

    def routed(self, alert: Alert, impact: Impact) -> tuple[Severity, str | None, Route]:
        """``severity`` with the deciding route (for scenarios with teams)."""
        labels = alert.labels
        filled = self._missing.fill(labels, None) if self._missing else None
        if filled is not None:
            labels = filled.labels
        best = self._deciding_rule(labels, impact)
        found = (
            (self._default.severity, None, self._default.route)
            if best is None
            else (best.severity, best.name, best.route)
        )
        if filled is not None and filled.unknown:
            return escalated(found[0]), found[1], found[2]
        return found

    def _deciding_rule(self, labels: Mapping[str, str], impact: Impact) -> _Rule | None:
        """The rule that decides (see ``precedence``), or None: the default applies."""
        best: _Rule | None = None
        if self._most_severe:
            for rule in self._rules:
                if (best is None or rule.rank < best.rank) and rule.holds(labels, impact):
                    best = rule
                    if rule.rank == 0:
                        break  # nothing is more severe than P0; ties go to file order
        else:
            for rule in self._rules:
                if rule.holds(labels, impact):
                    return rule
        return best

    def _explain(self, rule: _Rule, labels: Mapping[str, str], impact: Impact) -> str:
        how = "most severe matching rule" if self._most_severe else "first matching rule"
        texts = iter(rule.matched)  # matcher texts first, then condition texts
        facts = []
        for label, kind, _value, _fullmatch in rule.labels:
            text = next(texts)
            # An equality says it all; the other tests do not show the actual value.
            facts.append(text if kind == _EQ else f'{text} ({label}="{labels.get(label, "")}")')
        for field, _op, _threshold in rule.conditions:
            facts.append(f"{next(texts)} ({field}={getattr(impact, field):g})")
        held = ", ".join(facts) if facts else "no conditions (catch-all)"
        return f"rule {rule.name!r} (#{rule.position + 1}, {how}): {held} {rule.summary}"

    def group_key(self, alert: Alert) -> tuple[str, ...]:
        """The values of the spec's ``group_by`` labels; equal keys share an incident."""
        # ``map`` over the labels and their "" defaults: no comprehension frame per alert.
        return tuple(map(alert.labels.get, self._group_by, self._no_values))

    def policy(self, severity: Severity) -> SeverityPolicy:
        """SLAs and paging for ``severity``."""
        return self.spec.severities[severity]


_NO_IMPACT = Impact()
_INT_FIELDS = frozenset({"tier", "services_impacted", "alert_count"})


def _typed(values: dict[str, float]) -> dict[str, float | int]:
    """Impact defaults with the field's type (a tier is an int)."""
    return {k: int(v) if k in _INT_FIELDS else v for k, v in values.items()}


def _compile(position: int, rule: TriageRule) -> _Rule:
    labels = tuple(
        (
            m.label,
            _KIND[m.op],
            m.value,
            re.compile(m.value).fullmatch if m.op in ("=~", "!~") else _UNUSED,
        )
        for m in rule.matchers
    )
    conditions = tuple((c.field, _OPS[c.op], c.value) for c in rule.when)
    route = rule.route
    return _Rule(
        position=position,
        name=rule.name,
        severity=rule.severity,
        rank=_RANK[rule.severity],
        route=route,
        labels=labels,
        conditions=conditions,
        matched=tuple(str(m) for m in rule.matchers) + tuple(str(c) for c in rule.when),
        summary=f"-> {rule.severity}, team {route.team} / escalation {route.escalation}",
    )


def reassess(current: Severity, proposed: Severity, actor: Actor) -> Severity:
    """The severity after new evidence proposes ``proposed``.

    Automation may only escalate (make more severe): a proposal that is less severe
    than ``current`` is ignored, because a machine that saw less evidence than before
    must not page fewer people. A human may set any severity.
    """
    if proposed not in _RANK or current not in _RANK:
        raise ValueError(f"severities are {', '.join(SEVERITIES)}, got {current!r}, {proposed!r}")
    if actor == "human":
        return proposed
    if actor == "automation":
        return proposed if _RANK[proposed] < _RANK[current] else current
    raise ValueError(f"actor must be 'automation' or 'human', got {actor!r}")
