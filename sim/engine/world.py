"""The simulated world of one replication (``run.run_once`` runs it).

One ``simpy.Environment`` per call; no global state. The world only puts the parts
together: the fault calendar (``arrivals``) delivers alerts to ``alerting``, which
opens incidents whose process (``handling``) asks the responder policy (``policy``)
for every human decision; everything is written to one ``Logbook``.
"""

from __future__ import annotations

from collections.abc import Callable

import simpy

from sim.eventlog import Event
from sim.spec.scenario import ScenarioSpec

from .alerting import Alerting
from .arrivals import FaultCalendar
from .compiled import CompiledScenario
from .incident import IncidentRun
from .logbook import Logbook
from .policy import ResponderPolicy, SimulatedHuman
from .responders import OnCall, Pool
from .teams import TeamDesk

__all__ = ["PolicyFactory", "World"]

PolicyFactory = Callable[["World"], ResponderPolicy]


class World:
    """Everything that exists during one replication."""

    def __init__(
        self,
        compiled: CompiledScenario,
        seed: int,
        policy_factory: PolicyFactory | None = None,
    ) -> None:
        self.scenario = compiled
        self.spec: ScenarioSpec = compiled.spec
        self.seed = seed
        self.env = simpy.Environment()
        self.logbook = Logbook(self.env)
        self.oncall = OnCall(self.env, self.spec.responders, self.spec.start_hour)
        #: The teams of a scenario with ``teams:`` (their queues, schedules, policies).
        self.desk = (
            TeamDesk(self.env, compiled.teams, self.oncall.pool.people)
            if compiled.teams is not None
            else None
        )
        self.policy: ResponderPolicy = (policy_factory or (lambda w: SimulatedHuman()))(self)
        self.alerting = Alerting(compiled, seed, self.logbook, self.oncall, self.policy, self.desk)
        self.calendar = FaultCalendar(compiled, seed, self.logbook, self.alerting.alert_due)
        reviews = compiled.reviews
        if reviews is not None:
            calendar = self.calendar
            self.alerting.handling.learn = lambda kind, service, cause: calendar.learn(
                kind, service, cause, reviews
            )

    def _warmed_up(self, _: simpy.Event) -> None:
        self.logbook.write(0, "warmup_end", "", "system", {"warmup": self.spec.warmup})

    @property
    def events(self) -> list[Event]:
        return self.logbook.events

    @property
    def pool(self) -> Pool:
        return self.oncall.pool

    @property
    def open_incidents(self) -> dict[tuple[str, ...], IncidentRun]:
        return self.alerting.open_incidents

    def start(self) -> None:
        self.calendar.start()
        if self.spec.warmup > 0:
            # Metrics read the warm-up from the log: incidents whose fault started before
            # this record are simulated but not counted (``sim.metrics.incidents``).
            self.env.timeout(self.spec.warmup).callbacks.append(self._warmed_up)
        if self.desk is not None:
            self.desk.start()
        self.alerting.start()
