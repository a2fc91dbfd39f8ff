"""What a trainee can do: the command grammar, when each command applies and what it
costs in simulated minutes.

A command is one line of text (``runbook restart-service``, ``status checkout is down,
restarting``), the same in the terminal, in an action file and behind the dashboard's
buttons. Decisive commands answer the decision the engine waits for; the others cost
their minutes and the same decision is asked again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.spec.triage import SEVERITIES

__all__ = [
    "COMMANDS",
    "INSPECT_TARGETS",
    "REVIEW_PARTS",
    "Command",
    "CommandError",
    "parse",
]

INSPECT_TARGETS = ("logs", "changes", "runbook", "step")
REVIEW_PARTS = ("impact", "cause", "actions")


@dataclass(frozen=True, slots=True)
class Spec:
    """One command: the decisions it answers (empty: any decision) and its cost."""

    verb: str
    usage: str
    answers: tuple[str, ...]  # prompt kinds it is decisive for
    allowed: tuple[str, ...]  # prompt kinds it may be given at (``*``: any, ``end``: after)
    minutes: float
    what: str  # the ``work`` row it is logged as ("" for none)


#: Every command, in the order the help lists them.
COMMANDS: dict[str, Spec] = {
    s.verb: s
    for s in (
        Spec("ack", "ack", ("page",), ("page",), 1.0, ""),
        Spec("inspect", "inspect logs [SERVICE] | changes | runbook ID | step", (), ("*",), 0, ""),
        Spec("severity", "severity P0|P1|P2|P3", ("triage",), ("triage",), 2.0, "triage"),
        Spec("declare", "declare  (declare the incident, take command)", (), ("*",), 1.0, "comms"),
        Spec("runbook", "runbook ID", ("runbook",), ("runbook",), 2.0, "diagnosis"),
        Spec(
            "escalate",
            "escalate  (hand the incident to specialists)",
            ("runbook",),
            ("runbook",),
            2.0,
            "diagnosis",
        ),
        Spec("do", "do  (perform the next step)", ("step",), ("step",), 0.0, ""),
        Spec("approve", "approve", ("approve",), ("approve",), 1.0, "approval"),
        Spec("dismiss", "dismiss  (a false positive)", ("noise",), ("noise",), 2.0, "noise_check"),
        Spec(
            "handover",
            "handover ROLE  (hand incident command over)",
            (),
            ("*",),
            1.0,
            "comms",
        ),
        Spec("page", "page ROLE", (), ("*",), 1.0, "comms"),
        Spec("status", "status TEXT", (), ("*",), 2.0, "comms"),
        Spec("mitigated", "mitigated  (declare user impact over)", (), ("*",), 1.0, "comms"),
        Spec("resolve", "resolve  (declare the incident resolved)", (), ("*",), 1.0, "comms"),
        Spec("review", "review [N] impact|cause|actions TEXT", (), ("*", "end"), 0.0, ""),
        Spec("hint", "hint", (), ("*", "end"), 0.0, ""),
        Spec("end", "end  (finish the session)", (), ("end",), 0.0, ""),
    )
}

#: Minutes an inspection costs, by target.
INSPECT_MINUTES = {"logs": 3.0, "changes": 2.0, "runbook": 1.0, "step": 1.0}


class CommandError(ValueError):
    """A command that cannot be given now; the message says why and what would do."""


@dataclass(frozen=True, slots=True)
class Command:
    verb: str
    arg: str  # the first argument (severity, runbook id, role, inspect target, ...)
    text: str  # free text (status, review) or a second argument (inspect logs SERVICE)
    incident: int = 0  # review N

    @property
    def spec(self) -> Spec:
        return COMMANDS[self.verb]

    def minutes(self) -> float:
        if self.verb == "inspect":
            return INSPECT_MINUTES[self.arg]
        return self.spec.minutes


def parse(line: str) -> Command:
    """The command a line of text means, or ``CommandError`` naming what is wrong."""
    words = line.strip().split()
    if not words:
        raise CommandError("empty command; type 'help' for the list")
    verb, rest = words[0].lower(), words[1:]
    if verb not in COMMANDS:
        raise CommandError(f"unknown command {verb!r}; type 'help' for the list")
    usage = COMMANDS[verb].usage.split("  (")[0]
    arg = rest[0] if rest else ""
    text = " ".join(rest[1:])
    if verb == "severity":
        arg = arg.upper()
        if arg not in SEVERITIES:
            raise CommandError(f"usage: {usage}")
    elif verb == "inspect":
        if arg not in INSPECT_TARGETS or (arg == "runbook" and not text):
            raise CommandError(f"usage: {usage}")
    elif verb in ("runbook", "page", "handover"):
        if len(rest) != 1:
            raise CommandError(f"usage: {usage}")
    elif verb == "status":
        if not rest:
            raise CommandError("usage: status TEXT (what users see, what is being done)")
        arg, text = "", " ".join(rest)
    elif verb == "review":
        return _review(rest, usage)
    elif rest:
        raise CommandError(f"usage: {usage}")
    return Command(verb, arg, text)


def _review(rest: list[str], usage: str) -> Command:
    number = 0
    if rest and rest[0].lstrip("#").isdigit():
        number = int(rest[0].lstrip("#"))
        rest = rest[1:]
    if len(rest) < 2 or rest[0] not in REVIEW_PARTS:
        raise CommandError(f"usage: {usage}")
    return Command("review", rest[0], " ".join(rest[1:]), number)
