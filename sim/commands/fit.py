"""Tables that fit the terminal (80 columns, or 80 when output is not a terminal).

A row label and one column per strategy (or other name): when the table is too wide
for one line per cell, each cell breaks where its author put ``\\n`` (an estimate over
its confidence interval), and when even that is too wide the columns go into a second
table (a third, ...) that repeats the row labels. Nothing is cut and no cell wraps
over more than two lines: names, labels and cells are never shortened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["print_fitted", "table_width"]

#: A column's cost beyond its text in rich's default box: a space each side and a rule.
_PER_COLUMN = 3


def table_width(widths: Sequence[int]) -> int:
    """Characters a boxed table with columns of these text widths takes."""
    return sum(w + _PER_COLUMN for w in widths) + 1


def _width(text: str, *, broken: bool) -> int:
    lines = text.split("\n") if broken else [text.replace("\n", " ")]
    return max(len(line) for line in lines)


def _groups(widths: list[int], first: int, room: int) -> list[list[int]]:
    """Column indexes in consecutive groups whose tables (with the label column) fit."""
    groups: list[list[int]] = [[]]
    for i, w in enumerate(widths):
        current = [first] + [widths[j] for j in groups[-1]]
        if groups[-1] and table_width([*current, w]) > room:
            groups.append([])
        groups[-1].append(i)
    return groups


def print_fitted(
    console: Console,
    title: str,
    label: str,
    labels: Sequence[str],
    headers: Sequence[str],
    columns: Sequence[Sequence[str]],
) -> None:
    """Print rows ``labels`` x ``columns`` (one sequence of cells per header) so that
    the table fits ``console.width``; ``title`` is printed above it as text."""
    from rich.table import Table

    room = console.width
    first = max(len(label), *(len(x) for x in labels)) if labels else len(label)
    broken = False
    widths = [
        max(len(h), *(_width(c, broken=False) for c in col))
        for h, col in zip(headers, columns, strict=True)
    ]
    if table_width([first, *widths]) > room:
        broken = True
        widths = [
            max(len(h), *(_width(c, broken=True) for c in col))
            for h, col in zip(headers, columns, strict=True)
        ]
    console.print(title, highlight=False)
    groups = _groups(widths, first, room)
    for n, group in enumerate(groups):
        table = Table(title="(continued)" if n else None, title_justify="left")
        table.add_column(label, no_wrap=True, min_width=first)
        for i in group:
            table.add_column(headers[i], justify="right", no_wrap=True, min_width=widths[i])
        for r, row_label in enumerate(labels):
            cells = [columns[i][r] if broken else columns[i][r].replace("\n", " ") for i in group]
            table.add_row(row_label, *cells)
        console.print(table)
