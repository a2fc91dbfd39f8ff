"""Bring your own data: a scenario fitted to a team's incident export.

``calibrate(path, fmt)`` reads a PagerDuty, Opsgenie, incident.io or generic CSV
export, cleans it (duplicates, open incidents as censored, clock skew, time zones),
fits rates, profiles, the severity mix and duration distributions with their
uncertainty, and returns a validated scenario whose every fitted number is commented.
``docs/calibrate.md`` describes the formats, the fits and the mapping.
"""

from .backtest import Backtest, run_backtest
from .calibration import Calibration, calibrate, column_map
from .cleaning import CleanExport, Incident
from .fitting import DurationFit, Estimate, FitChoice, fit_durations, fit_family
from .formats import FORMATS, ColumnMap
from .model import TeamModel, fit_model
from .reading import ExportError, ExportProblem

__all__ = [
    "FORMATS",
    "Backtest",
    "Calibration",
    "CleanExport",
    "ColumnMap",
    "DurationFit",
    "Estimate",
    "ExportError",
    "ExportProblem",
    "FitChoice",
    "Incident",
    "TeamModel",
    "calibrate",
    "column_map",
    "fit_durations",
    "fit_family",
    "fit_model",
    "run_backtest",
]
