"""Training: a trainee plays one responder inside the simulation.

``Session(spec, seed, role)`` runs the world until the trainee must decide; ``act``
takes a command line; ``observe(session)`` is what the trainee may see (never the fault
kind or the root cause); ``debrief(session)`` scores the session against the baseline
strategies on the same incidents; ``postmortem(session, debrief)`` writes it up.
``TrainingStore`` keeps sessions (their inputs) and scores in SQLite.
"""

from .actions import COMMANDS, CommandError, parse
from .debrief import Baselines, Debrief, IncidentResult, baselines, debrief
from .facts import IncidentFacts, trainee_incidents
from .postmortem import postmortem
from .scoring import POINTS, Mistake, Part, Score, score
from .script import ScriptError, play_script, read_actions
from .session import Input, Note, ReplayError, Session, question
from .store import DEFAULT_STORE, STORE_ENV, SessionRow, TrainingStore
from .views import Observation, observe

__all__ = [
    "COMMANDS",
    "DEFAULT_STORE",
    "POINTS",
    "STORE_ENV",
    "Baselines",
    "CommandError",
    "Debrief",
    "IncidentFacts",
    "IncidentResult",
    "Input",
    "Mistake",
    "Note",
    "Observation",
    "Part",
    "ReplayError",
    "Score",
    "ScriptError",
    "Session",
    "SessionRow",
    "TrainingStore",
    "baselines",
    "debrief",
    "observe",
    "parse",
    "play_script",
    "postmortem",
    "question",
    "read_actions",
    "score",
    "trainee_incidents",
]
