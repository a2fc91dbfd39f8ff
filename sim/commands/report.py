"""``gameday report DIR`` — a results folder as a self-contained HTML and Markdown report."""

from __future__ import annotations

import argparse
import sys

HELP = "write DIR/report.html and DIR/report.md from a compare or sweep results folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="a folder from gameday compare/sweep --out")
    parser.add_argument(
        "--sweep",
        metavar="SWEEP_DIR",
        help="also draw the curves of this sweep folder (MTTR and error rate vs a knob)",
    )


def run(args: argparse.Namespace) -> int:
    from sim.report import ResultsError, write_report

    try:
        files = write_report(args.folder, sweep=args.sweep)
    except ResultsError as exc:
        print(f"gameday report: {exc}", file=sys.stderr)
        return 2
    print(files.html)
    print(files.markdown)
    return 0
