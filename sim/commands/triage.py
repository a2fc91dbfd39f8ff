"""``gameday triage ALERT.json --rules FILE`` — triage the alerts of a real payload.

Reads an Alertmanager webhook (v4) or PagerDuty Events API v2 event(s), groups the
alerts into incidents as the triage rules' ``group_by`` says, and prints for each alert
its severity, routing and why (which rule, which conditions held). An incident's
severity is what automation makes of its alerts in file order: it may only escalate.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import textwrap
from typing import Any

HELP = "triage the alerts of an Alertmanager or PagerDuty payload with a rules file"

_IMPACT_FIELDS = {
    "affected_users_pct": float,
    "revenue_per_min": float,
    "tier": int,
    "services_impacted": int,
    "alert_count": int,
}


def _impact_item(text: str) -> tuple[str, float | int]:
    field, sep, raw = text.partition("=")
    field = field.strip()
    if not sep or field not in _IMPACT_FIELDS:
        raise argparse.ArgumentTypeError(
            f"expected FIELD=VALUE with FIELD one of {', '.join(_IMPACT_FIELDS)}, got {text!r}"
        )
    kind = _IMPACT_FIELDS[field].__name__
    try:
        value = _IMPACT_FIELDS[field](raw.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{field}: expected {kind}, got {raw!r}") from None
    if not math.isfinite(value):  # NaN compares false with everything: no rule could hold
        raise argparse.ArgumentTypeError(f"{field}: expected a finite {kind}, got {raw!r}")
    return field, value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("payload", metavar="ALERT.json", help="Alertmanager or PagerDuty JSON")
    parser.add_argument("--rules", required=True, metavar="FILE", help="triage rules (YAML)")
    parser.add_argument(
        "--impact",
        action="append",
        type=_impact_item,
        default=[],
        metavar="FIELD=VALUE",
        help="impact context, repeatable (e.g. affected_users_pct=40); alert_count defaults "
        "to the number of alerts grouped so far",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from sim.response import AlertGrouper, Impact, PayloadError, TriageEngine, read_payload
    from sim.response.triage import reassess
    from sim.spec import load_triage
    from sim.spec.diagnostics import SpecError

    from .common import print_json

    problems: list[str] = []
    alerts = []
    try:
        alerts = read_payload(args.payload)
    except PayloadError as exc:
        problems.append(str(exc))
    except OSError as exc:
        problems.append(f"{args.payload}: {exc.strerror or exc}")
    spec = None
    try:
        spec = load_triage(args.rules)
    except SpecError as exc:
        problems.append(str(exc))
    except OSError as exc:
        problems.append(f"{args.rules}: {exc.strerror or exc}")
    if problems or spec is None:
        print("\n".join(problems), file=sys.stderr)
        return 2

    given = dict(args.impact)
    base = Impact(**given)
    warnings: list[str] = []
    # Impact fields the rules test that nobody gave and ``missing:`` says nothing about
    # are read as their defaults: say so once, rather than let a tier silently be 4.
    tested = {c.field for rule in spec.rules for c in rule.when}
    for field in sorted(tested - set(given) - set(spec.missing) - {"alert_count"}):
        warnings.append(
            f"impact {field} not given: read as {getattr(base, field):g} "
            f"(give --impact {field}=..., or declare it under missing: in the rules)"
        )
    engine = TriageEngine(spec)
    grouper = AlertGrouper(engine.group_key)
    rows: list[dict[str, Any]] = []
    incidents: dict[str, dict[str, Any]] = {}
    for n, alert in enumerate(alerts, 1):
        grouping = grouper.offer(alert)
        impact = base if "alert_count" in given else replace(base, alert_count=grouping.alert_count)
        known = set(given) | {"alert_count"}  # the count is known: grouping counts it
        decision = engine.evaluate(alert, impact, known_impact=known)
        for note in decision.assumed:
            warnings.append(f"alert {n} ({alert.name}): {note}")
        if grouping.incident_id is not None:
            incident = incidents.setdefault(
                grouping.incident_id,
                {"id": grouping.incident_id, "severity": decision.severity, "key": grouping.key},
            )
            if grouping.action in ("opened", "joined"):
                incident["severity"] = reassess(
                    incident["severity"], decision.severity, "automation"
                )
            incident["alert_count"], incident["firing"] = grouping.alert_count, grouping.firing
        rows.append(
            {
                "index": n,
                "name": alert.name,
                "source": alert.source,
                "status": alert.status,
                "fingerprint": alert.fingerprint,
                "labels": dict(alert.labels),
                "severity": decision.severity,
                "route": {"team": decision.route.team, "escalation": decision.route.escalation},
                "rule": decision.rule,
                "matched": list(decision.matched),
                "explanation": decision.explanation,
                "assumed": list(decision.assumed),
                "grouping": grouping.action,
                "incident": grouping.incident_id,
                "group_key": dict(zip(spec.group_by, grouping.key, strict=True)),
            }
        )
    for incident in incidents.values():
        incident["key"] = dict(zip(spec.group_by, incident["key"], strict=True))

    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        doc = {
            "payload": str(args.payload),
            "rules": str(args.rules),
            "precedence": spec.precedence,
            "impact": {f: getattr(base, f) for f in _IMPACT_FIELDS if f in given},
            "alerts": rows,
            "warnings": warnings,
            "incidents": list(incidents.values()),
        }
        print_json(doc)
        return 0
    _print_text(args.payload, spec.precedence, rows, list(incidents.values()))
    return 0


def _labels(mapping: dict[str, str], *, ordered: bool = False) -> str:
    """``k="v", ...``; sorted by name unless ``ordered`` (group keys keep group_by order)."""
    items = mapping.items() if ordered else sorted(mapping.items())
    return ", ".join(f'{k}="{v}"' for k, v in items)


def _print_text(
    payload: str, precedence: str, rows: list[dict[str, Any]], incidents: list[dict[str, Any]]
) -> None:
    """The readable form, wrapped to the terminal (80 columns when not a terminal)."""
    width = max(40, shutil.get_terminal_size((80, 24)).columns)

    def say(text: str, indent: str = "") -> None:
        hang = indent + " " * 10 if indent else "    "
        print(
            textwrap.fill(
                text,
                width,
                subsequent_indent=hang,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )

    sources = sorted({r["source"] for r in rows}) or ["no"]
    say(f"{payload}: {len(rows)} alert(s) from {'/'.join(sources)}, precedence {precedence}")
    for r in rows:
        route = r["route"]
        print()
        say(f"[{r['index']}] {r['name']} ({r['status']}, fingerprint {r['fingerprint']})")
        say(f"    labels:   {_labels(r['labels'])}", "    ")
        say(f"    severity: {r['severity']}  route: {route['team']} / {route['escalation']}")
        say(f"    why:      {r['explanation']}", "    ")
        where = r["incident"] or "-"
        key = _labels(r["group_key"], ordered=True)
        say(f"    incident: {where} ({r['grouping']}; group key {key})", "    ")
    if incidents:
        print()
        print("incidents:")
        for inc in incidents:
            say(
                f"  {inc['id']}  {inc['severity']}  {_labels(inc['key'], ordered=True)}  "
                f"{inc['alert_count']} alert(s), {inc['firing']} firing",
                "    ",
            )
