"""Compiler-style diagnostics for spec files.

Every problem found while reading or validating a scenario, runbook or triage
file is reported as a :class:`Diagnostic` that prints as ``file:line:col:
message [rule]``, the format editors and CI annotators already understand.
Loading code collects as many diagnostics as it can and raises them together
in one :class:`SpecError`, so an author fixes a file in one round trip instead
of one error at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Diagnostic", "Severity", "SpecError", "sort_key", "sorted_diagnostics"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at a 1-based ``line``/``col`` position of ``file``.

    ``rule`` is a short stable identifier (``duplicate-key``, ``missing`` ...)
    that tests and tooling can match on without parsing the message.
    """

    file: str
    line: int
    col: int
    message: str
    rule: str
    severity: Severity = "error"

    def __str__(self) -> str:
        # Errors carry no label, matching gcc/ruff; warnings are marked so a
        # reader can tell at a glance that they did not cause the failure.
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}:{self.col}: {label}{self.message} [{self.rule}]"


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int]:
    """Order diagnostics by (file, line, col), the order a reader scans a file."""
    return (diagnostic.file, diagnostic.line, diagnostic.col)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Drop exact duplicates and sort by position.

    The same problem can be found more than once (for example inside a YAML
    anchor that is referenced from several places); it should be shown once.
    The sort is stable, so problems at one position keep their found order.
    """
    unique = dict.fromkeys(diagnostics)  # dict keeps first-seen order
    return sorted(unique, key=sort_key)


class SpecError(Exception):
    """A spec file could not be loaded; carries every diagnostic found.

    The diagnostics are de-duplicated and sorted by position. ``str(err)`` is
    one diagnostic per line, ready to print to a terminal.
    """

    diagnostics: tuple[Diagnostic, ...]

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted_diagnostics(diagnostics))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)

    def __reduce__(self) -> tuple[type[SpecError], tuple[tuple[Diagnostic, ...]]]:
        # Exceptions pickle their ``args`` (here the rendered text) by default;
        # rebuild from the diagnostics so the error survives a process pool.
        return (SpecError, (self.diagnostics,))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics with severity ``error``."""
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """The diagnostics with severity ``warning``."""
        return tuple(d for d in self.diagnostics if d.severity == "warning")
