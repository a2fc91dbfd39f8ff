"""One SQLite file with its schema, connected per use: what the stores of training
sessions and of live game days share.

Each use opens its own connection and commits on leaving (``with store._db() as db``),
so several threads of one server (the dashboard's sessions) and several processes can
use the file; a busy file is waited for up to ten seconds.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

__all__ = ["SQLiteFile", "insert_sql"]


def insert_sql(table: str, columns: int, *, replace: bool = False) -> str:
    """``INSERT [OR REPLACE] INTO table VALUES (?, ...)`` for a row of every column.

    ``table`` is a name from the code, never from input: it is written into the SQL."""
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    return f"{verb} INTO {table} VALUES ({', '.join('?' * columns)})"


class SQLiteFile:
    """The file at ``path`` (by default ``$path_env``, else ``default_path``), its folder
    and tables created on first use."""

    schema = ""  # CREATE TABLE IF NOT EXISTS ... statements of the subclass
    path_env = ""  # the environment variable naming the file when no path is given ...
    default_path = Path()  # ... and the file when it is not set either

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path or os.environ.get(self.path_env) or self.default_path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(self.schema)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            yield db

    def insert(self, table: str, row: Sequence[object], *, replace: bool = False) -> None:
        """Add ``row`` (a value for every column, in order) to ``table``, committed."""
        with self._db() as db:
            db.execute(insert_sql(table, len(row), replace=replace), row)
