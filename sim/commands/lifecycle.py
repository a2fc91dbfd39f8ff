"""``gameday lifecycle graph`` — the incident lifecycle as a Mermaid state diagram."""

from __future__ import annotations

import argparse
import sys

HELP = "incident lifecycle tools: 'graph' prints the state diagram (Mermaid)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="lifecycle_action", metavar="ACTION", required=True)
    sub.add_parser("graph", help="print the lifecycle's Mermaid stateDiagram-v2")


def run(args: argparse.Namespace) -> int:
    from sim.response import lifecycle_mermaid

    sys.stdout.write(lifecycle_mermaid())
    return 0
