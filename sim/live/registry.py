"""The live game days of one server process, shared by every browser that reads them.

``Registry`` holds each game day in memory once (loaded from the store on first use by
replaying its inputs) and serialises requests to it with a lock. Every read first
brings the world to the simulated minute the wall clock says (``LiveClock``); every
input is checked (the facilitator token, or the player's key and its role's
permissions), applied, then committed to SQLite before the caller hears back.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sim.spec.scenario import ScenarioSpec
from sim.training import ReplayError

from .clock import LiveClock, clock_of
from .gameday import GameDay
from .roles import MAX_PLAYERS, ROLES, RoleError
from .store import GameDayRow, GameDayStore, PlayerRow, secret_hash

__all__ = ["Created", "Live", "Registry"]

MAX_NAME = 40  # characters of a player's name
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room


@dataclass(frozen=True, slots=True)
class Created:
    """A new game day: its id, the facilitator's token (shown once) and the join code."""

    id: str
    token: str
    join_code: str


@dataclass(slots=True)
class Live:
    """One game day in memory."""

    row: GameDayRow
    gameday: GameDay
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def clock(self) -> LiveClock:
        return clock_of(self.gameday.inputs)


class Registry:
    """Game days by id, loaded from ``store``; ``load`` reads a scenario file."""

    def __init__(
        self,
        store: GameDayStore,
        load: Callable[[str], ScenarioSpec],
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.load = load
        self.wall = wall
        self._live: dict[str, Live] = {}
        self._lock = threading.Lock()

    # -- creating and finding -------------------------------------------------------

    def create(self, scenario: str, seed: int = 1, title: str = "") -> Created:
        spec = self.load(scenario)
        gameday = GameDay(spec, seed)
        token = secrets.token_urlsafe(18)
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
        gid = uuid.uuid4().hex[:10]
        row = GameDayRow(
            gid,
            title[: 2 * MAX_NAME] or spec.name,
            scenario,
            spec.digest,
            seed,
            secret_hash(token),
            code,
            self.wall(),
        )
        self.store.create(row)
        with self._lock:
            self._live[gid] = Live(row, gameday)
        return Created(gid, token, code)

    def get(self, gid: str) -> Live:
        """The game day ``gid`` (``KeyError`` if there is none)."""
        with self._lock:
            live = self._live.get(gid)
            if live is None:
                row = self.store.row(gid)
                if row is None:
                    raise KeyError(f"no game day {gid!r}")
                spec = self.load(row.scenario)
                if spec.digest != row.digest:
                    raise ReplayError(
                        f"game day {gid} was played on another version of {row.scenario}"
                    )
                gameday = GameDay.replay(spec, row.seed, self.store.inputs(gid))
                live = self._live[gid] = Live(row, gameday)
            return live

    @contextmanager
    def now(self, gid: str) -> Iterator[Live]:
        """Game day ``gid`` brought to the minute the wall clock says, locked."""
        live = self.get(gid)
        with live.lock:
            live.gameday.advance_to(live.clock.minute_at(self.wall()))
            yield live

    def players(self, gid: str) -> list[PlayerRow]:
        return self.store.players(gid)

    # -- inputs ---------------------------------------------------------------------

    def check_token(self, gid: str, token: str) -> None:
        live = self.get(gid)
        if not token or not hmac.compare_digest(secret_hash(token), live.row.token_hash):
            raise RoleError("this needs the game day's facilitator token")

    def facilitate(self, gid: str, token: str, text: str) -> str:
        """A facilitator's input; refused without the right token."""
        self.check_token(gid, token)
        with self.now(gid) as live:
            verb = text.strip().split(" ")[0]
            if verb == "next" and live.clock.running:
                raise RoleError("pause, or switch to stepped speed, before advancing")
            return self._give(live, lambda g: g.facilitate(text, self.wall()))

    def join(self, code: str, name: str, role: str) -> tuple[str, str]:
        """A player joins with the game day's code; return (game day id, player key)."""
        row = self.store.by_code(code.strip().upper()[:12])
        if row is None:
            raise RoleError("no game day has this join code")
        name = " ".join(name.split())[:MAX_NAME]
        if not name or not all(c.isalnum() or c in " -_." for c in name):
            raise RoleError("a name is 1 to 40 letters, digits, spaces, '-', '_' or '.'")
        if role not in ROLES:
            raise RoleError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        players = self.store.players(row.id)
        if len(players) >= MAX_PLAYERS:
            raise RoleError(f"a game day has at most {MAX_PLAYERS} players")
        if any(p.name == name for p in players):
            raise RoleError(f"{name!r} has joined already; pick another name")
        key = secrets.token_urlsafe(18)
        with self.now(row.id) as live:
            self._give(live, lambda g: g.act(name, role, "join", self.wall()))
        self.store.add_player(row.id, key, name, role)
        return row.id, key

    def player(self, key: str) -> PlayerRow:
        found = self.store.player(key) if key else None
        if found is None:
            raise RoleError("unknown player key: join the game day first")
        return found

    def act(self, key: str, text: str) -> str:
        """A player's command, checked against their role."""
        player = self.player(key)
        with self.now(player.gameday) as live:
            return self._give(live, lambda g: g.act(player.name, player.role, text, self.wall()))

    def _give(self, live: Live, give: Callable[[GameDay], str]) -> str:
        gameday = live.gameday
        before = len(gameday.inputs)
        message = give(gameday)
        for n, given in enumerate(gameday.inputs[before:], before + 1):
            self.store.append(live.row.id, n, given)
        return message
