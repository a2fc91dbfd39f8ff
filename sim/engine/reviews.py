"""Post-incident reviews as work, and what their action items change afterwards.

Only a scenario with ``reviews:`` and a strategy with ``reviews: true`` compile a
``CompiledReviews``; otherwise a review takes no time and changes nothing, as before.
Which incidents need a review is the lifecycle's rule (``needs_review``). The review is
held by the person who held the incident (or, if automation handled it alone, by the
first person free), who stays busy for its ``time`` — it competes with incident work.
When it ends, its action items are due ``delay`` later: from then on the rate of every
fault definition of the same kind on the same service is cut by ``effectiveness``
(``FaultCalendar.learn``), never below ``floor`` times its original rate.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import simpy

from sim.spec.scenario import ScenarioSpec

from .sampling import Sampler, sampler

if TYPE_CHECKING:
    from .incident import IncidentRun

__all__ = ["CompiledReviews", "Learn", "hold_review"]

#: ``learn(fault_kind, service, cause)``: action items of a review take effect (see
#: ``FaultCalendar.learn``).
Learn = Callable[[str, str, str], None]


@dataclass(frozen=True, slots=True)
class CompiledReviews:
    time: dict[str, Sampler]  # by severity
    default_time: Sampler
    effectiveness: float
    delay: float
    floor: float

    @classmethod
    def build(cls, spec: ScenarioSpec, strategy: str) -> CompiledReviews | None:
        reviews = spec.reviews
        if reviews is None or not spec.strategies[strategy].reviews:
            return None
        return cls(
            time={sev: sampler(dist) for sev, dist in reviews.time.items()},
            default_time=sampler(reviews.default_time),
            effectiveness=reviews.effectiveness,
            delay=reviews.delay,
            floor=reviews.floor,
        )

    def minutes(self, severity: str, u: float) -> float:
        return self.time.get(severity, self.default_time)(u)


def hold_review(
    inc: IncidentRun, reviews: CompiledReviews, learn: Learn | None
) -> Generator[simpy.Event, Any, None]:
    """The review of a resolved incident: a person's time, then the action items.

    Called in ``post_incident``; the caller closes the incident and frees the person."""
    if inc.person is None:
        # After every incident in the queue: a review is never more urgent than a page.
        rank = len(inc.scenario.spec.triage_spec.severities)
        desk, route = inc.oncall.desk, inc.route
        if desk is not None and route is not None:
            person = desk.claim(route.team)
            if person is None:
                person, _ = yield from desk.wait(route.team, rank)
        else:
            pool = inc.oncall.pool
            person = pool.claim_free()
            if person is None:
                person, _ = yield from pool.wait(rank)
        inc.person = person
    minutes = reviews.minutes(inc.core.severity, inc.numbers.stream.random())
    minutes *= inc.slowdown()
    yield inc.env.timeout(minutes)
    inc.worked("review", minutes)
    if learn is None:
        return
    cause = f"review of incident {inc.number}"
    seen: set[tuple[str, str]] = set()
    for run in inc.faults:
        key = (run.fault.kind, run.fault.target)
        if key not in seen:
            seen.add(key)
            learn(*key, cause)
