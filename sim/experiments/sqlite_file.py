"""One SQLite file with its schema, connected per use: what the stores of training
sessions and of live game days share.

Each use opens its own connection and commits on leaving (``with store._db() as db``),
so several threads of one server (the dashboard's sessions) and several processes can
use the file; a busy file is waited for up to ten seconds.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

__all__ = ["SQLiteFile"]


class SQLiteFile:
    """The file at ``path`` (its folder and tables created on first use)."""

    schema = ""  # CREATE TABLE IF NOT EXISTS ... statements of the subclass

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(self.schema)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            yield db
