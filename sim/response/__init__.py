"""The incident-response core: alerts, triage, grouping, lifecycle, runbook execution.

Pure logic with an injected clock (float minutes): no simulation library, no I/O beyond
:func:`read_payload`. The simulator, the trainee UI, the CI harness and the command line
all drive these same objects.
"""

from .alerts import (
    Alert,
    PayloadError,
    from_alertmanager,
    from_pagerduty,
    label_fingerprint,
    read_payload,
    simulated_alert,
)
from .executor import (
    Done,
    ExecutorError,
    JournalEntry,
    Mode,
    RunbookExecutor,
    StepOutcome,
    StepRequest,
)
from .grouping import AlertGrouper, Grouping
from .lifecycle import (
    TRANSITIONS,
    AuditEntry,
    IllegalTransition,
    Incident,
    Milestones,
    SeverityChange,
    State,
    replay,
)
from .lifecycle import mermaid as lifecycle_mermaid
from .program import RunbookProgram, compile_runbook, select_automated
from .runbook_graph import runbook_mermaid
from .triage import Impact, TriageDecision, TriageEngine, reassess, severity_rank

__all__ = [
    "TRANSITIONS",
    "Alert",
    "AlertGrouper",
    "AuditEntry",
    "Done",
    "ExecutorError",
    "Grouping",
    "IllegalTransition",
    "Impact",
    "Incident",
    "JournalEntry",
    "Milestones",
    "Mode",
    "PayloadError",
    "RunbookExecutor",
    "RunbookProgram",
    "SeverityChange",
    "State",
    "StepOutcome",
    "StepRequest",
    "TriageDecision",
    "TriageEngine",
    "compile_runbook",
    "from_alertmanager",
    "from_pagerduty",
    "label_fingerprint",
    "lifecycle_mermaid",
    "read_payload",
    "reassess",
    "replay",
    "runbook_mermaid",
    "select_automated",
    "severity_rank",
    "simulated_alert",
]
