"""``gameday schema scenario|runbook|triage`` — JSON Schema for editors."""

from __future__ import annotations

import argparse

HELP = "print the JSON Schema of a file format (for editor completion)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=["scenario", "runbook", "triage"], help="which file format")


def run(args: argparse.Namespace) -> int:
    from sim.spec.schema import schema_text

    print(schema_text(args.kind), end="")
    return 0
