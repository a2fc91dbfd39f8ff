"""Which column of an incident export means what: one mapping per supported tool, and
the mapping file (``--map``) that describes any other CSV or overrides a tool's names.

The built-in mappings follow each tool's public export fields (``docs/calibrate.md``
lists them). Exports change and workspaces rename fields, so every entry can be
overridden: a map file names only what differs.

A map file (YAML)::

    columns:
      id: ticket                   # required: one incident per value
      created: opened_at           # required: when the incident was opened
      acknowledged: acked_at       # a timestamp ... or
      ack_after: ack_seconds       # ... a number of ack_unit after created
      resolved: closed_at          # a timestamp ... or resolve_after (resolve_unit)
      service: component
      severity: sev
      status: state
      responder: acked_by
      escalations: escalation_count
    ack_unit: seconds              # seconds | milliseconds | minutes
    severities: {SEV1: P0, SEV2: P1, SEV3: P2, SEV4: P3}
    open_statuses: [open, investigating]
    timezone: Europe/Berlin        # for timestamps written without an offset
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["FORMATS", "ColumnMap", "Columns", "ExportFormat"]

ExportFormat = Literal["pagerduty", "opsgenie", "incidentio", "csv"]
Unit = Literal["seconds", "milliseconds", "minutes"]
Severity = Literal["P0", "P1", "P2", "P3"]


class Columns(BaseModel):
    """Column names in the export; None where the export has no such column."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str | None = None
    created: str | None = None
    acknowledged: str | None = None
    ack_after: str | None = None
    resolved: str | None = None
    resolve_after: str | None = None
    service: str | None = None
    severity: str | None = None
    status: str | None = None
    responder: str | None = None
    escalations: str | None = None


class ColumnMap(BaseModel):
    """How to read one export (a built-in format, or a ``--map`` file)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    columns: Columns = Field(default_factory=Columns)
    ack_unit: Unit = "seconds"
    resolve_unit: Unit = "seconds"
    #: Raw severity or priority value (case-insensitive) -> P0..P3.
    severities: dict[str, Severity] = Field(default_factory=dict, max_length=1000)
    #: Status values (case-insensitive) of incidents that are still open.
    open_statuses: list[str] = Field(default_factory=list, max_length=1000)
    timezone: str = "UTC"

    def merged(self, override: ColumnMap, fields: set[str]) -> ColumnMap:
        """This map with the entries ``override`` sets (``fields``: those it wrote)."""
        update: dict[str, object] = {k: getattr(override, k) for k in fields if k != "columns"}
        if "columns" in fields:
            update["columns"] = self.columns.model_copy(
                update={k: getattr(override.columns, k) for k in override.columns.model_fields_set}
            )
        return self.model_copy(update=update)


_PRIORITY_1_TO_5: dict[str, Severity] = {
    "p1": "P0",
    "p2": "P1",
    "p3": "P2",
    "p4": "P3",
    "p5": "P3",
}

#: The built-in mappings. PagerDuty: the incident analytics (raw incident data) export;
#: Opsgenie: the alert export (alert fields and its ``report`` block); incident.io: the
#: incidents CSV export (timestamps named after the incident's timestamps).
FORMATS: dict[str, ColumnMap] = {
    "pagerduty": ColumnMap(
        columns=Columns(
            id="id",
            created="created_at",
            ack_after="seconds_to_first_ack",
            resolved="resolved_at",
            service="service_name",
            severity="urgency",
            escalations="escalation_count",
        ),
        ack_unit="seconds",
        # PagerDuty urgency has two levels; map priority_name instead (P1..P5) with --map.
        severities={"high": "P1", "low": "P3", **_PRIORITY_1_TO_5},
    ),
    "opsgenie": ColumnMap(
        columns=Columns(
            id="tinyId",
            created="createdAt",
            ack_after="report.ackTime",
            resolve_after="report.closeTime",
            service="entity",
            severity="priority",
            status="status",
            responder="report.acknowledgedBy",
        ),
        ack_unit="milliseconds",
        resolve_unit="milliseconds",
        severities=dict(_PRIORITY_1_TO_5),
        open_statuses=["open"],
    ),
    "incidentio": ColumnMap(
        columns=Columns(
            id="Reference",
            created="Reported at",
            acknowledged="Acknowledged at",
            resolved="Resolved at",
            service="Affected services",
            severity="Severity",
            status="Status",
            responder="Incident Lead",
        ),
        severities={
            "critical": "P0",
            "major": "P1",
            "minor": "P2",
            "low": "P3",
            "sev1": "P0",
            "sev2": "P1",
            "sev3": "P2",
            "sev4": "P3",
        },
        open_statuses=["triage", "investigating", "fixing", "monitoring", "live", "paused"],
    ),
    "csv": ColumnMap(),
}


def load_map(path: str, base: ColumnMap) -> ColumnMap:
    """``base`` with what the map file at ``path`` overrides; ``ValueError`` naming the
    file, line, column and field of each mistake."""
    from pydantic import ValidationError

    from sim.spec import SpecError
    from sim.spec.yaml_source import read_yaml

    try:
        doc = read_yaml(path)
    except SpecError as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(doc.data, dict):
        raise ValueError(f"{path}:1:1: a column map is a mapping (columns:, severities: ...)")
    try:
        override = ColumnMap.model_validate(doc.data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
            line, col = doc.where(loc)
            lines.append(f"{path}:{line}:{col}: {'.'.join(map(str, loc))}: {err['msg']}")
        raise ValueError("\n".join(lines)) from None
    return base.merged(override, set(override.model_fields_set))
