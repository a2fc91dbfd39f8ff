"""``gameday validate PATH...`` — check scenario, runbook and triage files."""

from __future__ import annotations

import argparse
import json
import sys

HELP = "check scenario, runbook and triage files (exit 0 valid, 2 invalid)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (recursive)")
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    parser.add_argument("--json", action="store_true", help="print diagnostics as JSON")


def run(args: argparse.Namespace) -> int:
    from sim.spec import check_paths

    count, diagnostics = check_paths(args.paths)
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = [d for d in diagnostics if d.severity == "warning"]
    failed = bool(errors) or (args.strict and bool(warnings)) or count == 0
    if args.json:
        doc = {
            "files": count,
            "valid": not failed,
            "diagnostics": [
                {
                    "file": d.file,
                    "line": d.line,
                    "col": d.col,
                    "severity": d.severity,
                    "rule": d.rule,
                    "message": d.message,
                }
                for d in diagnostics
            ],
        }
        print(json.dumps(doc, indent=2))
    else:
        for d in diagnostics:
            print(d, file=sys.stderr)
        if count == 0:
            print("no YAML files found in the given paths", file=sys.stderr)
        verdict = "invalid" if failed else "valid"
        print(
            f"{count} file(s) checked: {len(errors)} error(s), {len(warnings)} warning(s) "
            f"— {verdict}",
            file=sys.stderr if failed else sys.stdout,
        )
    return 2 if failed else 0
