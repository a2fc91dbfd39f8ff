"""``gameday test [PATH...]`` — scenario expectations and runbook checks, for CI.

Exit codes: 0 every case passed; 1 an expectation or check failed (or a replication
crashed); 2 bad input (a file does not load, a path does not exist, nothing to test).
With ``--json`` stdout holds one JSON document and nothing else; the readable report
then goes nowhere (use ``--junit`` and ``--journal`` for files).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .common import add_replications_arguments, add_warmup_argument

HELP = "run scenario expectations and runbook checks (exit 0 ok, 1 failed, 2 bad input)"
_DEFAULT_PATHS = ("scenarios", "runbooks")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="scenario, runbook or triage files, or folders searched recursively "
        f"(default: {' and '.join(_DEFAULT_PATHS)} in the current folder)",
    )
    add_replications_arguments(
        parser, default=None, what="replications per strategy (default 30; at least 2)"
    )
    parser.add_argument(
        "--strategy",
        action="append",
        metavar="NAME",
        help="only simulate this strategy (repeatable); expectations about others are skipped",
    )
    parser.add_argument(
        "--junit", metavar="FILE", help="write JUnit XML (one case per expectation)"
    )
    parser.add_argument(
        "--journal", metavar="DIR", help="write a Chaos-Toolkit-like journal per file into DIR"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document only")
    parser.add_argument("--workers", type=int, help="processes (default: all cores)")
    parser.add_argument(
        "--executor",
        choices=["serial", "process"],
        default="process",
        help="where replications run (default: a local process pool)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="details of passing cases too")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_warmup_argument(parser)


def run(args: argparse.Namespace) -> int:
    from sim.experiments.executors import default_workers, open_executor
    from sim.experiments.progress import progress_bar
    from sim.testing import (
        DEFAULT_REPLICATIONS,
        TestOptions,
        execute,
        prepare,
        render_report,
        write_journals,
        write_junit,
    )

    from .common import argument_problem, no_progress_bar, print_json

    problem = argument_problem(args, min_replications=2)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    paths = list(args.paths) or [p for p in _DEFAULT_PATHS if Path(p).exists()]
    if not paths:
        print(f"no PATH given and no {' or '.join(_DEFAULT_PATHS)} folder here", file=sys.stderr)
        return 2
    n = args.replications if args.replications is not None else DEFAULT_REPLICATIONS
    options = TestOptions(
        replications=n,
        seed=args.seed,
        strategies=tuple(args.strategy or ()),
        warmup=args.warmup,
    )
    plan = prepare(paths, options)
    workers = max(1, args.workers or default_workers())
    with (
        progress_bar(plan.tasks, "simulations and drills", quiet=no_progress_bar(args)) as advance,
        open_executor(args.executor, workers) as executor,
    ):
        report = execute(plan, executor, workers=workers, advance=advance)
    if args.junit:
        write_junit(report, args.junit)
    if args.journal:
        write_journals(report.files, args.journal)
    if args.json:
        print_json(report.to_dict())
    else:
        width = shutil.get_terminal_size((80, 24)).columns  # COLUMNS, else 80 off a terminal
        print(render_report(report, verbose=args.verbose, width=width), end="")
    return report.exit_code
