"""Game days in SQLite: what was played, who joined, and every input as it is given.

A game day row says what runs (scenario file, its digest, seed) and keeps the SHA-256
of the facilitator token and the players' join code; a player row keeps the SHA-256 of
the key a player acts with, their name and role. Inputs are appended one by one, each
committed at once, so a restarted server rebuilds every game day by replaying them.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import astuple, dataclass, replace
from pathlib import Path

from sim.experiments.sqlite_file import SQLiteFile

from .gameday import Input

__all__ = ["DEFAULT_STORE", "STORE_ENV", "GameDayRow", "GameDayStore", "PlayerRow", "secret_hash"]

#: Where game days are kept unless told otherwise (``GAMEDAY_LIVE_DB`` overrides).
DEFAULT_STORE = Path("results") / "gamedays.sqlite"
STORE_ENV = "GAMEDAY_LIVE_DB"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS gamedays (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    scenario TEXT NOT NULL,
    digest TEXT NOT NULL,
    seed INTEGER NOT NULL,
    token_hash TEXT NOT NULL,
    join_code TEXT NOT NULL UNIQUE,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS players (
    key_hash TEXT PRIMARY KEY,
    gameday TEXT NOT NULL REFERENCES gamedays(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS inputs (
    gameday TEXT NOT NULL REFERENCES gamedays(id),
    n INTEGER NOT NULL,
    t REAL NOT NULL,
    wall REAL NOT NULL,
    who TEXT NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (gameday, n)
);
"""


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class GameDayRow:
    id: str
    title: str
    scenario: str  # the scenario file, as given at creation
    digest: str
    seed: int
    token_hash: str
    join_code: str
    created: float


@dataclass(frozen=True, slots=True)
class PlayerRow:
    gameday: str
    name: str
    role: str


class GameDayStore(SQLiteFile):
    """One SQLite file of game days (created on first use)."""

    schema = _SCHEMA
    path_env = STORE_ENV
    default_path = DEFAULT_STORE

    def create(self, row: GameDayRow) -> None:
        self.insert("gamedays", astuple(replace(row, created=row.created or time.time())))

    def row(self, gid: str) -> GameDayRow | None:
        with self._db() as db:
            found = db.execute("SELECT * FROM gamedays WHERE id = ?", (gid,)).fetchone()
        return GameDayRow(*found) if found else None

    def by_code(self, code: str) -> GameDayRow | None:
        with self._db() as db:
            found = db.execute("SELECT * FROM gamedays WHERE join_code = ?", (code,)).fetchone()
        return GameDayRow(*found) if found else None

    def ids(self, limit: int = 50) -> list[str]:
        """The latest game days, newest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT id FROM gamedays ORDER BY created DESC LIMIT ?", (limit,)
            ).fetchall()
        return [r[0] for r in rows]

    def add_player(self, gid: str, key: str, name: str, role: str) -> None:
        self.insert("players", (secret_hash(key), gid, name, role))

    def player(self, key: str) -> PlayerRow | None:
        with self._db() as db:
            found = db.execute(
                "SELECT gameday, name, role FROM players WHERE key_hash = ?", (secret_hash(key),)
            ).fetchone()
        return PlayerRow(*found) if found else None

    def players(self, gid: str) -> list[PlayerRow]:
        with self._db() as db:
            rows = db.execute(
                "SELECT gameday, name, role FROM players WHERE gameday = ? ORDER BY rowid",
                (gid,),
            ).fetchall()
        return [PlayerRow(*r) for r in rows]

    def append(self, gid: str, n: int, given: Input) -> None:
        """Save input number ``n`` (1-based) of game day ``gid``."""
        self.insert("inputs", (gid, n, given.t, given.wall, given.who, given.role, given.text))

    def inputs(self, gid: str) -> list[Input]:
        with self._db() as db:
            rows = db.execute(
                "SELECT t, who, role, text, wall FROM inputs WHERE gameday = ? ORDER BY n",
                (gid,),
            ).fetchall()
        return [Input(t, who, role, text, wall) for t, who, role, text, wall in rows]
