"""A live game day: a team plays one responder seat while a facilitator runs the world.

A game day is (scenario, seed, the ordered list of inputs). Every input — a player's
command or a facilitator's start, pause, speed, inject, message, note or end — is kept
with the simulated minute it was given at; ``GameDay.replay`` gives the same inputs to a
fresh game day through the same code path, so it rebuilds the event log byte for byte.
How wall-clock time maps to simulated minutes is the caller's business (``LiveClock``):
this model only moves when told, by ``advance_to(minute)``.

An injection adds a fault definition to the scenario; the world is then rebuilt on the
new scenario and the inputs so far are given again (a fault arriving at or after the
current minute changes nothing before it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sim.engine import LiveWorld, Prompt, Reply
from sim.eventlog import Event
from sim.spec.scenario import ScenarioSpec
from sim.training import COMMANDS, CommandError, ReplayError, parse

from .inject import MAX_INJECTIONS, InjectError, Injection, parse_inject, with_injections
from .roles import DECIDES, FACILITATOR, PERMITS, ROLES, RoleError

__all__ = [
    "FACILITATOR_VERBS",
    "MAX_INPUTS",
    "MAX_TEXT",
    "SPEEDS",
    "GameDay",
    "Input",
    "LiveError",
]

MAX_INPUTS = 5_000  # inputs of one game day (every injection replays them all)
MAX_TEXT = 500  # characters of one input
NEXT_AT_MOST = 10.0  # minutes "next" moves the world when nothing happens sooner
SPEEDS = ("1", "10", "60", "stepped")
FACILITATOR_VERBS = (
    "start",
    "pause",
    "resume",
    "speed",
    "next",
    "inject",
    "message",
    "note",
    "action",
    "end",
)


class LiveError(ValueError):
    """An input that cannot be given now; nothing changed."""


@dataclass(frozen=True, slots=True)
class Input:
    """One line of the save file: who gave what, at which simulated minute (``t``) and
    wall-clock second (``wall``, for the report only: replay never reads it)."""

    t: float
    who: str
    role: str  # a player role, or ``facilitator``
    text: str
    wall: float = 0.0


class GameDay:
    """One game day on ``spec`` with ``seed``; the team plays the seat of ``role``
    (default: the training block's role, else the roster's first)."""

    def __init__(self, spec: ScenarioSpec, seed: int = 1) -> None:
        if not spec.resolved:
            raise ValueError("the scenario must be loaded with sim.spec.load_scenario")
        self.spec = spec
        self.seed = seed
        training = spec.training
        self.seat_role = (training.role if training else None) or spec.responders.roster[0].role
        wanted = training.strategy if training and training.strategy else "manual"
        self.strategy = wanted if wanted in spec.strategies else next(iter(spec.strategies))
        self.inputs: list[Input] = []
        self.injections: list[Injection] = []
        self._rebuilding = False  # giving the inputs again after an injection
        self._build()

    def _build(self) -> None:
        self.present: set[str] = set()  # roles somebody plays (decides who is asked)
        self.ended = False
        self.world = LiveWorld(
            with_injections(self.spec, self.injections),
            self.strategy,
            self.seed,
            self.seat_role,
            self._plays,
        )

    def _plays(self, kind: str) -> bool:
        return any(role in self.present for role in DECIDES.get(kind, ()))

    @classmethod
    def replay(cls, spec: ScenarioSpec, seed: int, inputs: Iterable[Input]) -> GameDay:
        """The game day the stored ``inputs`` lead to (``ReplayError`` if they do not
        apply: the scenario changed since)."""
        gameday = cls(spec, seed)
        for n, given in enumerate(inputs, 1):
            try:
                gameday.give(given)
            except (LiveError, CommandError, RoleError, InjectError) as exc:
                raise ReplayError(f"input {n} ({given.text!r}) no longer applies: {exc}") from None
        return gameday

    # -- state --------------------------------------------------------------------

    @property
    def now(self) -> float:
        return self.world.now

    @property
    def events(self) -> list[Event]:
        return self.world.events

    @property
    def seat(self) -> str:
        """The responder whose seat the team plays."""
        return self.world.seat_name

    @property
    def started(self) -> bool:
        return any(i.role == FACILITATOR and i.text == "start" for i in self.inputs)

    def clock(self, minutes: float | None = None) -> str:
        return self.spec.clock(self.now if minutes is None else minutes)

    def prompts(self, role: str | None = None) -> list[Prompt]:
        """Decisions waiting for the team (for ``role``: those it may answer)."""
        return [
            p
            for p in self.world.prompts()
            if role is None or (role in DECIDES.get(p.kind, ()) and role in self.present)
        ]

    def advance_to(self, minute: float) -> None:
        """Let the world run to ``minute`` (nothing moves once the game day ended)."""
        if not self.ended:
            self.world.run_until(minute)

    # -- inputs -------------------------------------------------------------------

    def facilitate(self, text: str, wall: float = 0.0) -> str:
        """A facilitator's input, given now."""
        return self.give(Input(self.now, "facilitator", FACILITATOR, text, wall))

    def act(self, who: str, role: str, text: str, wall: float = 0.0) -> str:
        """A player's command (or ``join``), given now."""
        return self.give(Input(self.now, who, role, text, wall))

    def give(self, given: Input) -> str:
        """Apply one input at its minute; return what the giver is told. Raises (and
        changes nothing) when it cannot be given."""
        if self.ended:
            raise LiveError("the game day is over")
        if len(self.inputs) >= MAX_INPUTS:
            raise LiveError(f"a game day takes at most {MAX_INPUTS} inputs")
        text = " ".join(given.text.split())
        if not text or len(text) > MAX_TEXT:
            raise LiveError(f"an input is 1 to {MAX_TEXT} characters")
        self.advance_to(given.t)
        if abs(self.now - given.t) > 1e-9:
            raise LiveError(f"minute {given.t:g} is out of reach (now {self.now:g})")
        given = Input(given.t, given.who, given.role, text, given.wall)
        apply = self._facilitator if given.role == FACILITATOR else self._player
        message = apply(given)
        self.inputs.append(given)
        return message

    def _facilitator(self, given: Input) -> str:
        verb, _, rest = given.text.partition(" ")
        if verb not in FACILITATOR_VERBS:
            raise LiveError(f"unknown facilitator input {verb!r}; one of {FACILITATOR_VERBS}")
        if verb == "speed" and rest not in SPEEDS:
            raise LiveError(f"speed is one of {', '.join(SPEEDS)}")
        if verb in ("message", "note", "action") and not rest:
            raise LiveError(f"usage: {verb} TEXT")
        if verb == "next":
            self.world.step_instant(NEXT_AT_MOST)
        elif verb == "inject":
            return self._inject(given, rest.split())
        elif verb == "end":
            self.ended = True
        return "ok"

    def _inject(self, given: Input, words: list[str]) -> str:
        if self._rebuilding:  # an earlier injection: already in the scenario
            return "ok"
        if len(self.injections) >= MAX_INJECTIONS:
            raise LiveError(f"a game day takes at most {MAX_INJECTIONS} injections")
        injection = parse_inject(words, self.spec, len(self.injections) + 1, self.now)
        earlier = self.inputs
        self.injections.append(injection)
        self.inputs = []
        self._build()
        self._rebuilding = True
        try:
            for before in earlier:
                self.give(before)
        except (LiveError, CommandError, RoleError, InjectError) as exc:  # pragma: no cover
            raise ReplayError(f"{before.text!r} does not replay after it: {exc}") from exc
        finally:
            self._rebuilding = False
        self.advance_to(given.t)  # the inputs so far may end before this one
        return f"injected {injection.describe()} at {self.clock(injection.at)}"

    def _player(self, given: Input) -> str:
        role = given.role
        if role not in ROLES:
            raise RoleError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        if given.text == "join":
            self.present.add(role)
            return f"{given.who} joined as {role}"
        verb = given.text.split()[0].lower()
        if verb not in PERMITS[role]:
            raise RoleError(f"the {role} role may not {verb!r}")
        if verb == "assign":
            return self._assign(given)
        command = parse(given.text)
        if command.verb == "runbook" and command.arg not in self.spec.runbook_index:
            raise CommandError(f"unknown runbook {command.arg!r}")
        answers = command.spec.answers
        prompt = None
        if answers:
            prompt = next((p for p in self.prompts(role) if p.kind in answers), None)
            if prompt is None:
                raise CommandError(f"nothing waits for {command.verb!r} from the {role} now")
        incident = prompt.incident if prompt else self._latest_incident()
        self.world.log(
            incident,
            "action",
            prompt.service if prompt else "",
            given.who,
            {
                "command": command.verb,
                "arg": command.arg,
                "text": command.text,
                "prompt": prompt.kind if prompt else "",
                "step": prompt.step if prompt else "",
                "role": role,
            },
        )
        if prompt is not None:
            value: object = None
            if command.verb in ("severity", "runbook"):
                value = command.arg
            elif command.verb in ("approve", "dismiss"):
                value = True
            reply = Reply(command.minutes(), True, value, COMMANDS[command.verb].what)
            self.world.answer(prompt.number, reply)
        return "ok"

    def _assign(self, given: Input) -> str:
        words = given.text.split()
        if len(words) < 2 or words[1] not in ROLES:
            raise CommandError(f"usage: assign ROLE TEXT (ROLE one of {', '.join(ROLES)})")
        details = {"command": "assign", "arg": words[1], "text": " ".join(words[2:])}
        self.world.log(
            self._latest_incident(),
            "action",
            "",
            given.who,
            {**details, "prompt": "", "step": "", "role": given.role},
        )
        return f"assigned to {words[1]}"

    def _latest_incident(self) -> int:
        """The last incident the seat took (0 before any): what a status is about."""
        seat = self.seat
        held = [e.incident for e in self.events if e.kind == "assign" and e.actor == seat]
        return held[-1] if held else 0
