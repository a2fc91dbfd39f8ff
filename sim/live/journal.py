"""A game day (or a training session) as a journal shaped like Chaos Toolkit's, and back.

The journal is what Chaos Toolkit writes after running an experiment, filled from the
game day; its ``gameday`` extension is the save file itself, so ``replay_journal``
needs nothing else:

=============================  =====================================================
journal field                  from the game day
=============================  =====================================================
``experiment.title``           the game day's title
``experiment.description``     the scenario's description
``experiment.tags``            ``gameday``, the scenario's name
``experiment.method``          one ``action`` per injected fault (provider
                               ``python``, ``sim.live`` / ``inject``, its arguments)
``experiment.extensions[0]``   ``{name: gameday, kind: gameday|training, scenario``
                               (the resolved scenario), ``scenario_digest, seed,
                               role, inputs, event_log_digest, events}``
``run``                        one entry per input, in order: the activity names who
                               gave it (``facilitator`` or a player, with the role);
                               ``start``/``end`` are its wall-clock time (ISO 8601)
``start`` / ``end``            the first and last input's wall-clock time
``status``                     ``completed`` once ended, else ``interrupted``
``deviated``                   false (a game day has no steady-state hypothesis)
=============================  =====================================================
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim import __version__
from sim.eventlog import Event, digest
from sim.spec.safe_io import UnsafePath, atomic_write, read_limited
from sim.spec.scenario import ScenarioSpec
from sim.spec.workload import work_problem
from sim.training import Input as TrainingInput
from sim.training import ReplayError, Session

from .gameday import MAX_INPUTS, MAX_TEXT, GameDay, Input

__all__ = [
    "MAX_JOURNAL_BYTES",
    "JournalError",
    "Replayed",
    "journal",
    "replay_journal",
    "training_journal",
    "write_journal",
]

MAX_JOURNAL_BYTES = 20_000_000  # a journal larger than this is not one gameday wrote


class JournalError(ValueError):
    """A file that is not a journal ``replay_journal`` can re-run; says what is wrong."""


def _iso(wall: float) -> str | None:
    return datetime.fromtimestamp(wall, UTC).isoformat() if wall else None


def journal(gameday: GameDay, title: str = "") -> dict[str, Any]:
    """The Chaos Toolkit-shaped journal of ``gameday``."""
    spec, inputs = gameday.spec, gameday.inputs
    method = [
        {
            "type": "action",
            "name": inj.name,
            "provider": {
                "type": "python",
                "module": "sim.live",
                "func": "inject",
                "arguments": {
                    "at": inj.at,
                    "fault": inj.fault,
                    "service": inj.service,
                    "kind": inj.kind,
                    "minutes": inj.minutes,
                },
            },
        }
        for inj in gameday.injections
    ]
    run = [
        {
            "activity": {
                "type": "action",
                "name": f"{given.who} ({given.role}): {given.text.split()[0]}",
                "provider": {
                    "type": "python",
                    "module": "sim.live",
                    "func": "facilitate" if given.role == "facilitator" else "act",
                    "arguments": {"who": given.who, "role": given.role, "text": given.text},
                },
            },
            "status": "succeeded",
            "output": {"minute": given.t, "clock": gameday.clock(given.t)},
            "start": _iso(given.wall),
            "end": _iso(given.wall),
            "duration": 0,
        }
        for given in inputs
    ]
    extension = {
        "name": "gameday",
        "kind": "gameday",
        "format": 1,
        "scenario": spec.model_dump(mode="json", by_alias=True),
        "scenario_digest": spec.digest,
        "seed": gameday.seed,
        "role": None,
        "inputs": [[i.t, i.who, i.role, i.text, i.wall] for i in inputs],
        "event_log_digest": digest(gameday.events),
        "events": len(gameday.events),
    }
    first, last = (inputs[0].wall, inputs[-1].wall) if inputs else (0.0, 0.0)
    return {
        "chaoslib-version": None,
        "gameday-version": __version__,
        "platform": platform.platform(),
        "node": platform.node(),
        "experiment": {
            "version": "1.0.0",
            "title": title or f"Game day on {spec.name}",
            "description": spec.description,
            "tags": ["gameday", spec.name],
            "method": method,
            "rollbacks": [],
            "extensions": [extension],
        },
        "start": _iso(first),
        "end": _iso(last),
        "duration": max(0.0, last - first),
        "status": "completed" if gameday.ended else "interrupted",
        "deviated": False,
        "steady_states": {"before": None, "after": None, "during": []},
        "run": run,
        "rollbacks": [],
    }


def training_journal(session: Session) -> dict[str, Any]:
    """A training session's journal: the same shape, kind ``training``."""
    extension = {
        "name": "gameday",
        "kind": "training",
        "format": 1,
        "scenario": session.spec.model_dump(mode="json", by_alias=True),
        "scenario_digest": session.spec.digest,
        "seed": session.seed,
        "role": session.role,
        "inputs": [[i.t, session.trainee, session.role, i.text, 0.0] for i in session.inputs],
        "event_log_digest": digest(session.events),
        "events": len(session.events),
    }
    return {
        "chaoslib-version": None,
        "gameday-version": __version__,
        "experiment": {
            "version": "1.0.0",
            "title": f"Training on {session.spec.name}",
            "description": session.spec.description,
            "tags": ["gameday", "training", session.spec.name],
            "method": [],
            "rollbacks": [],
            "extensions": [extension],
        },
        "status": "completed" if session.finished else "interrupted",
        "deviated": False,
        "run": [],
        "rollbacks": [],
    }


def write_journal(doc: dict[str, Any], path: str | Path) -> None:
    """Write a journal atomically (never half a file)."""
    atomic_write(path, json.dumps(doc, indent=2) + "\n")


@dataclass(frozen=True, slots=True)
class Replayed:
    """What a journal replays to: the event log and whether it matches the recorded one."""

    kind: str
    scenario: str
    events: list[Event]
    digest: str
    recorded_digest: str

    @property
    def identical(self) -> bool:
        return self.digest == self.recorded_digest


def replay_journal(path: str | Path) -> Replayed:
    """Re-run the journal at ``path``; ``JournalError`` names what is wrong with it."""
    path = Path(path)
    try:
        doc = json.loads(read_limited(path, MAX_JOURNAL_BYTES).decode("utf-8"))
    except UnsafePath as exc:
        raise JournalError(f"{path}: {exc}") from None
    except OSError as exc:
        raise JournalError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise JournalError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise JournalError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    ext = _extension(path, doc)
    try:
        spec = ScenarioSpec.model_validate(ext["scenario"])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise JournalError(
            f"{path}: experiment.extensions.gameday.scenario.{where}: {first['msg']}"
        ) from None
    problem = work_problem(spec) or ("" if spec.resolved else "runbooks or triage not inlined")
    if problem:
        raise JournalError(f"{path}: experiment.extensions.gameday.scenario.{problem}")
    if spec.digest != ext["scenario_digest"]:
        raise JournalError(f"{path}: the scenario does not match its digest (edited?)")
    inputs = _inputs(path, ext["inputs"])
    try:
        if ext["kind"] == "training":
            given = [TrainingInput(i.t, i.text) for i in inputs]
            events = Session.replay(spec, ext["seed"], ext["role"], given).events
        else:
            events = GameDay.replay(spec, ext["seed"], inputs).events
    except (ReplayError, ValueError) as exc:
        raise JournalError(f"{path}: {exc}") from None
    return Replayed(ext["kind"], spec.name, events, digest(events), ext["event_log_digest"])


_FIELDS = {"kind", "scenario", "scenario_digest", "seed", "inputs", "event_log_digest"}


def _extension(path: Path, doc: Any) -> dict[str, Any]:
    extensions = doc.get("experiment", {}).get("extensions") if isinstance(doc, dict) else None
    found = [e for e in extensions or [] if isinstance(e, dict) and e.get("name") == "gameday"]
    if not found:
        raise JournalError(f"{path}: experiment.extensions has no 'gameday' entry")
    ext = found[0]
    missing = sorted(_FIELDS - ext.keys())
    if missing:
        raise JournalError(f"{path}: experiment.extensions.gameday lacks {', '.join(missing)}")
    if ext["kind"] not in ("gameday", "training"):
        raise JournalError(f"{path}: experiment.extensions.gameday.kind: {ext['kind']!r}")
    if not isinstance(ext["seed"], int) or isinstance(ext["seed"], bool):
        raise JournalError(f"{path}: experiment.extensions.gameday.seed: not an integer")
    for key in ("scenario_digest", "event_log_digest"):
        if not isinstance(ext[key], str):
            raise JournalError(f"{path}: experiment.extensions.gameday.{key}: not a string")
    if not isinstance(ext["scenario"], dict):
        raise JournalError(f"{path}: experiment.extensions.gameday.scenario: not an object")
    return ext


def _inputs(path: Path, raw: Any) -> list[Input]:
    where = f"{path}: experiment.extensions.gameday.inputs"
    if not isinstance(raw, list) or len(raw) > MAX_INPUTS:
        raise JournalError(f"{where}: a list of at most {MAX_INPUTS} inputs")
    inputs = []
    for n, item in enumerate(raw):
        ok = (
            isinstance(item, list)
            and len(item) == 5
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in item[::4])
            and all(isinstance(v, str) and len(v) <= MAX_TEXT for v in item[1:4])
        )
        if not ok:
            raise JournalError(f"{where}[{n}]: expected [minute, who, role, text, wall]")
        inputs.append(Input(float(item[0]), item[1], item[2], item[3], float(item[4])))
    return inputs
