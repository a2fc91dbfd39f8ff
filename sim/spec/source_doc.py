"""One YAML file read: its plain data and where every value and key is
(``yaml_source.read_yaml`` builds it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .diagnostics import Diagnostic, Severity
from .validation_errors import YamlPath

__all__ = ["Position", "SourceDoc"]

Position = tuple[int, int]


@dataclass(frozen=True)
class SourceDoc:
    """Plain data from one YAML file plus the position of every value and key.

    Paths are tuples of mapping keys (always ``str``) and list indices (``int``);
    ``()`` is the document root. Positions are 1-based ``(line, col)``.
    """

    file: str
    data: object
    values: dict[YamlPath, Position]
    keys: dict[YamlPath, Position]

    def where_value(self, path: Iterable[str | int]) -> Position:
        """Where the value at ``path`` starts, else its nearest located ancestor."""
        return self._lookup(tuple(path), self.values, self.keys)

    def where_key(self, path: Iterable[str | int]) -> Position:
        """Where the key naming ``path`` is; list items and the root use the value."""
        return self._lookup(tuple(path), self.keys, self.values)

    where = where_value

    def diagnostic(
        self,
        path: Iterable[str | int],
        message: str,
        rule: str,
        *,
        at_key: bool = False,
        severity: Severity = "error",
    ) -> Diagnostic:
        """A diagnostic for this file positioned at ``path`` (for cross-checks)."""
        line, col = self.where_key(path) if at_key else self.where_value(path)
        return Diagnostic(self.file, line, col, message, rule, severity)

    @staticmethod
    def _lookup(
        path: YamlPath, first: dict[YamlPath, Position], second: dict[YamlPath, Position]
    ) -> Position:
        for end in range(len(path), -1, -1):
            found = first.get(path[:end]) or second.get(path[:end])
            if found is not None:
                return found
        return (1, 1)
