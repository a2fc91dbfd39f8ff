"""Shared by the hardening tests: a small valid scenario to break, and the CLI."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.cli import gameday

ROOT = Path(__file__).resolve().parents[2]
SUPPORT = ROOT / "tests" / "spec" / "broken" / "support"
SCENARIO: dict[str, Any] = yaml.safe_load((SUPPORT / "scenario.yaml").read_text())


def scenario_dict() -> dict[str, Any]:
    """The support scenario (valid, file references to ``runbooks/`` and ``triage.yaml``)."""
    doc = copy.deepcopy(SCENARIO)
    doc.pop("expect")
    return doc


def write_scenario(folder: Path, doc: dict[str, Any] | str, name: str = "scenario.yaml") -> Path:
    """``doc`` written to ``folder/name`` beside a copy of the support runbooks and rules."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "runbooks").exists():
        shutil.copytree(SUPPORT / "runbooks", folder / "runbooks")
        shutil.copy(SUPPORT / "triage.yaml", folder / "triage.yaml")
    path = folder / name
    path.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, sort_keys=False))
    return path


def run_cli(
    *args: str, cwd: Path = ROOT, timeout: float = 120, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``gameday ARGS`` in a fresh interpreter (a hang fails on ``timeout``)."""
    return gameday(*args, cwd=cwd, timeout=timeout, stdin=stdin)


def clean_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """Assert the exit code and that no traceback was printed; return stderr."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == code, output
    return result.stderr


def one_json_document(stdout: str) -> Any:
    """stdout holds exactly one JSON document (strict: no NaN or Infinity)."""

    def refuse(token: str) -> None:
        raise AssertionError(f"{token} is not JSON")

    return json.loads(stdout, parse_constant=refuse)
