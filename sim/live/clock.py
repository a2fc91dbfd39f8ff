"""Wall-clock time to simulated minutes: the face of a live game day, not its engine.

The mapping is read from the facilitator's inputs alone (start, pause, resume, speed,
end — each kept with its wall-clock second and simulated minute), so a restarted
server maps time exactly as before: a game day running at 60x has moved on by one
simulated minute for every second the server was away, as the room's clock has.

"Advance to the next event" moves the world, not the clock: it is given only while
the clock stands (paused or stepped), and the next start, resume or speed anchors the
clock where the world then is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .gameday import Input
from .roles import FACILITATOR

__all__ = ["LiveClock", "clock_of"]


@dataclass(frozen=True, slots=True)
class LiveClock:
    """Where simulated time stands: ``minute`` at wall second ``wall``, moving at
    ``speed`` simulated minutes per wall minute while ``running``."""

    wall: float = 0.0
    minute: float = 0.0
    speed: str = "60"  # 1, 10, 60 or stepped
    started: bool = False
    paused: bool = False
    ended: bool = False

    @property
    def running(self) -> bool:
        return self.started and not self.paused and not self.ended and self.speed != "stepped"

    def minute_at(self, wall: float) -> float:
        """The simulated minute at wall second ``wall`` (never before the anchor)."""
        if not self.running:
            return self.minute
        return self.minute + max(0.0, wall - self.wall) * float(self.speed) / 60.0

    @property
    def state(self) -> str:
        if self.ended:
            return "ended"
        if not self.started:
            return "not started"
        if self.paused:
            return "paused"
        return "stepped" if self.speed == "stepped" else f"running at {self.speed}x"


def clock_of(inputs: Iterable[Input]) -> LiveClock:
    """The clock after the facilitator's ``inputs``."""
    clock = LiveClock()
    for given in inputs:
        if given.role != FACILITATOR:
            continue
        verb, _, rest = given.text.partition(" ")
        started, paused, ended, speed = clock.started, clock.paused, False, clock.speed
        if verb == "start":
            started, paused = True, False
        elif verb in ("pause", "resume"):
            paused = verb == "pause"
        elif verb == "speed":
            speed = rest
        elif verb == "end":
            ended = True
        else:
            continue
        clock = LiveClock(given.wall, given.t, speed, started, paused, ended)
    return clock
