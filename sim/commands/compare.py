"""``gameday compare SCENARIO`` — strategies side by side, with confidence intervals."""

from __future__ import annotations

import argparse
from typing import Any

from .common import (
    add_allow_partial,
    add_executor_arguments,
    add_replications_arguments,
    add_warmup_argument,
)

HELP = "compare response strategies over N replications on common random numbers"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="the scenario YAML file")
    add_replications_arguments(
        parser, default=100, what="replications per strategy (default 100; at least 2)"
    )
    parser.add_argument("--strategies", help="comma-separated names (default: all, file order)")
    add_executor_arguments(parser)
    add_warmup_argument(parser)
    parser.add_argument("--out", metavar="DIR", help="write incidents.parquet + summary.json")
    parser.add_argument("--json", action="store_true", help="print one JSON document only")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_allow_partial(parser)


def run(args: argparse.Namespace) -> int:
    from .common import failed_replications, load_for_experiment, no_progress_bar, print_json

    loaded = load_for_experiment(args, min_replications=2)
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
        print_summary(result.summary, spec.currency or "cost units")
    return failed_replications(result.errors, total, args.allow_partial)


def _ci(pair: list[float], fmt: str = "{:.1f}") -> str:
    lo, hi = pair
    return f"[{fmt.format(lo)}, {fmt.format(hi)}]"


def print_summary(doc: dict[str, Any], currency: str = "cost units") -> None:
    """The comparison as tables that fit the terminal (``fit``), then the power verdicts."""
    from rich.console import Console

    from sim.report.tables import power_summary

    from .fit import print_fitted

    console = Console()
    strategies = doc["strategies"]

    def stat(key: str, which: str) -> Any:
        return lambda s: f"{s[key][which]:.1f}\n{_ci(s[key]['ci95_by_stat'][which])}"

    def rate(s: dict[str, Any]) -> str:
        return f"{s['error_rate']['value']:.1%}\n{_ci(s['error_rate']['ci95'], fmt='{:.1%}')}"

    def km(which: str) -> Any:
        def cell(s: dict[str, Any]) -> str:
            q = s["ttr_km"][which]
            return f"{q['value']:.1f}\n{_ci(q['ci95'])}".replace("nan", "?")

        return cell

    rows: list[tuple[str, Any]] = [
        ("incidents", lambda s: f"{s['incidents']:,}"),
        ("open at the horizon (censored)", lambda s: f"{s['censored']['ttr']:,}"),
        ("MTTR mean (mitigated only)", stat("mttr", "mean")),
        ("MTTR median (mitigated only)", stat("mttr", "median")),
        ("MTTR p90 (mitigated only)", stat("mttr", "p90")),
        ("MTTR geometric mean (positive values)", stat("mttr", "geomean")),
        ("TTR median, Kaplan–Meier", km("median")),
        ("TTR p90, Kaplan–Meier", km("p90")),
        ("TTD mean", stat("ttd", "mean")),
        ("TTA mean", stat("tta", "mean")),
        ("error rate during fix", rate),
        ("human-minutes / incident", lambda s: f"{s['human_minutes_per_incident']:,.1f}"),
        ("manual actions / incident", lambda s: f"{s['manual_actions_per_incident']:,.1f}"),
        (f"cost / replication ({currency})", lambda s: f"{s['cost']:,.0f}"),
    ]
    print_fitted(
        console,
        f"{doc['scenario']}: {doc['replications']} replications per strategy, seed "
        f"{doc['seed']} — durations in minutes, 95% CIs (cluster bootstrap over replications)",
        "metric",
        [label for label, _ in rows],
        list(strategies),
        [[cell(s) for _, cell in rows] for s in strategies.values()],
    )
    if not doc["paired"]:
        return
    paired = doc["paired"]
    baseline = next(iter(paired.values()))["baseline"]
    columns = []
    for p in paired.values():
        mean, median, err = p["mttr_mean"], p["mttr_median"], p["error_rate"]
        pp = [100 * v for v in err["ci95"]]
        columns.append(
            [
                f"{mean['value']:+.1f} ({mean['relative_pct']['value']:+.0f}%)"
                f"\n{_ci(mean['ci95'])}",
                f"{median['value']:+.1f}\n{_ci(median['ci95'])}",
                f"{100 * err['value']:+.1f} pp\n{_ci(pp, fmt='{:+.1f}')}",
            ]
        )
    console.print()
    print_fitted(
        console,
        f"Paired differences against {baseline} (same seeds; minutes, error rate in "
        "percentage points)",
        "difference",
        ["Δ MTTR mean", "Δ MTTR median", "Δ error rate"],
        list(paired),
        columns,
    )
    console.print("Power (incidents needed to detect the difference):", highlight=False)
    for name, p in paired.items():
        console.print(f"- {name}: {power_summary(p.get('power') or {})}", highlight=False)
