"""What every command gets from the command line around it: bad input is exit 2 with a
message (never a traceback), and ``--json`` means exactly one JSON document on stdout.

Under ``--json`` a command's stdout is held back until it ends. If it printed its
document, that document is passed on; if it printed nothing (bad input, a refused
path), an error document takes its place, carrying what the command said on stderr::

    {"error": "scenarios/x.yaml:3:10: horizon ... [limit]", "exit_code": 2}

Usage errors found by argparse (``--seed abc``) get the same document.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

__all__ = ["GuardedParser", "UsageError", "error_document", "run_guarded"]


class UsageError(Exception):
    """argparse found bad arguments (the message is argparse's)."""


class GuardedParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors reach ``main`` instead of exiting, so
    that ``--json`` can still print its document. Subparsers inherit the class."""

    def error(self, message: str) -> Any:  # argparse declares NoReturn
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise UsageError(f"{self.prog}: {message}")


def error_document(message: str, exit_code: int) -> str:
    return json.dumps({"error": message.strip(), "exit_code": exit_code}, indent=2)


def _is_one_document(text: str) -> bool:
    def refuse(token: str) -> None:
        raise ValueError(f"{token} is not JSON")

    try:
        json.loads(text, parse_constant=refuse)
    except ValueError:
        return False
    return True


class _Tee(io.TextIOBase):
    """Writes to ``stream`` and remembers what was written (stderr under ``--json``)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.seen = stream, io.StringIO()

    def write(self, text: str) -> int:
        self.seen.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def _bad_input_message(exc: BaseException) -> str | None:
    """The message of an exception that means bad input (exit 2), else None."""
    from sim.spec.safe_io import UnsafePath

    if isinstance(exc, UnsafePath):
        return str(exc)
    if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return None


def run_guarded(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run ``command(args)``: refused paths and OS errors become exit 2 with a message;
    under ``args.json`` stdout ends up holding exactly one JSON document."""
    if not getattr(args, "json", False):
        try:
            return command(args)
        except (OSError, ValueError) as exc:
            message = _bad_input_message(exc)
            if message is None:
                raise
            print(message, file=sys.stderr)
            return 2
    real_out = sys.stdout
    held, tee = io.StringIO(), _Tee(sys.stderr)
    code = 1
    try:
        with contextlib.redirect_stdout(held), contextlib.redirect_stderr(tee):
            try:
                code = command(args)
            except (OSError, ValueError) as exc:
                message = _bad_input_message(exc)
                if message is None:
                    raise
                print(message, file=sys.stderr)
                code = 2
    except BaseException as exc:  # a bug or an interrupt: still one document, then re-raise
        said = tee.seen.getvalue() or f"{type(exc).__name__}: {exc}"
        print(error_document(said, 130 if isinstance(exc, KeyboardInterrupt) else 1), file=real_out)
        raise
    text = held.getvalue()
    if _is_one_document(text):
        real_out.write(text)
    else:
        said = tee.seen.getvalue() or f"exit code {code} and no JSON document"
        print(error_document(said, code or 1), file=real_out)
    return code
