"""Reading an incident export: bytes to rows, with every problem placed in the file.

The export is read with ``sim.spec.safe_io.read_limited`` (regular files only, refused
above ``MAX_EXPORT_BYTES`` before a byte is read), decoded as UTF-8 (a byte-order mark
is allowed; UTF-16 and Latin-1 files are refused with the row and column of the first
byte that is not UTF-8, because guessing an encoding silently turns names into
mojibake), and parsed as CSV. A problem is an :class:`ExportProblem` that prints as
``file:row: column 'name': message``; they are collected and raised together as
:class:`ExportError`.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass

from sim.spec.safe_io import read_limited

from .formats import ColumnMap

__all__ = [
    "MAX_EXPORT_BYTES",
    "MAX_EXPORT_ROWS",
    "MAX_EXPORT_SERVICES",
    "MAX_PROBLEMS_SHOWN",
    "ExportError",
    "ExportProblem",
    "ExportTable",
    "read_export",
]

#: Size of an export file, checked before reading.
MAX_EXPORT_BYTES = 20_000_000
#: Incident rows of one export (about 30 years of a busy team's pages).
MAX_EXPORT_ROWS = 100_000
#: Distinct services of one export (each becomes up to four fault definitions).
MAX_EXPORT_SERVICES = 200
#: Problems listed before "... and N more".
MAX_PROBLEMS_SHOWN = 20
#: Longest cell (characters).
_MAX_FIELD = 100_000


@dataclass(frozen=True)
class ExportProblem:
    """One problem at a 1-based ``row`` (the line in the file; 0: the whole file)."""

    file: str
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        col = f" column {self.column!r}:" if self.column else ""
        return f"{where}:{col} {self.message}"


class ExportError(ValueError):
    """The export cannot be read; carries every problem found (the first ones shown)."""

    def __init__(self, problems: list[ExportProblem]) -> None:
        self.problems = problems
        shown = [str(p) for p in problems[:MAX_PROBLEMS_SHOWN]]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more problem(s)")
        super().__init__("\n".join(shown))


@dataclass(frozen=True)
class ExportTable:
    """The header and the rows of an export, each row with its line number."""

    file: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _decode(data: bytes, file: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExportError(
            [ExportProblem(file, 1, None, "the file is UTF-16 (byte-order mark); save it as UTF-8")]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ExportError(
            [
                ExportProblem(
                    file,
                    line,
                    None,
                    f"byte 0x{data[exc.start]:02x} at character {col} is not UTF-8 "
                    "(a Latin-1 or UTF-16 file?); save the export as UTF-8",
                )
            ]
        ) from None


def read_export(path: str | os.PathLike[str], mapping: ColumnMap) -> ExportTable:
    """The rows of the export at ``path``; :class:`ExportError` naming the file, row and
    column of each problem (missing columns, bad encoding, too many rows)."""
    file = os.fspath(path)
    data = read_limited(path, MAX_EXPORT_BYTES)
    text = _decode(data, file)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ExportError([ExportProblem(file, line, None, "NUL byte: this is not a CSV file")])
    csv.field_size_limit(_MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise ExportError([ExportProblem(file, 1, None, "the file is empty (no header row)")])
        header = [h.strip() for h in header]
        _check_columns(file, header, mapping)
        rows: list[tuple[int, dict[str, str]]] = []
        line = reader.line_num
        for cells in reader:
            if not any(c.strip() for c in cells):
                line = reader.line_num
                continue
            if len(rows) >= MAX_EXPORT_ROWS:
                raise ExportError(
                    [
                        ExportProblem(
                            file,
                            reader.line_num,
                            None,
                            f"more than {MAX_EXPORT_ROWS:,} incidents; export a shorter period",
                        )
                    ]
                )
            if len(cells) > len(header):
                raise ExportError(
                    [
                        ExportProblem(
                            file,
                            line + 1,
                            None,
                            f"{len(cells)} cells but the header has {len(header)} columns",
                        )
                    ]
                )
            rows.append((line + 1, dict(zip(header, cells, strict=False))))
            line = reader.line_num
    except csv.Error as exc:
        problem = ExportProblem(file, reader.line_num, None, f"not valid CSV: {exc}")
        raise ExportError([problem]) from None
    return ExportTable(file, header, rows)


def _check_columns(file: str, header: list[str], mapping: ColumnMap) -> None:
    """The columns every export needs: an id, when it opened, when it was resolved.
    The others are optional: what an export lacks is not fitted (and said so)."""
    cols = mapping.columns
    needed = {
        "id": cols.id,
        "created": cols.created,
        "resolved": cols.resolved or cols.resolve_after,
    }
    problems: list[ExportProblem] = []
    present = set(header)
    for role, name in needed.items():
        if name is None:
            problems.append(
                ExportProblem(file, 0, None, f"the column map names no {role!r} column (see --map)")
            )
        elif name not in present:
            problems.append(
                ExportProblem(
                    file,
                    1,
                    name,
                    f"missing (the {role!r} column); the header has: {', '.join(header)[:300]}",
                )
            )
    if problems:
        raise ExportError(problems)
