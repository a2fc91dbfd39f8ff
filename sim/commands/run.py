"""``gameday run SCENARIO`` — one replication: event log and a summary."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import add_warmup_argument

HELP = "simulate one replication of a scenario under one strategy"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="the scenario YAML file")
    parser.add_argument("--strategy", "-s", help="strategy name (default: the first one)")
    parser.add_argument("--seed", type=int, default=1, help="replication seed (default 1)")
    parser.add_argument("--events", metavar="FILE", help="write the event log as JSON Lines")
    add_warmup_argument(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON summary only")


def run(args: argparse.Namespace) -> int:
    from sim.engine import run_once
    from sim.eventlog import write_jsonl
    from sim.metrics import incident_rows, summarize

    from .common import argument_problem, load_with_strategies, print_json

    loaded = load_with_strategies(
        args.scenario,
        [args.strategy] if args.strategy else None,
        argument_problem(args),
        warmup=args.warmup,
    )
    if loaded is None:
        return 2
    spec, (strategy, *_) = loaded
    result = run_once(spec, strategy, args.seed)
    if result.error:
        print(result.error, file=sys.stderr)
    if args.events:
        write_jsonl(result.events, args.events)
    summary = summarize(incident_rows(result.events, result.horizon))
    doc = {
        "scenario": spec.name,
        "scenario_digest": result.scenario_digest,
        "strategy": strategy,
        "seed": args.seed,
        "horizon_minutes": spec.horizon,
        "events": len(result.events),
        "wall_seconds": round(result.wall_seconds, 4),
        "version": result.version,
        **summary,
    }
    if args.json:
        print_json(doc)
    else:
        _print_table(doc, spec.currency or "cost units")
    return 0 if result.ok else 1


def _km(q: dict[str, Any]) -> str:
    """``123.4 [100.2, 150.9]``; ``?`` where too much censoring leaves it unknown."""
    lo, hi = q["ci95"]
    return f"{q['value']:.1f} [{lo:.1f}, {hi:.1f}]".replace("nan", "?")


def _print_table(doc: dict[str, object], currency: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{doc['scenario']} — strategy {doc['strategy']}, seed {doc['seed']}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    mttr, censored, km = doc["mttr"], doc["censored"], doc["ttr_km"]
    assert isinstance(mttr, dict) and isinstance(censored, dict) and isinstance(km, dict)
    rows = [
        ("incidents", f"{doc['incidents']:,}"),
        ("noise incidents", f"{doc['noise_incidents']:,}"),
        ("MTTR mean (min, mitigated only)", f"{mttr['mean']:.1f}"),
        ("MTTR median (min, mitigated only)", f"{mttr['median']:.1f}"),
        ("MTTR p90 (min, mitigated only)", f"{mttr['p90']:.1f}"),
        ("open at the horizon (censored)", f"{censored['ttr']:,}"),
        ("TTR median, Kaplan–Meier (min)", _km(km["median"])),
        ("TTR p90, Kaplan–Meier (min)", _km(km["p90"])),
        ("still waiting at the horizon", f"{censored['waits']:,}"),
        ("mean TTD (min)", f"{doc['ttd_mean']:.1f}"),
        ("mean TTA (min)", f"{doc['tta_mean']:.1f}"),
        ("error rate during fix", f"{doc['error_rate']:.1%}"),
        ("human-minutes / incident", f"{doc['human_minutes_per_incident']:.1f}"),
        (f"outage cost ({currency})", f"{doc['cost']:,.0f}"),
        ("events", f"{doc['events']:,}"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    Console().print(table)
