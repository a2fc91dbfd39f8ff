"""The score of a session (0-100) with its breakdown, and every mistake with why.

=============  ======  ==========================================================
part           points  how
=============  ======  ==========================================================
recovery       30      per incident min(1, reference TTR / trainee TTR); the reference
                       is the first baseline strategy on the same seed and the same
                       fault occurrence; 0 if never mitigated
severity       15      share of incidents triaged to what the triage rules say
runbook        15      share of runbook choices that fit the fault (escalating
                       without trying one: half)
errors         10      minus a third per step mistake, unchecked approval of a risky
                       step, or mitigated/resolved declared while impact went on
escalation     10      share of the roles the severity policy pages that the trainee
                       paged within the ack SLA of acknowledging (late: half)
updates        10      status updates against the severity's update cadence
review         10      impact, cause and actions written for each incident
hints          -cost   ``training.hint_cost`` per hint taken
=============  ======  ==========================================================

Noise pages count only through what was done on them (a dismissal costs nothing). A
real incident the trainee should have faced but that still waited for them when the
session ended scores 0 in every part but errors, and is named as a mistake.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sim.spec.scenario import ScenarioSpec
from sim.spec.training import TrainingSpec

from .actions import REVIEW_PARTS
from .facts import IncidentFacts

__all__ = ["POINTS", "Mistake", "Part", "Score", "score"]

POINTS = {
    "recovery": 30.0,
    "severity": 15.0,
    "runbook": 15.0,
    "errors": 10.0,
    "escalation": 10.0,
    "updates": 10.0,
    "review": 10.0,
}


@dataclass(frozen=True, slots=True)
class Mistake:
    t: float  # NaN for something never done
    incident: int
    what: str
    why: str


@dataclass(frozen=True, slots=True)
class Part:
    name: str
    points: float
    max_points: float
    note: str


@dataclass(frozen=True, slots=True)
class Score:
    total: float
    parts: tuple[Part, ...]
    mistakes: tuple[Mistake, ...]


def score(
    spec: ScenarioSpec,
    incidents: Sequence[IncidentFacts],
    reference: Mapping[tuple[str, int], float],
    role: str,
    hints: int,
    horizon_reached: float,
) -> Score:
    """Score the trainee's ``incidents``; ``reference`` maps (fault, occurrence) to the
    reference strategy's TTR on the same seed."""
    training = spec.training or TrainingSpec()
    real = [i for i in incidents if not i.noise]
    mistakes: list[Mistake] = []
    shares: dict[str, list[float]] = {name: [] for name in POINTS}
    for inc in real:
        if not inc.reached:
            _never_reached(inc, shares, mistakes)
            continue
        shares["recovery"].append(_recovery(inc, reference))
        shares["severity"].append(_severity(inc, mistakes))
        shares["runbook"].append(_runbook(spec, inc, mistakes))
        shares["escalation"].extend(_escalation(spec, inc, role, mistakes))
        shares["updates"].append(_updates(spec, inc, horizon_reached, mistakes))
        shares["review"].append(_review(inc, mistakes))
    slips = sum(_slips(inc, mistakes) for inc in incidents)
    shares["errors"].append(max(0.0, 1.0 - slips / 3.0))
    parts = []
    for name, top in POINTS.items():
        values = shares[name]
        share = sum(values) / len(values) if values else 1.0
        parts.append(Part(name, round(top * share, 1), top, _note(name, values)))
    penalty = training.hint_cost * hints
    parts.append(Part("hints", -penalty if penalty else 0.0, 0.0, f"{hints} hint(s) taken"))
    total = min(100.0, max(0.0, sum(p.points for p in parts)))
    mistakes.sort(key=lambda m: (m.incident, math.inf if math.isnan(m.t) else m.t))
    return Score(round(total, 1), tuple(parts), tuple(mistakes))


def _never_reached(
    inc: IncidentFacts, shares: dict[str, list[float]], mistakes: list[Mistake]
) -> None:
    """An incident that waited for the trainee until the end: nothing of it was done."""
    for name in POINTS:
        if name != "errors":
            shares[name].append(0.0)
    mistakes.append(
        Mistake(
            inc.detected,
            inc.number,
            f"incident {inc.number} on {inc.service} never reached you",
            "it waited for you until the session ended; a responder busy for too long "
            "hands an incident over or pages help",
        )
    )


def _recovery(inc: IncidentFacts, reference: Mapping[tuple[str, int], float]) -> float:
    if math.isnan(inc.mitigated):
        return 0.0
    ref = reference.get((inc.fault, inc.occurrence), math.nan)
    if math.isnan(ref) or inc.ttr <= 0:
        return 1.0
    return min(1.0, ref / inc.ttr)


def _severity(inc: IncidentFacts, mistakes: list[Mistake]) -> float:
    if inc.severity == inc.expected_severity:
        return 1.0
    given = inc.said("severity")
    t = given[0].t if given else math.nan
    what = f"set severity {inc.severity}" if inc.severity else "never set a severity"
    mistakes.append(
        Mistake(
            t,
            inc.number,
            f"wrong severity: {what}",
            f"the triage rules say {inc.expected_severity} for these alerts "
            f"(rule {inc.rule!r}), and the severity decides who is paged and how often "
            f"people must hear from you",
        )
    )
    return 0.0


def _runbook(spec: ScenarioSpec, inc: IncidentFacts, mistakes: list[Mistake]) -> float:
    fixing = [r.id for r in spec.runbook_index.values() if inc.kind in r.fixes]
    allowed = spec.faults[inc.fault].runbooks if inc.fault in spec.faults else None
    if allowed is not None:
        fixing = [r for r in fixing if r in allowed]
    for t, runbook, fits in inc.runbooks:
        if not fits:
            mistakes.append(
                Mistake(
                    t,
                    inc.number,
                    f"wrong runbook: {runbook}",
                    f"{runbook} does not fix a {inc.kind} fault on {inc.service}; "
                    f"{' or '.join(fixing) or 'none of the runbooks'} would have",
                )
            )
    if not inc.runbooks:
        return 0.5 if inc.said("escalate") else 0.0
    return sum(fits for _t, _r, fits in inc.runbooks) / len(inc.runbooks)


def _escalation(
    spec: ScenarioSpec, inc: IncidentFacts, role: str, mistakes: list[Mistake]
) -> list[float]:
    policy = spec.triage_spec.severities[inc.expected_severity]  # type: ignore[index]
    due = inc.acknowledged + policy.ack_sla
    result = []
    for wanted in policy.page:
        if wanted == role:
            continue
        pages = [a.t for a in inc.said("page") if a.arg == wanted]
        if pages and pages[0] <= due:
            result.append(1.0)
            continue
        late = bool(pages)
        result.append(0.5 if late else 0.0)
        mistakes.append(
            Mistake(
                pages[0] if late else math.nan,
                inc.number,
                f"{'late' if late else 'no'} page to {wanted}",
                f"a {inc.expected_severity} pages {', '.join(policy.page)} within "
                f"{policy.ack_sla:g} min of the acknowledgement",
            )
        )
    return result


def _updates(
    spec: ScenarioSpec, inc: IncidentFacts, horizon: float, mistakes: list[Mistake]
) -> float:
    policy = spec.triage_spec.severities[inc.expected_severity]  # type: ignore[index]
    if policy.update_every is None or math.isnan(inc.acknowledged):
        return 1.0
    end = inc.mitigated if not math.isnan(inc.mitigated) else horizon
    expected = max(1, math.floor((end - inc.acknowledged) / policy.update_every))
    posted = [a for a in inc.said("status") if a.t <= end + policy.update_every]
    share = min(1.0, len(posted) / expected)
    if share < 1.0:
        mistakes.append(
            Mistake(
                math.nan,
                inc.number,
                f"too few status updates: {len(posted)} of {expected}",
                f"a {inc.expected_severity} asks for an update every "
                f"{policy.update_every:g} min until impact ends; stakeholders who hear "
                f"nothing start paging you",
            )
        )
    return share


def _review(inc: IncidentFacts, mistakes: list[Mistake]) -> float:
    written = {a.arg for a in inc.said("review")}
    missing = [part for part in REVIEW_PARTS if part not in written]
    if missing:
        mistakes.append(
            Mistake(
                math.nan,
                inc.number,
                f"review incomplete: no {', '.join(missing)}",
                "the review is where the team learns; each incident needs its impact, "
                "its cause and the actions that stop it coming back",
            )
        )
    return 1.0 - len(missing) / len(REVIEW_PARTS)


def _slips(inc: IncidentFacts, mistakes: list[Mistake]) -> int:
    """Step mistakes, unchecked risky approvals and premature declarations."""
    count = 0
    for t, step in inc.step_errors:
        count += 1
        mistakes.append(
            Mistake(t, inc.number, f"mistake in step {step}", "the step failed by your hand")
        )
    checked = {a.step for a in inc.actions if a.command == "inspect" and a.arg == "step"}
    for a in inc.said("approve"):
        if a.step not in checked:
            count += 1
            mistakes.append(
                Mistake(
                    a.t,
                    inc.number,
                    f"approved {a.step} without checking it",
                    "a step that needs approval is risky; read it ('inspect step') and "
                    "check the state it assumes before approving",
                )
            )
    for verb in ("mitigated", "resolve"):
        for a in inc.said(verb):
            if math.isnan(inc.mitigated) or a.t < inc.mitigated:
                count += 1
                mistakes.append(
                    Mistake(
                        a.t,
                        inc.number,
                        f"declared {verb} while impact continued",
                        "users were still affected; declare it when the signals are back",
                    )
                )
    return count


def _mean_note(values: Sequence[float]) -> str:
    return f"{sum(values) / len(values):.0%} over {len(values)}" if values else "nothing to judge"


def _note(name: str, v: Sequence[float]) -> str:
    if name == "severity":
        return f"{sum(v):.0f} of {len(v)} triaged as the rules say"
    if name == "errors":
        return "no slips" if v and v[0] == 1.0 else "slips made (see mistakes)"
    if name == "escalation":
        return f"{sum(x == 1.0 for x in v)} of {len(v)} pages in time"
    return f"{_LABELS[name]}: {_mean_note(v)} incident(s)"


_LABELS = {
    "recovery": "time to mitigate vs reference",
    "runbook": "fitting choices",
    "updates": "cadence kept",
    "review": "review parts written",
}
