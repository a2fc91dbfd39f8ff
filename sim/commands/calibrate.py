"""``gameday calibrate EXPORT --format F --out SCENARIO.yaml`` — a scenario fitted to an
incident export, with a fit report and an optional back-test."""

from __future__ import annotations

import argparse
import sys
from typing import Any

HELP = "fit a scenario to an incident export (PagerDuty, Opsgenie, incident.io, CSV)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("export", metavar="EXPORT", help="the export file (CSV, UTF-8)")
    parser.add_argument(
        "--format",
        required=True,
        choices=["pagerduty", "opsgenie", "incidentio", "csv"],
        help="which tool wrote the export (csv: any CSV, described by --map)",
    )
    parser.add_argument("--map", metavar="FILE", help="column map YAML (needed for csv)")
    parser.add_argument("--out", required=True, metavar="SCENARIO", help="scenario YAML to write")
    parser.add_argument("--report", metavar="HTML", help="also write the fit report (HTML)")
    parser.add_argument(
        "--as-of",
        metavar="TIME",
        help="when the export was taken (ISO 8601; default: its latest timestamp)",
    )
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="drop unreadable rows (counted by reason) instead of failing",
    )
    parser.add_argument(
        "--holdout",
        metavar="PCT",
        help="back-test: fit on the earlier incidents, simulate the last PCT (e.g. 25%%)",
    )
    parser.add_argument(
        "-n",
        "--replications",
        type=int,
        default=40,
        metavar="N",
        help="back-test replications (default 40)",
    )
    parser.add_argument("--seed", type=int, default=1, help="back-test base seed (default 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON document only")


def _holdout(text: str | None) -> float | str | None:
    """The held-out share in (0, 1), None when not asked, or a message."""
    if text is None:
        return None
    raw = text.strip().removesuffix("%")
    try:
        value = float(raw) / 100 if text.strip().endswith("%") or float(raw) >= 1 else float(raw)
    except ValueError:
        return f"--holdout {text!r}: expected a percentage such as 25%"
    if not 0.05 <= value <= 0.5:
        return f"--holdout {text!r}: between 5% and 50%"
    return value


def run(args: argparse.Namespace) -> int:
    from sim.spec.safe_io import output_problem

    from .common import argument_problem, print_json

    holdout = _holdout(args.holdout)
    problem = (
        output_problem(args.out)
        or (output_problem(args.report) if args.report else None)
        or (holdout if isinstance(holdout, str) else None)
        or argument_problem(
            argparse.Namespace(replications=args.replications, seed=args.seed), min_replications=2
        )
    )
    if problem:
        print(f"gameday calibrate: {problem}", file=sys.stderr)
        return 2
    as_of = None
    if args.as_of:
        from datetime import UTC

        from sim.calibrate.times import parse_time

        try:
            as_of, _ = parse_time(args.as_of, UTC)
        except ValueError as exc:
            print(f"gameday calibrate: --as-of: {exc}", file=sys.stderr)
            return 2

    from sim.calibrate import calibrate

    try:
        result = calibrate(
            args.export,
            args.format,
            map_path=args.map,
            as_of=as_of,
            skip_bad_rows=args.skip_bad_rows,
        )
    except ValueError as exc:  # ExportError, map-file errors, too little data
        from sim.spec.safe_io import UnsafePath

        prefix = f"{args.export}: " if isinstance(exc, UnsafePath) else ""
        print(f"{prefix}{exc}", file=sys.stderr)
        return 2
    backtest = None
    if isinstance(holdout, float):
        from sim.calibrate.backtest import run_backtest

        try:
            backtest = run_backtest(result, holdout, replications=args.replications, seed=args.seed)
        except ValueError as exc:
            print(f"{args.export}: {exc}", file=sys.stderr)
            return 2
    if args.report:
        from sim.calibrate.fit_report import fit_report_html
        from sim.spec.safe_io import atomic_write

        atomic_write(args.report, fit_report_html(result, backtest))
    result.write(args.out)
    doc = summary(result, backtest, args.out)
    if args.json:
        print_json(doc)
    else:
        _print_summary(doc)
    return 0


def summary(result: Any, backtest: Any, out: str) -> dict[str, Any]:
    """What the command reports: cleaning, fits, back-test (JSON-ready)."""
    model, clean = result.model, result.clean

    def est(e: Any) -> dict[str, float]:
        return {"value": e.value, "low": e.low, "high": e.high}

    def best(fits: Any) -> dict[str, Any] | None:
        if fits is None or fits.pooled is None:
            return None
        f = fits.pooled.best
        return {
            "family": f.family,
            "n": f.n,
            "censored": f.censored,
            "mean": est(f.mean),
            "median": est(f.median),
            "p90": est(f.p90),
        }

    doc: dict[str, Any] = {
        "export": clean.file,
        "format": result.format,
        "scenario": out,
        "incidents": len(clean.incidents),
        "open_censored": sum(i.ttr_censored for i in clean.incidents),
        "weeks": model.weeks,
        "dropped": dict(clean.dropped),
        "corrected": dict(clean.corrected),
        "notes": clean.notes,
        "rates_per_week": {s: est(e) for s, e in model.rates.items()},
        "severity_mix": {s: est(e) for s, e in model.severity_mix.items()},
        "time_to_acknowledge": best(model.tta),
        "time_to_resolve": best(model.ttr),
        "responders": len(model.responders),
    }
    if backtest is not None:
        doc["backtest"] = backtest.as_dict()
    return doc


def _print_summary(doc: dict[str, Any]) -> None:
    dropped = ", ".join(f"{k}: {v}" for k, v in doc["dropped"].items()) or "nothing"
    corrected = ", ".join(f"{k}: {v}" for k, v in doc["corrected"].items()) or "nothing"
    print(
        f"{doc['export']}: {doc['incidents']} incidents over {doc['weeks']:.1f} weeks "
        f"({doc['open_censored']} open, censored)"
    )
    print(f"  dropped: {dropped}")
    print(f"  corrected: {corrected}")
    for note in doc["notes"]:
        print(f"  note: {note}")
    for key, label in (("time_to_acknowledge", "TTA"), ("time_to_resolve", "TTR")):
        f = doc[key]
        if f:
            m = f["mean"]
            print(
                f"  {label}: {f['family']}, mean {m['value']:.1f} min "
                f"(95% CI {m['low']:.1f}-{m['high']:.1f}), n={f['n']}"
            )
    if "backtest" in doc:
        from sim.calibrate.backtest import backtest_lines

        for line in backtest_lines(doc["backtest"]):
            print(f"  {line}")
    print(f"wrote {doc['scenario']} (gameday validate / compare it)")
