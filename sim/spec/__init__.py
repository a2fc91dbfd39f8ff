"""The file formats of gameday: scenarios, runbooks and triage rules.

``load(path)`` reads any of them, validates every field, runs the cross-checks and
either returns frozen models or raises ``SpecError`` with every problem found, each as
``file:line:col: message [rule]``.
"""

from .diagnostics import Diagnostic, SpecError
from .distributions import Distribution
from .expect import Expectation
from .loader import KINDS, check_paths, discover, load, load_runbook, load_scenario, load_triage
from .runbook import FAULT_KINDS, RunbookSpec, StepSpec
from .scenario import (
    AlertRuleSpec,
    FaultSpec,
    RespondersSpec,
    ScenarioSpec,
    ServiceSpec,
    StrategySpec,
)
from .triage import SEVERITIES, Severity, TriageSpec
from .units import parse_duration
from .variants import KNOBS, vary

__all__ = [
    "FAULT_KINDS",
    "KINDS",
    "KNOBS",
    "SEVERITIES",
    "AlertRuleSpec",
    "Diagnostic",
    "Distribution",
    "Expectation",
    "FaultSpec",
    "RespondersSpec",
    "RunbookSpec",
    "ScenarioSpec",
    "ServiceSpec",
    "Severity",
    "SpecError",
    "StepSpec",
    "StrategySpec",
    "TriageSpec",
    "check_paths",
    "discover",
    "load",
    "load_runbook",
    "load_scenario",
    "load_triage",
    "parse_duration",
    "vary",
]
