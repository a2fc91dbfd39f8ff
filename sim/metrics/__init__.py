"""Metrics computed from event logs alone (see ``incidents`` for definitions)."""

from .incidents import COLUMNS, incident_rows
from .summary import summarize

__all__ = ["COLUMNS", "incident_rows", "summarize"]
