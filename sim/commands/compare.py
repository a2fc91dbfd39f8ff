"""``gameday compare SCENARIO`` — strategies side by side, with confidence intervals."""

from __future__ import annotations

import argparse
from typing import Any

from .common import add_allow_partial, add_executor_arguments

HELP = "compare response strategies over N replications on common random numbers"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO")
    parser.add_argument("-n", "--replications", type=int, default=100, metavar="N")
    parser.add_argument("--strategies", help="comma-separated names (default: all, file order)")
    parser.add_argument("--seed", type=int, default=1)
    add_executor_arguments(parser)
    parser.add_argument("--out", metavar="DIR", help="write incidents.parquet + summary.json")
    parser.add_argument("--json", action="store_true", help="print one JSON document only")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_allow_partial(parser)


def run(args: argparse.Namespace) -> int:
    from .common import (
        argument_problem,
        failed_replications,
        load_with_strategies,
        no_progress_bar,
        print_json,
    )

    loaded = load_with_strategies(
        args.scenario,
        args.strategies.split(",") if args.strategies else None,
        argument_problem(args, min_replications=2),
    )
    if loaded is None:
        return 2
    spec, strategies = loaded

    from sim.experiments.compare import compare_on
    from sim.experiments.executors import default_workers, open_executor
    from sim.experiments.progress import progress_bar

    workers = args.workers or default_workers()
    total = args.replications * len(strategies)
    with (
        progress_bar(total, "replications", quiet=no_progress_bar(args)) as advance,
        open_executor(args.executor, workers, args.scheduler) as executor,
    ):
        result = compare_on(
            executor,
            spec,
            strategies,
            args.replications,
            args.seed,
            workers=workers,
            progress=advance,
        )
    if args.out:
        from sim.experiments.store import write_comparison

        write_comparison(result, args.out)
    if args.json:
        print_json(result.summary)
    else:
        print_summary(result.summary)
    return failed_replications(result.errors, total, args.allow_partial)


def _ci(pair: list[float], fmt: str = "{:.1f}") -> str:
    lo, hi = pair
    return f"[{fmt.format(lo)}, {fmt.format(hi)}]"


def print_summary(doc: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from sim.report.tables import power_summary

    console = Console()
    title = (
        f"{doc['scenario']}: {doc['replications']} replications per strategy, seed "
        f"{doc['seed']} — durations in minutes, 95% CIs (cluster bootstrap over replications)"
    )
    table = Table(title=title, title_justify="left")
    table.add_column("metric")
    strategies = doc["strategies"]
    for name in strategies:
        table.add_column(name, justify="right")

    def row(label: str, cell: Any) -> None:
        table.add_row(label, *(cell(s) for s in strategies.values()))

    def stat(key: str, which: str) -> Any:
        return lambda s: f"{s[key][which]:.1f} {_ci(s[key]['ci95_by_stat'][which])}"

    row("incidents", lambda s: f"{s['incidents']:,}")
    row("MTTR mean", stat("mttr", "mean"))
    row("MTTR median", stat("mttr", "median"))
    row("MTTR p90", stat("mttr", "p90"))
    row("MTTR geometric mean", stat("mttr", "geomean"))
    row("TTD mean", stat("ttd", "mean"))
    row("TTA mean", stat("tta", "mean"))
    row(
        "error rate during fix",
        lambda s: f"{s['error_rate']['value']:.1%} {_ci(s['error_rate']['ci95'], fmt='{:.1%}')}",
    )
    row("human-minutes / incident", lambda s: f"{s['human_minutes_per_incident']:.1f}")
    row("manual actions / incident", lambda s: f"{s['manual_actions_per_incident']:.1f}")
    row("outage cost / replication", lambda s: f"{s['cost']:,.0f}")
    console.print(table)
    if not doc["paired"]:
        return
    paired = Table(
        title="Paired differences against the first strategy (same seeds)", title_justify="left"
    )
    for col in ("strategy", "Δ MTTR mean", "Δ median", "Δ error rate", "power verdict"):
        paired.add_column(col, justify="left" if col in ("strategy", "power verdict") else "right")
    for name, p in doc["paired"].items():
        mean, median, err = p["mttr_mean"], p["mttr_median"], p["error_rate"]
        paired.add_row(
            f"{name} vs {p['baseline']}",
            f"{mean['value']:+.1f} {_ci(mean['ci95'])} ({mean['relative_pct']['value']:+.0f}%)",
            f"{median['value']:+.1f} {_ci(median['ci95'])}",
            f"{err['value']:+.1%} {_ci(err['ci95'], fmt='{:+.1%}')}",
            power_summary(p.get("power") or {}),
        )
    console.print(paired)
