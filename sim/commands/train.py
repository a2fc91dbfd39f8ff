"""``gameday train SCENARIO`` — a trainee plays the responder in the terminal.

Interactive by default (tab completes commands; 'help' lists what is possible now);
``--actions FILE`` plays an action file instead, for tests and CI. Every command is saved
in the training store as it is given: run the same command again after a crash or
Ctrl-D and the session resumes where it stopped.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from sim.training import Session, TrainingStore

HELP = "play the responder in a training scenario (terminal)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="the training scenario YAML file")
    parser.add_argument("--seed", type=int, default=1, help="replication seed (default 1)")
    parser.add_argument("--role", help="the seat to take (default: the scenario's training role)")
    parser.add_argument("--actions", metavar="FILE", help="play an action file, one command a line")
    parser.add_argument("--player", help="your name on the leaderboard (default: login name)")
    parser.add_argument(
        "--store", metavar="FILE", help="SQLite file (default results/training.sqlite)"
    )
    parser.add_argument("--new", action="store_true", help="start afresh instead of resuming")
    parser.add_argument("--postmortem", metavar="FILE", help="write the postmortem (Markdown)")
    parser.add_argument("--events", metavar="FILE", help="write the event log (JSON Lines)")
    parser.add_argument("--json", action="store_true", help="print the debrief as JSON only")


def run(args: argparse.Namespace) -> int:
    from sim.training import ReplayError, ScriptError, Session, TrainingStore

    from .common import load_scenario_for_command
    from .train_screen import console

    spec = load_scenario_for_command(args.scenario)
    if spec is None:
        return 2
    roles = {entry.role for entry in spec.responders.roster}
    if args.role is not None and args.role not in roles:
        print(
            f"{args.scenario}: unknown role {args.role!r} (roster: {', '.join(sorted(roles))})",
            file=sys.stderr,
        )
        return 2
    out = console() if not args.json else None
    store = TrainingStore(args.store)
    player = args.player or default_player()
    try:
        if args.actions:
            session = Session(spec, args.seed, args.role)
            _play_file(session, args.actions, out)
            sid = store.create(session, player)
            store.sync(sid, session)
        else:
            sid, session = _resume_or_start(store, spec, args, player, out)
    except (ScriptError, ReplayError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if not session.finished and (args.actions is None or sys.stdin.isatty()):
        _interact(session, store, sid, out)
    if not session.finished:
        print(
            f"the session is not over (at {session.clock()}); it is saved as {sid}: run "
            f"'gameday train {args.scenario} --seed {args.seed}' to resume",
            file=sys.stderr,
        )
        return 1
    return _finish(session, store, sid, args, out)


def default_player() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "trainee"


def _resume_or_start(
    store: TrainingStore, spec: object, args: argparse.Namespace, player: str, out: Console | None
) -> tuple[str, Session]:
    from sim.spec import ScenarioSpec
    from sim.training import Session

    assert isinstance(spec, ScenarioSpec)
    role = (
        args.role
        or (spec.training.role if spec.training else None)
        or spec.responders.roster[0].role
    )
    sid = None if args.new else store.unfinished(spec.name, args.seed, role, player)
    if sid is not None:
        session = store.load(sid, spec)
        if out is not None:
            out.print(f"resuming session {sid} at {session.clock()} ({len(session.inputs)} inputs)")
        return sid, session
    session = Session(spec, args.seed, role)
    return store.create(session, player), session


def _play_file(session: Session, path: str, out: Console | None) -> None:
    from sim.training import CommandError, ScriptError, read_actions

    for n, line in read_actions(path):
        at = session.clock()
        try:
            told = session.act(line)
        except CommandError as exc:
            raise ScriptError(f"{path}:{n}: {exc}") from None
        if out is not None:
            out.print(f"[dim]{at}[/] > {line}")
            if told and not told.startswith(("applying", "step under way")):
                out.print(f"  {told}", highlight=False)


def _interact(session: Session, store: TrainingStore, sid: str, out: Console | None) -> None:
    from sim.training import CommandError, observe

    from .train_screen import help_view, screen

    _completion(session)
    while not session.finished:
        obs = observe(session)
        if out is not None:
            out.print(screen(obs))
        try:
            line = input("gameday> ")
        except EOFError:
            return
        if not line.strip():
            continue
        if line.strip() in ("help", "?"):
            if out is not None:
                out.print(help_view(obs))
            continue
        try:
            session.act(line)
        except CommandError as exc:
            if out is not None:
                out.print(f"[red]{exc}[/]")
            continue
        store.sync(sid, session)


def _completion(session: Session) -> None:
    """Tab completes the verbs possible now, runbook ids and severities."""
    try:
        import readline
    except ImportError:  # no readline (Windows): typing still works
        return
    words = {
        "runbook": sorted(session.spec.runbook_index),
        "severity": ["P0", "P1", "P2", "P3"],
        "inspect": ["logs", "changes", "runbook", "step"],
        "page": sorted({e.role for e in session.spec.responders.roster}),
        "review": ["impact", "cause", "actions"],
    }

    def complete(text: str, state: int) -> str | None:
        line = readline.get_line_buffer().split()
        if len(line) <= 1 and not readline.get_line_buffer().endswith(" "):
            options = [*session.allowed(), "help"]
        else:
            options = words.get(line[0], [])
        matches = [o + " " for o in options if o.startswith(text)]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete)
    readline.set_completer_delims(" ")
    readline.parse_and_bind("tab: complete")


def _finish(
    session: Session, store: TrainingStore, sid: str, args: argparse.Namespace, out: Console | None
) -> int:
    from sim.eventlog import write_jsonl
    from sim.training import debrief, postmortem

    from .common import print_json
    from .train_screen import debrief_view

    result = debrief(session)
    store.finish(sid, result.score)
    if args.postmortem:
        _write(Path(args.postmortem), postmortem(session, result))
    if args.events:
        write_jsonl(session.events, args.events)
    if out is None:
        print_json(_json(result, sid))
        return 0
    out.print(debrief_view(result))
    board = store.leaderboard(session.spec.name, 5)
    out.print("leaderboard: " + "; ".join(f"{p} {s:g}" for p, s, _m, _seed in board))
    return 0


def _write(path: Path, text: str) -> None:
    """Atomically: a temporary file renamed into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _json(result: object, sid: str) -> dict[str, object]:
    from sim.training import Debrief

    assert isinstance(result, Debrief)
    return {
        "session": sid,
        "scenario": result.scenario,
        "seed": result.seed,
        "role": result.role,
        "score": result.score.total,
        "parts": {p.name: p.points for p in result.score.parts},
        "mistakes": [
            {"incident": m.incident, "what": m.what, "why": m.why} for m in result.score.mistakes
        ],
        "incidents": [
            {
                "incident": r.facts.number,
                "fault": r.facts.fault,
                "kind": r.facts.kind,
                "ttr": r.facts.ttr,
                "baselines": r.baseline_ttr,
            }
            for r in result.incidents
        ],
    }
