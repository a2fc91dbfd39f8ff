"""Action files: a trainee's commands, one per line, replayed as if typed.

Blank lines and lines starting with ``#`` are skipped. The same scenario, seed and
action file give the same session, event log, score and postmortem.
"""

from __future__ import annotations

import os
from pathlib import Path

from .actions import CommandError
from .session import Session

__all__ = ["ScriptError", "play_script", "read_actions"]


class ScriptError(ValueError):
    """A line of an action file that cannot be played; the message names file and line."""


def read_actions(path: str | os.PathLike[str]) -> list[tuple[int, str]]:
    """(line number, command) of every command in the file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(f"{path}: cannot read the action file: {exc}") from None
    return [
        (n, line.strip())
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def play_script(session: Session, path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """Play the action file on ``session``; return (command, what the trainee was told)
    per line. ``ScriptError`` (``file:line: message``) at the first line that cannot be
    played."""
    told = []
    for n, line in read_actions(path):
        try:
            told.append((line, session.act(line)))
        except CommandError as exc:
            raise ScriptError(f"{path}:{n}: {exc}") from None
    return told
