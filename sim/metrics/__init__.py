"""Metrics computed from event logs alone (see ``incidents`` for definitions)."""

from .incidents import COLUMNS, FIELDS, incident_records, incident_rows
from .summary import summarize

__all__ = ["COLUMNS", "FIELDS", "incident_records", "incident_rows", "summarize"]
