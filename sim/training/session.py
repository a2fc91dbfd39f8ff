"""A training session: one replication of a scenario in which a person plays one seat.

The engine (``sim.engine.Interactive``) runs until the trainee must decide; the session
turns each command into an answer, logs it in the event log (kind ``action``) and runs
on. Its inputs — the command lines with the simulated minute each was given at — are
the whole save file: ``Session.replay`` rebuilds a session from them exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sim.engine import Interactive, Prompt, Reply
from sim.eventlog import Event
from sim.spec.scenario import ScenarioSpec
from sim.spec.training import TrainingSpec

from .actions import COMMANDS, Command, CommandError, parse
from .evidence import EvidenceBook, active_faults

__all__ = ["Input", "Note", "ReplayError", "Session", "question"]


@dataclass(frozen=True, slots=True)
class Input:
    """One line of the save file: a command and the simulated minute it was given at."""

    t: float
    text: str


@dataclass(frozen=True, slots=True)
class Note:
    """Something the trainee was shown on request (an inspection, a hint)."""

    t: float
    source: str
    lines: tuple[str, ...]


class ReplayError(ValueError):
    """Stored inputs that do not replay on this scenario (it changed since)."""


class Session:
    """One trainee in one replication. ``act`` takes a command line; ``prompt`` is the
    decision the engine waits for (None once the world reached its horizon: then
    only reviews, hints and ``end`` are left)."""

    def __init__(self, spec: ScenarioSpec, seed: int = 1, role: str | None = None) -> None:
        if not spec.resolved:
            raise ValueError("the scenario must be loaded with sim.spec.load_scenario")
        self.spec = spec
        self.training = training = spec.training or TrainingSpec()
        self.seed = seed
        self.role = role or training.role or spec.responders.roster[0].role
        self.strategy = training.strategy or next(iter(spec.strategies))
        faced = frozenset(training.incidents) if training.incidents is not None else None
        self.play = Interactive(spec, self.strategy, seed, self.role, faced, training.noise)
        self.trainee = self.play.seat.person.name
        self.book = EvidenceBook(spec)
        self.inputs: list[Input] = []
        self.notes: list[Note] = []
        self.hints_taken = 0
        self.ended = False
        self.message = ""
        self.prompt: Prompt | None = self.play.advance()

    @classmethod
    def replay(
        cls, spec: ScenarioSpec, seed: int, role: str | None, inputs: Iterable[Input]
    ) -> Session:
        """The session the stored ``inputs`` lead to (each must come at its minute)."""
        session = cls(spec, seed, role)
        for n, given in enumerate(inputs, 1):
            if abs(session.now - given.t) > 1e-9:
                raise ReplayError(
                    f"input {n} ({given.text!r}) was given at minute {given.t:g}, but the "
                    f"session reached minute {session.now:g}: the scenario changed"
                )
            try:
                session.act(given.text)
            except CommandError as exc:
                raise ReplayError(f"input {n} ({given.text!r}) no longer applies: {exc}") from None
        return session

    # -- state --------------------------------------------------------------------

    @property
    def now(self) -> float:
        return self.play.now

    @property
    def events(self) -> list[Event]:
        return self.play.events

    @property
    def finished(self) -> bool:
        return self.ended

    def clock(self, minutes: float | None = None) -> str:
        return self.spec.clock(self.now if minutes is None else minutes)

    def allowed(self) -> list[str]:
        """The verbs that can be given now (for completion and buttons)."""
        kind = self.prompt.kind if self.prompt is not None else None
        return [
            verb
            for verb, spec in COMMANDS.items()
            if (kind is None and "end" in spec.allowed and not self.ended)
            or (kind is not None and ("*" in spec.allowed or kind in spec.allowed))
        ]

    # -- acting -------------------------------------------------------------------

    def act(self, line: str) -> str:
        """Apply one command line; return what the trainee is told. ``CommandError``
        (nothing changed) when it cannot be given now."""
        if self.ended:
            raise CommandError("the session is over")
        command = parse(line)
        if command.verb not in self.allowed():
            raise CommandError(self._not_now(command))
        given_at = self.now
        message = self._apply(command)
        self.inputs.append(Input(given_at, line.strip()))
        self.message = message
        return message

    def _not_now(self, command: Command) -> str:
        if self.prompt is None:
            return f"{command.verb!r} is not possible now: the shift is over (review, hint, end)"
        return (
            f"{command.verb!r} does not answer this: {_QUESTIONS[self.prompt.kind]} "
            f"(possible now: {', '.join(self.allowed())})"
        )

    def _apply(self, command: Command) -> str:
        prompt = self.prompt
        incident = command.incident or (prompt.incident if prompt is not None else 0)
        if command.verb == "review" and not command.incident:
            incident = self._last_incident()
        service = prompt.service if prompt is not None else ""
        message = self._effect(command, prompt)
        self.play.log(
            incident,
            "action",
            service,
            {
                "command": command.verb,
                "arg": command.arg,
                "text": command.text,
                "prompt": prompt.kind if prompt is not None else "end",
                "step": prompt.step if prompt is not None else "",
            },
        )
        if prompt is None:
            self.ended = command.verb == "end"
            return message
        decisive = prompt.kind in command.spec.answers
        self.play.answer(
            Reply(command.minutes(), decisive, self._value(command), command.spec.what)
        )
        mark = len(self.events)
        self.prompt = self.play.advance()
        if command.verb == "do":
            message = self._step_result(prompt, mark) or message
        return message

    def _step_result(self, prompt: Prompt, mark: int) -> str:
        """How the step just performed went, from the rows logged since ``mark``."""
        for e in self.events[mark:]:
            d = e.details
            if e.kind == "step" and e.incident == prompt.incident and d["step"] == prompt.step:
                took = f"{e.t - d['started']:.0f} min"
                return (
                    f"{d['step']} done in {took}"
                    if d["ok"]
                    else (f"{d['step']} FAILED after {took} ({d['failure']})")
                )
        return ""

    def _value(self, command: Command) -> object:
        if command.verb in ("severity", "runbook"):
            return command.arg
        if command.verb in ("approve", "dismiss"):
            return True
        return None

    def _effect(self, command: Command, prompt: Prompt | None) -> str:
        """What the trainee is told; inspections and hints are also kept as notes."""
        verb, arg = command.verb, command.arg
        if verb == "runbook" and arg not in self.spec.runbook_index:
            raise CommandError(f"unknown runbook {arg!r}; 'inspect runbook ID' lists steps")
        if verb == "inspect":
            lines = self._inspect(command, prompt)
            self.notes.append(Note(self.now, f"inspect {arg} {command.text}".strip(), lines))
            return "\n".join(lines)
        if verb == "hint":
            hints = self.training.hints
            if self.hints_taken >= len(hints):
                return "no more hints for this scenario"
            text = hints[self.hints_taken]
            self.hints_taken += 1
            self.notes.append(Note(self.now, "hint", (text,)))
            return f"hint: {text}"
        if verb == "review" and not self._reviewable(command.incident):
            raise CommandError(f"there is no incident {command.incident} of yours to review")
        return _DONE.get(verb, "ok").format(arg=arg)

    def _held(self) -> list[int]:
        """The incidents the trainee held and did not dismiss, in order."""
        held = [e.incident for e in self.events if e.kind == "assign" and e.actor == self.trainee]
        dismissed = {
            e.incident
            for e in self.events
            if e.kind == "action" and e.details["command"] == "dismiss"
        }
        return [n for n in held if n not in dismissed]

    def _last_incident(self) -> int:
        held = self._held()
        return held[-1] if held else 0

    def _reviewable(self, number: int) -> bool:
        return number in self._held() if number else bool(self._held())

    def _reached(self, fault: str) -> set[str]:
        return {service for service, _health in self.play.picture(fault).health}

    def _inspect(self, command: Command, prompt: Prompt | None) -> tuple[str, ...]:
        spec, arg = self.spec, command.arg
        if arg == "logs":
            service = command.text or (prompt.service if prompt is not None else "")
            if service not in spec.services:
                raise CommandError(f"unknown service {service!r}")
            faults = active_faults(self.events)
            return tuple(self.book.logs(service, faults, self.now, self._reached))
        if arg == "changes":
            return tuple(self.book.changes(active_faults(self.events), self.now, self.clock))
        if arg == "runbook":
            runbook = spec.runbook_index.get(command.text)
            if runbook is None:
                raise CommandError(f"unknown runbook {command.text!r}")
            return (
                runbook.title,
                *(
                    f"{s.id}{' (needs approval)' if s.requires_approval else ''}"
                    for s in runbook.steps
                ),
            )
        if prompt is None or not prompt.step:
            raise CommandError("no step is waiting: 'inspect step' reads the next step")
        step = next(s for s in spec.runbook_index[prompt.runbook].steps if s.id == prompt.step)
        lines = [f"{prompt.runbook} / {step.id}", *step.action.strip().splitlines()]
        if step.verify:
            lines.append(f"verify: {step.verify}")
        if step.requires_approval:
            lines.append("risky: this step needs approval; check the state it assumes first")
        return tuple(lines)


#: What each decision asks, in the trainee's words.
_QUESTIONS = {
    "page": "you are paged: acknowledge ('ack')",
    "triage": "how severe is it? ('severity P0..P3')",
    "noise": "is this page real? ('dismiss' if it is a false positive)",
    "runbook": "what do you do? ('runbook ID', or 'escalate')",
    "approve": "a step needs your approval ('approve')",
    "step": "the next step is yours ('do')",
}

_DONE = {
    "ack": "acknowledged",
    "severity": "severity set to {arg}",
    "declare": "incident declared; you have command",
    "runbook": "applying runbook {arg}",
    "escalate": "handed to the specialists",
    "do": "step under way",
    "handover": "incident command handed over to {arg}",
    "approve": "approved",
    "dismiss": "dismissed as a false positive",
    "page": "paged {arg}",
    "status": "status update posted",
    "mitigated": "declared mitigated",
    "resolve": "declared resolved",
    "review": "review notes saved",
    "end": "session finished",
}


def question(prompt: Prompt) -> str:
    """What a prompt asks, in the trainee's words."""
    return _QUESTIONS[prompt.kind]
