"""What ``gameday test`` found: one :class:`CaseResult` per test case, grouped by file.

A *case* is one expectation of a scenario's ``expect:`` block, one runbook check, or one
of the implicit cases every file gets (``validate``: the file loads; ``replications``:
every simulated replication ran to the horizon). Each case knows the file and line it
is about, so the text report, the JUnit XML, the journals and the pytest plugin can all
point at the YAML that made the claim.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from sim.experiments.store import jsonable

__all__ = [
    "CaseResult",
    "FileResult",
    "Report",
    "Status",
    "fmt_minutes",
    "fmt_number",
    "jsonable",
    "now",
]

#: ``passed``: the claim holds; ``failed``: it does not; ``error``: it could not be
#: judged (bad input, a crashed replication); ``skipped``: not run (e.g. filtered out).
Status = Literal["passed", "failed", "error", "skipped"]


def now() -> float:
    """Wall-clock time (seconds since the epoch) for journals and JUnit timestamps."""
    return time.time()


@dataclass
class CaseResult:
    """One test case and its verdict.

    ``message`` is one line (the JUnit ``failure message``): what was measured, against
    which limit, under which rule. ``details`` are more lines for the report (e.g. one per
    strategy). ``measured`` is the machine-readable form for ``--json``.
    """

    name: str
    classname: str
    file: str
    line: int
    col: int
    kind: str
    status: Status
    message: str
    rule: str = ""
    details: list[str] = field(default_factory=list)
    measured: dict[str, Any] = field(default_factory=dict)
    started: float = 0.0
    ended: float = 0.0

    @property
    def seconds(self) -> float:
        return max(0.0, self.ended - self.started)

    @property
    def where(self) -> str:
        """``file:line`` of the claim, as editors and CI annotations understand it."""
        return f"{self.file}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "classname": self.classname,
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "kind": self.kind,
            "status": self.status,
            "message": self.message,
            "rule": self.rule,
            "details": list(self.details),
            "measured": jsonable(self.measured),
            "seconds": round(self.seconds, 4),
        }


@dataclass
class FileResult:
    """The cases of one discovered file. ``kind``: scenario, runbook, triage or None."""

    file: str
    kind: str | None
    name: str
    cases: list[CaseResult] = field(default_factory=list)
    journal: dict[str, Any] | None = None
    started: float = 0.0
    ended: float = 0.0

    @property
    def bad_input(self) -> bool:
        """The file (or a file it references) did not load."""
        return any(c.kind == "validate" and c.status != "passed" for c in self.cases)

    def count(self, status: Status) -> int:
        return sum(1 for c in self.cases if c.status == status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "name": self.name,
            "cases": [c.to_dict() for c in self.cases],
        }


@dataclass
class Report:
    """Every file's cases, plus how they were produced (replications, seed)."""

    files: list[FileResult]
    replications: int
    seed: int
    started: float
    ended: float
    problems: list[str] = field(default_factory=list)  # bad input outside any file

    @property
    def cases(self) -> list[CaseResult]:
        return [c for f in self.files for c in f.cases]

    @property
    def exit_code(self) -> int:
        """0 all passed; 1 an expectation or check failed; 2 bad input (wins over 1)."""
        if self.problems or any(f.bad_input for f in self.files):
            return 2
        if any(c.status in ("failed", "error") for c in self.cases):
            return 1
        return 0

    def count(self, status: Status) -> int:
        return sum(f.count(status) for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "exit_code": self.exit_code,
            "replications": self.replications,
            "seed": self.seed,
            "seconds": round(self.ended - self.started, 3),
            "counts": {s: self.count(s) for s in ("passed", "failed", "error", "skipped")},
            "problems": list(self.problems),
            "files": [f.to_dict() for f in self.files],
        }


def fmt_number(value: float, digits: int = 1) -> str:
    """A readable number: thousands separators, NaN as ``n/a``."""
    if value is None or math.isnan(value):
        return "n/a"
    return f"{value:,.{digits}f}"


def fmt_minutes(minutes: float) -> str:
    """``95.3 min (1h35m)``: minutes as measured, plus a human form from an hour up."""
    if minutes is None or math.isnan(minutes):
        return "n/a"
    text = f"{fmt_number(minutes)} min"
    if abs(minutes) >= 60:
        total = round(abs(minutes))
        days, rest = divmod(total, 1440)
        hours, mins = divmod(rest, 60)
        human = (f"{days}d" if days else "") + f"{hours}h{mins:02d}m"
        text += f" ({human})"
    return text
