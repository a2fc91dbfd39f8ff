"""``gameday replay JOURNAL`` — re-run a recorded game day or training session.

The journal (written by the dashboard's facilitator console, ``gameday live export`` or
``sim.live.journal``) carries the scenario, the seed and every input with its simulated
minute; replaying them rebuilds the event log, whose digest is compared with the one
recorded. Exit 0: identical; 1: the log differs; 2: the file is not such a journal.
"""

from __future__ import annotations

import argparse
import sys

HELP = "re-run a game day's or training session's journal to the same event log"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("journal", metavar="JOURNAL", help="a journal JSON file")
    parser.add_argument("--events", metavar="FILE", help="write the event log (JSON Lines)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON only")


def run(args: argparse.Namespace) -> int:
    from sim.eventlog import write_jsonl
    from sim.live.journal import JournalError, replay_journal
    from sim.spec.safe_io import output_problem

    from .common import print_json

    problem = output_problem(args.events) if args.events else None
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        replayed = replay_journal(args.journal)
    except JournalError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.events:
        write_jsonl(replayed.events, args.events)
    doc = {
        "kind": replayed.kind,
        "scenario": replayed.scenario,
        "events": len(replayed.events),
        "digest": replayed.digest,
        "recorded_digest": replayed.recorded_digest,
        "identical": replayed.identical,
    }
    if args.json:
        print_json(doc)
    else:
        verdict = "identical to" if replayed.identical else "DIFFERENT from"
        print(
            f"{replayed.kind} on {replayed.scenario}: {len(replayed.events):,} events, "
            f"sha256 {replayed.digest[:16]}…, {verdict} the recorded log"
        )
    return 0 if replayed.identical else 1
