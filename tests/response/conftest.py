"""Shared helpers for the response-core tests: sample files and spec builders.

Specs are built with ``model_validate`` directly (not through the YAML loader), so these
tests exercise ``sim.response`` whatever state the loader is in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.spec.runbook import RunbookSpec
from sim.spec.triage import TriageSpec

DATA = Path(__file__).resolve().parent.parent / "data"
AM_SAMPLE = DATA / "alertmanager-webhook.json"
PD_SAMPLE = DATA / "pagerduty-event.json"
RULES = DATA / "triage-rules.yaml"
RUNBOOK = DATA / "runbook-sample.yaml"


def step(sid: str, **kw: Any) -> dict[str, Any]:
    """A runbook step mapping; ``automatable=True`` adds the automated hint it needs."""
    out: dict[str, Any] = {"id": sid, "action": f"do {sid}", "manual": {"duration": 5}}
    out.update(kw)
    if out.get("automatable"):
        out.setdefault("automated", {"duration": 1})
    return out


def runbook(*steps: dict[str, Any], rollback: tuple[dict[str, Any], ...] = ()) -> RunbookSpec:
    return RunbookSpec.model_validate(
        {
            "id": "rb",
            "title": "test runbook",
            "fixes": ["crash"],
            "steps": list(steps),
            "rollback": list(rollback),
        }
    )


def triage_spec(**kw: Any) -> TriageSpec:
    return TriageSpec.model_validate(kw)


@pytest.fixture(scope="session")
def rules_spec() -> TriageSpec:
    return TriageSpec.model_validate(yaml.safe_load(RULES.read_text()))
