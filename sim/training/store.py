"""Training sessions in SQLite: the save file (inputs), scores and a leaderboard.

A session row says what was played (scenario, its digest, seed, role, player); its
inputs are appended one by one as they are given, each committed at once, so a killed
process or a refreshed browser loses nothing and ``load`` rebuilds the session by
replaying them. Scores are written when a session ends.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sim.experiments.sqlite_file import SQLiteFile, insert_sql
from sim.spec.scenario import ScenarioSpec

from .scoring import Score
from .session import Input, ReplayError, Session

__all__ = ["DEFAULT_STORE", "STORE_ENV", "SessionRow", "TrainingStore"]

#: Where sessions are kept unless told otherwise (``GAMEDAY_TRAINING_DB`` overrides).
DEFAULT_STORE = Path("results") / "training.sqlite"
STORE_ENV = "GAMEDAY_TRAINING_DB"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    scenario TEXT NOT NULL,
    digest TEXT NOT NULL,
    seed INTEGER NOT NULL,
    role TEXT NOT NULL,
    player TEXT NOT NULL,
    started REAL NOT NULL,
    finished INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS inputs (
    session TEXT NOT NULL REFERENCES sessions(id),
    n INTEGER NOT NULL,
    t REAL NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (session, n)
);
CREATE TABLE IF NOT EXISTS scores (
    session TEXT PRIMARY KEY REFERENCES sessions(id),
    total REAL NOT NULL,
    parts TEXT NOT NULL,
    mistakes INTEGER NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: str
    scenario: str
    digest: str
    seed: int
    role: str
    player: str
    finished: bool


class TrainingStore(SQLiteFile):
    """One SQLite file of training sessions (created on first use)."""

    schema = _SCHEMA
    path_env = STORE_ENV
    default_path = DEFAULT_STORE

    def create(self, session: Session, player: str) -> str:
        """Record a new session; return its id."""
        sid = uuid.uuid4().hex[:12]
        spec = session.spec
        row = (sid, spec.name, spec.digest, session.seed, session.role, player, time.time(), 0)
        self.insert("sessions", row)
        return sid

    def append(self, sid: str, n: int, given: Input) -> None:
        """Save input number ``n`` (1-based) of session ``sid``."""
        self.insert("inputs", (sid, n, given.t, given.text))

    def sync(self, sid: str, session: Session) -> None:
        """Save the inputs of ``session`` not saved yet."""
        with self._db() as db:
            (saved,) = db.execute(
                "SELECT COUNT(*) FROM inputs WHERE session = ?", (sid,)
            ).fetchone()
            db.executemany(
                insert_sql("inputs", 4),
                [(sid, n, i.t, i.text) for n, i in enumerate(session.inputs, 1) if n > saved],
            )

    def finish(self, sid: str, score: Score) -> None:
        parts = json.dumps([[p.name, p.points, p.max_points] for p in score.parts])
        with self._db() as db:
            db.execute("UPDATE sessions SET finished = 1 WHERE id = ?", (sid,))
            db.execute(
                insert_sql("scores", 4, replace=True),
                (sid, score.total, parts, len(score.mistakes)),
            )

    def row(self, sid: str) -> SessionRow | None:
        with self._db() as db:
            found = db.execute(
                "SELECT id, scenario, digest, seed, role, player, finished FROM sessions "
                "WHERE id = ?",
                (sid,),
            ).fetchone()
        if found is None:
            return None
        sid_, scenario, digest, seed, role, player, finished = found
        return SessionRow(sid_, scenario, digest, seed, role, player, bool(finished))

    def unfinished(self, scenario: str, seed: int, role: str, player: str) -> str | None:
        """The latest unfinished session of this scenario, seed, role and player."""
        with self._db() as db:
            found = db.execute(
                "SELECT id FROM sessions WHERE scenario = ? AND seed = ? AND role = ? "
                "AND player = ? AND finished = 0 ORDER BY started DESC, rowid DESC LIMIT 1",
                (scenario, seed, role, player),
            ).fetchone()
        return found[0] if found else None

    def inputs(self, sid: str) -> list[Input]:
        with self._db() as db:
            rows = db.execute(
                "SELECT t, text FROM inputs WHERE session = ? ORDER BY n", (sid,)
            ).fetchall()
        return [Input(t, text) for t, text in rows]

    def load(self, sid: str, spec: ScenarioSpec) -> Session:
        """Rebuild session ``sid`` by replaying its inputs on ``spec``."""
        row = self.row(sid)
        if row is None:
            raise KeyError(f"no training session {sid!r} in {self.path}")
        if row.digest != spec.digest:
            raise ReplayError(
                f"session {sid} was played on another version of {row.scenario}; "
                f"it cannot be resumed"
            )
        return Session.replay(spec, row.seed, row.role, self.inputs(sid))

    def leaderboard(self, scenario: str, limit: int = 10) -> list[tuple[str, float, int, int]]:
        """(player, score, mistakes, seed), best first, finished sessions only."""
        with self._db() as db:
            rows = db.execute(
                "SELECT s.player, c.total, c.mistakes, s.seed FROM scores c "
                "JOIN sessions s ON s.id = c.session WHERE s.scenario = ? "
                "ORDER BY c.total DESC, c.mistakes ASC, s.started ASC LIMIT ?",
                (scenario, limit),
            ).fetchall()
        return [(p, float(t), int(m), int(seed)) for p, t, m, seed in rows]
