"""The discrete-event world: services, faults, monitoring, responders, automation.

The only package that imports simpy. ``run_once(spec, strategy, seed)`` returns a
``RunResult`` whose event log is the single source of truth for metrics. The parts,
bottom up: ``streams`` (named random streams) and ``uniform_slots`` (which uniform each
decision of an incident reads); ``sampling``, ``topology``, ``monitoring`` and
``compiled`` (what does not change between replications); ``responders`` (people on
call); ``logbook`` (the event log being written); ``incident`` (a fault occurrence and
its incident); ``steps`` (one step attempt); ``policy`` (every human decision);
``handling`` (the incident process); ``alerting`` (alerts to incidents); ``arrivals``
(the fault calendar); ``world`` (the parts together) and ``run``.
"""

from .compiled import compile_scenario
from .incident import IncidentRun
from .interactive import FaultPicture, Interactive, Prompt, Reply
from .live import LiveWorld, TeamSeat
from .policy import ResponderPolicy, SimulatedHuman
from .run import RunResult, cyclic_gc_paused, run_once
from .world import World

__all__ = [
    "FaultPicture",
    "IncidentRun",
    "Interactive",
    "LiveWorld",
    "Prompt",
    "Reply",
    "ResponderPolicy",
    "RunResult",
    "SimulatedHuman",
    "TeamSeat",
    "World",
    "compile_scenario",
    "cyclic_gc_paused",
    "run_once",
]
