"""The discrete-event world: services, faults, monitoring, responders, automation.

The only package that imports simpy. ``run_once(spec, strategy, seed)`` returns a
``RunResult`` whose event log is the single source of truth for metrics.
"""

from .compiled import compile_scenario
from .interactive import FaultPicture, Interactive, Prompt, Reply
from .policy import ResponderPolicy, SimulatedHuman
from .run import RunResult, cyclic_gc_paused, run_once
from .world import World

__all__ = [
    "FaultPicture",
    "Interactive",
    "Prompt",
    "Reply",
    "ResponderPolicy",
    "RunResult",
    "SimulatedHuman",
    "World",
    "compile_scenario",
    "cyclic_gc_paused",
    "run_once",
]
