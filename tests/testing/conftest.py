"""Fixtures for ``gameday test`` and its pytest plugin: a tiny library written to tmp_path.

The tiny scenario simulates in a few milliseconds per replication, so the CLI and plugin
tests run with the default number of replications (no ``-n``) and still take seconds.
Its numbers are chosen so that each expectation's verdict is far from its limit:
every incident is a crash fixed by the one runbook in about 10 minutes of steps.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sim.cli import main

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]

RUNBOOK = """\
kind: runbook
id: fix-crash
title: Restart the crashed service
fixes: [crash]
steps:
  - id: look
    action: look at the pods
    manual: {duration: 2m}
  - id: restart
    action: kubectl rollout restart
    manual: {duration: 5m, failure_probability: 0.02}
    retries: 2
    on_failure: retry
    mitigates: true
  - id: tell
    action: post an update
    manual: {duration: 2m}
"""

TRIAGE = """\
kind: triage
rules:
  - name: down-is-p1
    matchers: ['alertname="web-down"']
    severity: P1
default: {severity: P3}
"""

SCENARIO = """\
kind: scenario
name: tiny
horizon: 20d
runbooks: [../runbooks]
triage: triage.yaml
services:
  web: {tier: 1, traffic_share: 1.0, cost_per_minute: 10}
faults:
  web-crash:
    kind: crash
    target: web
    tbf: {dist: exponential, mean: 2d}
alert_rules:
  web-down:
    service: web
    signal: availability
    op: "<"
    threshold: 0.5
responders:
  roster: [{role: oncall, count: 2}]
  ack_time: 1m
  triage_time: 2m
  diagnosis_time: 3m
  wrong_runbook_probability: 0.0
strategies:
  manual: {}
  auto: {automation_coverage: 1.0, auto_triage: true, auto_remediation: true}
expect:
  - {check: lifecycle_legal}
  - {check: all_resolved}
  - {metric: mttr.mean, max: 1h, strategy: manual}
  - {metric: error_rate, max: 0.5}
  - {check: fixed_by, fault: crash, runbook: fix-crash}
  - {check: triages_to, alert: web-down, severity: P1}
  - {check: max_wait, max: 1d, name: nobody waits a day}
"""
# A limit no run can meet: the runbook alone takes 9 minutes.
FAILING = "  - {metric: mttr.mean, max: 1m, strategy: manual, name: impossible}\n"


def write_library(root: Path, *, extra: str = "") -> Path:
    """``root/scenarios/tiny.yaml`` (+ ``extra`` expectations), its triage file and
    ``root/runbooks/fix-crash.yaml``; returns the scenario path."""
    (root / "scenarios").mkdir(parents=True, exist_ok=True)
    (root / "runbooks").mkdir(exist_ok=True)
    (root / "runbooks" / "fix-crash.yaml").write_text(RUNBOOK)
    (root / "scenarios" / "triage.yaml").write_text(TRIAGE)
    scenario = root / "scenarios" / "tiny.yaml"
    scenario.write_text(SCENARIO + extra)
    return scenario


def line_of(path: Path, text: str) -> int:
    """1-based line of the first line of ``path`` containing ``text``."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


Gameday = Callable[..., tuple[int, str, str]]


@pytest.fixture
def gameday(capsys: pytest.CaptureFixture[str]) -> Gameday:
    """Run ``gameday ARGS...`` in this process; (exit code, stdout, stderr)."""

    def run(*argv: object) -> tuple[int, str, str]:
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny library in tmp_path, which is also the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CI", "1")  # no progress bar on stderr
    monkeypatch.setenv("COLUMNS", "80")  # the report wraps to the terminal width
    write_library(tmp_path)
    return tmp_path
