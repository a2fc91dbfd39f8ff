"""``gameday live`` — create, list and export live game days (the dashboard runs them).

``create SCENARIO`` prints the game day's id, the facilitator token (shown once: keep
it; the facilitator console asks for it) and the join code players type in; ``list``
shows the game days in the store; ``export ID`` writes the journal (Chaos Toolkit
shape, for ``gameday replay``) and the after-game report (HTML and Markdown).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.live.registry import Registry

HELP = "create, list and export live game days (run them in the dashboard)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", metavar="FILE", help="SQLite file (default results/gamedays.sqlite)"
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="a new game day: prints its token and join code")
    create.add_argument("scenario", metavar="SCENARIO", help="the scenario YAML file")
    create.add_argument("--seed", type=int, default=1, help="replication seed (default 1)")
    create.add_argument("--title", default="", help="the game day's title")
    sub.add_parser("list", help="the game days in the store, newest first")
    export = sub.add_parser("export", help="write the journal and the after-game report")
    export.add_argument("id", metavar="ID", help="the game day's id (see gameday live list)")
    export.add_argument("--journal", metavar="FILE", help="write the journal (JSON)")
    export.add_argument("--report", metavar="DIR", help="write report.html and report.md")


def run(args: argparse.Namespace) -> int:
    from sim.live.registry import Registry
    from sim.live.store import GameDayStore
    from sim.spec import SpecError, load_scenario
    from sim.training import ReplayError

    try:
        registry = Registry(GameDayStore(args.store), load_scenario)
        if args.action == "create":
            made = registry.create(str(Path(args.scenario).resolve()), args.seed, args.title)
            print(f"game day   {made.id}")
            print(f"token      {made.token}   (the facilitator's; shown once)")
            print(f"join code  {made.join_code}")
            return 0
        if args.action == "list":
            for gid in registry.store.ids():
                row = registry.store.row(gid)
                assert row is not None
                print(f"{gid}  {row.title}  ({row.scenario}, seed {row.seed})")
            return 0
        return _export(registry, args)
    except SpecError as exc:
        print(exc, file=sys.stderr)
    except (KeyError, ReplayError, OSError) as exc:
        print(f"gameday live: {exc.args[0] if exc.args else exc}", file=sys.stderr)
    return 2


def _export(registry: Registry, args: argparse.Namespace) -> int:
    from sim.live.aftergame import after_game
    from sim.live.journal import journal, write_journal
    from sim.live.report import report_document, timeline_chart, write_report
    from sim.spec.safe_io import output_problem

    if not (args.journal or args.report):
        print("gameday live export: give --journal FILE and/or --report DIR", file=sys.stderr)
        return 2
    problem = (args.journal and output_problem(args.journal)) or (
        args.report and output_problem(args.report, folder=True)
    )
    if problem:
        print(problem, file=sys.stderr)
        return 2
    live = registry.get(args.id)
    if args.journal:
        write_journal(journal(live.gameday, live.row.title), args.journal)
        print(f"journal: {args.journal}")
    if args.report:
        after = after_game(live.gameday, live.row.title)
        paths = write_report(report_document(after, timeline_chart(live.gameday)), args.report)
        print(f"report: {paths[0]} and {paths[1].name}")
    return 0
