"""Live game days: a facilitator runs the clock and injects faults while a team responds.

``GameDay(spec, seed)`` is the model (inputs in, event log out; it moves only by
``advance_to``); ``LiveClock`` maps wall-clock seconds to simulated minutes;
``GameDayStore`` keeps game days in SQLite and ``Registry`` serves them to many
browsers of one server process, checking the facilitator token and players' roles.
``journal`` exports a game day as a Chaos Toolkit-shaped journal and ``replay_journal``
rebuilds its event log; ``report`` writes the after-game report.
"""

from .gameday import FACILITATOR_VERBS, MAX_INPUTS, MAX_TEXT, SPEEDS, GameDay, Input, LiveError
from .inject import MAX_INJECTIONS, InjectError, Injection
from .roles import DECIDES, FACILITATOR, PERMITS, ROLE_TITLES, ROLES, RoleError

__all__ = [
    "DECIDES",
    "FACILITATOR",
    "FACILITATOR_VERBS",
    "MAX_INJECTIONS",
    "MAX_INPUTS",
    "MAX_TEXT",
    "PERMITS",
    "ROLES",
    "ROLE_TITLES",
    "SPEEDS",
    "GameDay",
    "InjectError",
    "Injection",
    "Input",
    "LiveError",
    "RoleError",
]
