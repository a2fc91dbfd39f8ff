"""One incident's state in the engine, and the uniforms its decisions read.

``IncidentRun`` is what the incident process (``handling``) and the responder policy
see of an incident: its lifecycle (``core``), faults, who holds it, which runbook is
being applied, and its random numbers at fixed slots (see below), so that the same
decision of the same incident reads the same number under every strategy.
"""

from __future__ import annotations

import _random
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

import simpy

from sim.response import Incident, StepRequest

from .responders import Person

if TYPE_CHECKING:
    from .compiled import CompiledRunbook, CompiledStep
    from .policy import ResponderPolicy
    from .world import FaultRun, World

__all__ = ["IncidentRun", "new_event"]

new_event = tuple.__new__  # ``Event(...)`` minus a Python-level call

AUTOMATION = "automation"

# Decision slots: (first index, how many) in IncidentRun.decisions.
# Occurrences beyond a slot's size (rare: a fourth diagnosis, a seventh page) draw fresh
# numbers from the incident's overflow stream instead.
ACK = (0, 6)
TRIAGE = (6, 1)
NOISE = (7, 1)
EXPERT = (8, 1)
DIAGNOSIS = (9, 3)
PICK_WRONG = (12, 3)
PICK_WHICH = (15, 3)
DRAW_SLOTS = 18
# Step draws: per step position, ATTEMPT_SLOTS attempts x 3 purposes.
APPROVE, DURATION, OUTCOME = 0, 1, 2
ATTEMPT_SLOTS = 2
STEP_SLOTS = ATTEMPT_SLOTS * 3
# Runbook applications whose step uniforms a fault occurrence takes at its onset (one
# block each, after the decisions); later ones draw from the overflow stream.
PREPARED_APPLICATIONS = 2


class IncidentRun:
    """Engine-side state of one incident (the lifecycle itself lives in ``core``).

    A plain slotted class rather than a dataclass: one is built per incident, and the
    generated ``__init__`` with keyword arguments and default factories cost more than
    the rest of opening an incident.
    """

    __slots__ = (
        "_stream",
        "applications",
        "core",
        "decisions",
        "faults",
        "interruptible",
        "key",
        "noise",
        "number",
        "paging",
        "person",
        "policy",
        "process",
        "ruled_out",
        "runbook",
        "seed",
        "service",
        "step_block",
        "steps",
        "world",
    )

    def __init__(
        self,
        world: World,
        number: int,
        service: str,
        key: tuple[str, ...],
        core: Incident,
        uniforms: Sequence[float],
        seed: int,
        policy: ResponderPolicy,
        noise: bool,
    ) -> None:
        self.world = world
        self.number = number
        self.service = service
        self.key = key
        self.core = core
        # Uniforms at fixed positions: DRAW_SLOTS decisions, then one block of step
        # uniforms per prepared runbook application (a noise alert's incident has only
        # the decisions). Whichever decisions a strategy skips, the same decision of the
        # same incident gets the same number.
        self.seed = seed  # of the overflow stream, created on first use
        self._stream: _random.Random | None = None
        if not uniforms:  # a noise alert's incident: decisions from its own stream
            draw = self.stream.random
            uniforms = [draw() for _ in range(DRAW_SLOTS)]
        self.decisions = uniforms
        self.applications = 0
        self.policy = policy
        self.noise = noise
        self.faults: list[FaultRun] = []
        self.person: Person | None = None
        self.process: simpy.Process | None = None
        self.runbook = ""
        self.steps: CompiledRunbook | None = None  # the compiled steps of ``runbook``
        self.interruptible = False
        self.ruled_out: set[str] = set()
        self.step_block: Sequence[float] = ()
        self.paging: simpy.Process | None = None

    @property
    def stream(self) -> _random.Random:
        """The incident's overflow stream, for draws beyond its prepared uniforms."""
        if self._stream is None:
            # ``_random.Random`` is ``random.Random``'s C base: the same sequence for an
            # int seed, without the Python-level ``__init__`` and ``seed`` wrappers.
            self._stream = _random.Random(self.seed)
        return self._stream

    def new_step_block(self, size: int) -> None:
        """Uniforms for one runbook application, at fixed positions per step attempt."""
        width = self.world.c.step_block_width
        start = DRAW_SLOTS + self.applications * width
        self.applications += 1
        if start + width <= len(self.decisions):
            self.step_block = self.decisions[start : start + size * STEP_SLOTS]
        else:
            draw = self.stream.random
            self.step_block = [draw() for _ in range(size * STEP_SLOTS)]

    def step_facts(self, request: StepRequest) -> CompiledStep:
        """The compiled facts of the requested step of the runbook being applied."""
        steps = self.steps
        assert steps is not None, "no runbook is being applied"
        return steps.by_position[request.position]

    def step_u(self, request: StepRequest, purpose: int) -> float:
        """The uniform for ``purpose`` (APPROVE, DURATION, OUTCOME) of this step attempt."""
        return self.step_u_at(self.step_facts(request), request.attempt, purpose)

    def step_u_at(self, facts: CompiledStep, attempt: int, purpose: int) -> float:
        """``step_u`` for a caller that already holds the step's compiled facts.

        Attempts beyond the fixed slots draw from the overflow stream, in the order
        asked (approval, duration, outcome)."""
        if attempt > ATTEMPT_SLOTS:
            return self.stream.random()
        return self.step_block[facts.block + (attempt - 1) * 3 + purpose]

    def u(self, slot: tuple[int, int], k: int = 0) -> float:
        """The uniform for decision ``slot`` (ACK, TRIAGE, ...), ``k``-th occurrence."""
        base, size = slot
        return self.decisions[base + k] if k < size else self.stream.random()

    # -- what the policy may ask --------------------------------------------------

    def active(self) -> list[FaultRun]:
        return [f for f in self.faults if f.ended is None]

    def fixed_by(self, runbook: str) -> bool:
        """Whether ``runbook`` fixes one of the active faults (it fits the incident)."""
        for f in self.faults:  # noqa: SIM110 - a plain loop beats any() with a genexpr
            if f.ended is None and runbook in f.fault.fixes:
                return True
        return False

    def has_active(self) -> bool:
        """``bool(self.active())`` without building the list."""
        for f in self.faults:  # noqa: SIM110 - a plain loop beats any() with a genexpr
            if f.ended is None:
                return True
        return False

    def slowdown(self) -> float:
        """How much slower than nominal the current person works now."""
        skill = self.person.skill if self.person is not None else 1.0
        world = self.world
        return world.night_factor(world.env._now) / skill

    def fatigue(self) -> float:
        """Extra error probability from recent pages of the current person."""
        fatigue = self.world.fatigue
        if fatigue is None or self.person is None:
            return 0.0
        pages = self.person.pages
        horizon = self.world.env._now - fatigue.window
        while pages and pages[0] < horizon:
            pages.popleft()
        return min(fatigue.max_extra, fatigue.error_per_page * max(0, len(pages) - 1))

    def pick_runbook(self, tried: list[str], p_wrong: float) -> str | None:
        """Diagnosis outcome: a fitting runbook, or with ``p_wrong`` one that does not fit.

        ``tried`` lists earlier attempts (it indexes the random draws). Runbooks whose
        fix was seen not to work (their mitigating step failed verification) are ruled
        out; one that failed in execution (a mistake, a timeout) may be tried again,
        as a person would after fixing the mistake. Nothing left: None.
        """
        order = self.world.c.runbook_order
        active = self.active()
        fixes: frozenset[str] | set[str] = active[0].fault.fixes if len(active) == 1 else set()
        if len(active) > 1:
            for f in active:
                fixes |= f.fault.fixes
        out = self.ruled_out
        u, v = self.u(PICK_WRONG, len(tried)), self.u(PICK_WHICH, len(tried))
        right = None  # the first fitting runbook not ruled out, in file order
        for r in order:
            if r in fixes and r not in out:
                right = r
                break
        if u < p_wrong or right is None:
            wrong = [r for r in order if r not in fixes and r not in out]
            if wrong:
                return wrong[int(v * len(wrong))]
        return right

    def work(self, what: str, minutes: float) -> Generator[simpy.Event, Any, None]:
        """Human work outside runbook steps: time passes, and it is logged and counted."""
        yield self.world.env.timeout(minutes)
        self.worked(what, minutes)

    def worked(self, what: str, minutes: float) -> None:
        """Log ``minutes`` of finished human work (``work`` without the wait, for a
        policy that waits itself: one generator less per piece of work). Human-minutes
        and manual actions are counted from the log (``sim.metrics``), not kept here."""
        self.world.log(
            self.number, "work", self.service, self._actor(), {"what": what, "minutes": minutes}
        )

    def _actor(self) -> str:
        return self.person.name if self.person is not None else AUTOMATION
