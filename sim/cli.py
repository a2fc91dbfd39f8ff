"""The ``gameday`` command line.

Each subcommand lives in ``sim/commands/<name>.py`` and exposes ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``. Those modules import nothing heavy
at module level, so ``gameday --help`` stays fast; the real work is imported inside
``run``. Exit codes: 0 ok, 1 expectations/tests failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence
from types import ModuleType

from sim.commands import (
    calibrate,
    compare,
    dashboard,
    importing,
    lifecycle,
    live,
    replay,
    report,
    run,
    runbook,
    schema,
    sweep,
    test,
    train,
    triage,
    validate,
)

__all__ = ["COMMANDS", "build_parser", "main"]

#: Subcommand name -> its module under ``sim.commands`` (imported explicitly, so the
#: import contracts see every command).
COMMANDS: dict[str, ModuleType] = {
    "validate": validate,
    "schema": schema,
    "run": run,
    "compare": compare,
    "sweep": sweep,
    "triage": triage,
    "runbook": runbook,
    "lifecycle": lifecycle,
    "test": test,
    "report": report,
    "dashboard": dashboard,
    "train": train,
    "replay": replay,
    "live": live,
    "calibrate": calibrate,
    "import": importing,
}


def build_parser() -> argparse.ArgumentParser:
    from sim.commands.guard import GuardedParser

    parser = GuardedParser(
        prog="gameday",
        description="Simulate incidents, compare response strategies, test runbooks.",
    )
    parser.add_argument("--version", action="version", version=f"gameday {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        cmd = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


@functools.cache
def _parser() -> argparse.ArgumentParser:
    """Built once per process: ``main`` called many times (tests, fuzzing) reuses it."""
    return build_parser()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gameday")
    except PackageNotFoundError:  # running from a source tree without install
        return "0+unknown"


def main(argv: Sequence[str] | None = None) -> int:
    from sim.commands.guard import UsageError, error_document, run_guarded

    parser = _parser()
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(words)
    except UsageError as exc:
        if "--json" in words:  # --json promises one JSON document, even for a usage error
            print(error_document(str(exc), 2))
        raise SystemExit(2) from None  # as argparse itself exits
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        code: int = run_guarded(args._run, args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `gameday ... | head` is not an error
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
