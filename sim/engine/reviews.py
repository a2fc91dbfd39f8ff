"""Post-incident reviews as work, and what their action items change afterwards.

Only a scenario with ``reviews:`` and a strategy with ``reviews: true`` compile a
``CompiledReviews`` (the review itself is held in ``handling.hold_review``); otherwise
a review takes no time and changes nothing, as before. Which incidents need a review
is the lifecycle's rule (``needs_review``). The review is held by the person who held
the incident (or, if automation handled it alone, by the first person free), who stays
busy for its ``time`` — it competes with incident work. When it ends, its action items
are due ``delay`` later: from then on the rate of every fault definition of the same
kind on the same service is cut by ``effectiveness`` (``FaultCalendar.learn``), never
below ``floor`` times its original rate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sim.spec.scenario import ScenarioSpec

from .sampling import Sampler, sampler

__all__ = ["CompiledReviews", "Learn"]

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
