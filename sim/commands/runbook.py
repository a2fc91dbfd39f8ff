"""``gameday runbook graph FILE`` — a runbook's control flow as a Mermaid flowchart."""

from __future__ import annotations

import argparse
import sys

HELP = "runbook tools: 'graph FILE' prints the runbook as a Mermaid flowchart"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="runbook_action", metavar="ACTION", required=True)
    graph = sub.add_parser("graph", help="print the runbook's Mermaid flowchart")
    graph.add_argument("file", metavar="RUNBOOK.yaml", help="the runbook file")


def run(args: argparse.Namespace) -> int:
    from sim.response import compile_runbook, runbook_mermaid
    from sim.spec import load_runbook
    from sim.spec.diagnostics import SpecError

    try:
        spec = load_runbook(args.file)
        program = compile_runbook(spec)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # structure the loader let through; should not happen
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(runbook_mermaid(program))
    return 0
