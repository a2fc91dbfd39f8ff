"""The scenario an imported Chaos Toolkit experiment becomes (YAML text).

A small, self-contained world around the injections: one service per target, one alert
rule per signal watching every service, two people on call, and one generic runbook
that fixes every imported kind. Those parts are marked ``ASSUMPTION``: the faults, their
times and the expectations come from the experiment; copy them into your own scenario
to play them against your services, runbooks and people.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import yaml

__all__ = ["Imported", "Injection", "scenario_text"]

_ALERTS = (
    ("availability", "<", 0.99),
    ("error_rate", ">", 0.05),
    ("latency_ms", ">", 1000),
    ("saturation", ">", 0.9),
)


@dataclass(frozen=True)
class Injection:
    """A mapped action: a fault of ``kind`` on ``service`` injected at ``at`` minutes."""

    name: str
    kind: str
    service: str
    at: float
    why: str
    heal_after: float | None = None


@dataclass
class Imported:
    """What the experiment became, and what it did not."""

    title: str
    injections: list[Injection] = field(default_factory=list)
    expectations: list[dict[str, str]] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    end: float = 0.0
    text: str = ""


def _plain(text: str) -> str:
    """``text`` as a YAML scalar that reads back as the same string: a name such as
    ``0``, ``yes`` or ``null`` is quoted (plain, YAML would read a number, a bool, null)."""
    return text if yaml.safe_load(text) == text else json.dumps(text)


def _minutes(x: float) -> str:
    return f"{x:.4g}m"


def _quoted(text: str) -> str:
    """A YAML scalar that is safe whatever the text holds (JSON strings are YAML)."""
    return json.dumps(text)  # ASCII: no line separator or control character gets through


def scenario_text(imported: Imported, name: str, description: str) -> str:
    services = sorted({i.service for i in imported.injections})
    kinds = sorted({i.kind for i in imported.injections})
    horizon_hours = max(1, math.ceil((imported.end + 8 * 60) / 60))
    lines = [
        "# Imported by `gameday import chaostoolkit` from the experiment",
        f"# {_quoted(imported.title)}.",
        "# faults: and expect: come from the experiment (mapping in docs/calibrate.md);",
        "# lines marked ASSUMPTION are the world around them: replace them with your own.",
    ]
    if imported.unmapped:
        lines.append("# NOT MAPPED (listed, not dropped):")
        lines += [f"#   - {u}" for u in imported.unmapped]
    lines += [
        "kind: scenario",
        f"name: {_plain(name)}",
        f"description: {_quoted(' '.join(str(description).split())[:2000])}",
        f"horizon: {horizon_hours}h   # the experiment plus 8 hours for the response",
        "",
        "services:   # ASSUMPTION: traffic, cost and dependencies",
    ]
    share = round(1.0 / len(services), 4)
    lines += [f"  {_plain(s)}: {{traffic_share: {share}}}" for s in services]
    lines += ["", "faults:"]
    taken: set[str] = set()
    for n, inj in enumerate(imported.injections):
        key = f"{n + 1:02d}-{inj.service}-{inj.kind}".replace("_", "-")[:80]
        while key in taken:
            key = f"{key[:76]}-{n}"
        taken.add(key)
        lines += [
            f"  {key}:",
            f"    # action {_quoted(inj.name)}: kind from {inj.why}",
            f"    kind: {inj.kind}",
            f"    target: {_plain(inj.service)}",
            f"    at: [{_minutes(inj.at)}]",
        ]
        if inj.heal_after is not None:
            lines.append(f"    self_heal: {_minutes(inj.heal_after)}   # the rollback undoes it")
    lines += ["", "alert_rules:   # ASSUMPTION: your alert rules"]
    for signal, op, threshold in _ALERTS:
        lines += [
            f"  {signal.replace('_', '-')}:",
            f"    signal: {signal}",
            f'    op: "{op}"',
            f"    threshold: {threshold}",
            "    for: 1m",
            "    interval: 30s",
        ]
    lines += [
        "",
        "runbooks:   # ASSUMPTION: replace with your runbooks (e.g. runbooks: [../runbooks])",
        "  - kind: runbook",
        "    id: generic-recovery",
        "    title: Diagnose and restore the service",
        f"    fixes: [{', '.join(kinds)}]",
        "    steps:",
        "      - id: diagnose",
        "        action: Find what the experiment broke.",
        "        manual: {duration: {dist: lognormal, median: 10m, p90: 30m}}",
        "      - id: restore",
        "        action: Undo it (restart, roll back, fail over).",
        "        automatable: true",
        "        manual: {duration: {dist: lognormal, median: 15m, p90: 45m}}",
        "        automated: {duration: {dist: lognormal, median: 3m, p90: 8m}}",
        "        mitigates: true",
        "",
        "responders:   # ASSUMPTION: your on-call",
        "  roster: [{role: primary, count: 2}]",
        "",
        "strategies:",
        "  manual: {description: Every step by hand., automation_coverage: 0.0}",
        "  automated: {description: Restores run by automation., automation_coverage: 1.0}",
        "",
        "expect:",
        "  - {check: lifecycle_legal}",
    ]
    for e in imported.expectations:
        lines.append(f"  - {{check: {e['check']}, name: {_quoted(e['name'])}}}")
    return "\n".join(lines) + "\n"
