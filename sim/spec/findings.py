"""Findings: problems the cross-checks and the limits find, addressed by YAML path.

The loader turns each into a ``file:line:col: message [rule]`` diagnostic.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Finding", "Path", "suggest"]

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem at ``path`` (a YAML data path); ``at_key`` points at the key, not value."""

    path: Path
    message: str
    rule: str
    severity: Literal["error", "warning"] = "error"
    at_key: bool = False


def suggest(name: str, known: Iterable[str]) -> str:
    """``; did you mean 'x'?`` or the list of known names (short), for messages."""
    choices = sorted(set(known))
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    if not choices:
        return "; none are defined"
    shown = ", ".join(choices[:12]) + (", ..." if len(choices) > 12 else "")
    return f"; known: {shown}"
