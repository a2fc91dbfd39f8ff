"""``gameday import chaostoolkit EXPERIMENT.json`` — a Chaos Toolkit experiment as a
scenario whose faults are the experiment's actions (mapping in ``docs/calibrate.md``)."""

from __future__ import annotations

import argparse
import sys

HELP = "turn another tool's experiment into a scenario (chaostoolkit)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="tool", metavar="TOOL", required=True)
    ctk = sub.add_parser(
        "chaostoolkit",
        help="a Chaos Toolkit experiment (JSON or YAML) -> scenario",
        description="a Chaos Toolkit experiment (JSON or YAML) -> scenario",
    )
    ctk.add_argument("experiment", metavar="EXPERIMENT", help="the experiment file")
    ctk.add_argument("--out", metavar="SCENARIO", help="write the scenario here (default: stdout)")
    ctk.add_argument(
        "--start",
        default="10m",
        metavar="DURATION",
        help="when the experiment's method starts in the scenario (default 10m)",
    )
    ctk.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="ACTIVITY=SERVICE",
        help="the service an activity acts on, when its provider does not say (repeatable)",
    )
    ctk.add_argument("--strict", action="store_true", help="exit 1 if anything is not mapped")
    ctk.add_argument("--json", action="store_true", help="print one JSON document only")


def run(args: argparse.Namespace) -> int:
    from sim.spec.safe_io import output_problem

    from .common import print_json

    problem = output_problem(args.out) if args.out else None
    start = _minutes(args.start)
    if start is None:
        problem = f"--start {args.start!r}: not a duration"
    bad = [t for t in args.target if "=" not in t or not all(p.strip() for p in t.split("=", 1))]
    if bad:
        problem = f"--target {bad[0]!r}: expected ACTIVITY=SERVICE"
    if problem or start is None:
        print(f"gameday import: {problem}", file=sys.stderr)
        return 2
    targets = dict(t.split("=", 1) for t in args.target)
    from sim.importers.reading import ExperimentFileError, import_file

    try:
        imported = import_file(args.experiment, start=start, targets=targets)
    except ExperimentFileError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.out:
        from sim.spec.safe_io import atomic_write

        atomic_write(args.out, imported.text)
    if args.json:
        print_json(
            {
                "experiment": args.experiment,
                "title": imported.title,
                "scenario": args.out,
                "faults": [
                    {
                        "action": i.name,
                        "kind": i.kind,
                        "service": i.service,
                        "at": i.at,
                        "self_heal": i.heal_after,
                    }
                    for i in imported.injections
                ],
                "expect": imported.expectations,
                "unmapped": imported.unmapped,
            }
        )
    elif args.out:
        print(
            f"{args.experiment}: {len(imported.injections)} fault(s), "
            f"{len(imported.expectations)} expectation(s) -> {args.out}"
        )
    else:
        sys.stdout.write(imported.text)
    if imported.unmapped and not args.json:
        print(f"not mapped ({len(imported.unmapped)}):", file=sys.stderr)
        for item in imported.unmapped:
            print(f"  {item}", file=sys.stderr)
    return 1 if args.strict and imported.unmapped else 0


def _minutes(text: str) -> float | None:
    from pydantic import TypeAdapter, ValidationError

    from sim.spec.units import Duration

    try:
        return float(TypeAdapter(Duration).validate_python(text))
    except ValidationError:
        return None
