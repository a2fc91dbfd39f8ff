"""The dashboard's Compare page over a results folder of 1,000,000 incident rows.

Run: ``python bench/bench_dashboard.py [--rows N] [--repeat K] [--keep DIR]``.

Setup (not timed): a synthetic compare folder in a temporary directory — 3 strategies x
200 replications, ``--rows`` incident rows in all, every column of ``sim.metrics`` with
realistic distributions (log-normal TTR with a per-replication effect, TTD, TTA, errors,
human-minutes, cost, a few percent noise), written as ``gameday compare --out`` writes it:
``incidents.parquet``, ``summary.json`` (``sim.experiments.summarize`` on those rows, the
real cluster bootstrap), ``metadata.json``, ``scenario.json``.

Timed, each ``--repeat`` times with every Streamlit cache cleared first (cold):

1. *data path* — what the page computes: ``open_results`` + the DuckDB histogram, ECDF
   and counts queries + the ``summary.json`` tables;
2. *page render* — ``AppTest`` runs the whole Compare page (``dashboards/app.py`` with
   the folder loaded): the data path plus building every chart and table and
   serialising them to the (simulated) browser. One warm-up run on the same folder comes
   first, so Python module imports are not counted; its caches are then cleared.

What is not timed: the browser drawing the charts (Vega in the page: ~0.1-0.3 s for
these small data sets, measured by hand in Chromium) and the network. The target is
under 3 s for the page render on this 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim.engine.streams import replication_seeds

ROOT = Path(__file__).resolve().parents[1]
STRATEGIES = ("manual", "semi", "full")
REPLICATIONS = 200
TARGET_SECONDS = 3.0


def synthetic_folder(out: Path, rows: int, seed: int = 7) -> Path:
    """A compare results folder with ``rows`` incident rows (see the module docstring)."""
    from sim.experiments import summarize
    from sim.metrics import COLUMNS
    from sim.spec import load_scenario

    spec = load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")
    rng = np.random.default_rng(seed)
    per = rows // len(STRATEGIES)
    frames = []
    rep_effect = rng.normal(0, 0.15, REPLICATIONS)
    services = np.array(sorted(spec.services))
    for i, strategy in enumerate(STRATEGIES):
        n = per if i < len(STRATEGIES) - 1 else rows - per * (len(STRATEGIES) - 1)
        rep = np.sort(rng.integers(0, REPLICATIONS, n))
        onset = rng.uniform(0, spec.horizon, n)
        ttd = rng.lognormal(1.3, 0.35, n)
        tta = rng.lognormal(1.6 - i, 0.8, n) if i < 2 else np.zeros(n)
        ttr = rng.lognormal(np.log((145, 48, 12)[i]) - 0.25 + rep_effect[rep], 0.7, n)
        errors = (rng.random(n) < (0.22, 0.09, 0.03)[i]).astype(np.int64)
        noise = rng.random(n) < 0.03
        frame = pd.DataFrame(
            {
                "strategy": strategy,
                "replication": rep,
                "seed": np.asarray(replication_seeds(1, REPLICATIONS))[rep],
                "incident": np.arange(n),
                "service": rng.choice(services, n),
                "noise": noise,
                "fault": "synthetic",
                "fault_kind": rng.choice(["crash", "latency", "bad_deploy", "saturation"], n),
                "severity": rng.choice(["P0", "P1", "P2", "P3"], n),
                "onset": onset,
                "detected": onset + ttd,
                "acknowledged": onset + ttd + tta,
                "mitigated": onset + ttr,
                "resolved": onset + ttr + rng.exponential(8, n),
                "ttd": ttd,
                "tta": tta,
                "ttr": ttr,
                "errors": errors,
                "step_errors": errors,
                "wrong_runbooks": np.zeros(n, dtype=np.int64),
                "human_minutes": ttr * (1.0, 0.9, 0.6)[i],
                "manual_actions": rng.poisson((7, 4.5, 1.8)[i], n),
                "automated_steps": rng.poisson((0, 1.5, 3.1)[i], n),
                "runbooks": "restart-service",
                "mitigated_by": "runbook:restart-service",
                "waited": np.zeros(n),
                "pages": rng.poisson(1.5, n),
                "affected_users_pct": rng.uniform(0, 100, n),
                "cost": ttr * 40,
            }
        )
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    assert set(COLUMNS) <= set(table.columns)
    out.mkdir(parents=True, exist_ok=True)
    table.to_parquet(out / "incidents.parquet", index=False)
    summary = summarize(table, spec, list(STRATEGIES), REPLICATIONS, 1)
    (out / "summary.json").write_text(json.dumps(summary, default=lambda v: None))
    meta = {
        "kind": "compare",
        "scenario": spec.name,
        "strategies": list(STRATEGIES),
        "replications": REPLICATIONS,
        "seed": 1,
        "version": "bench",
    }
    (out / "metadata.json").write_text(json.dumps(meta))
    (out / "scenario.json").write_text(json.dumps(spec.model_dump(mode="json", by_alias=True)))
    return out


def data_path(folder: Path) -> None:
    from sim.report import open_results, query, tables

    results = open_results(folder)
    order = results.strategies
    query.ttr_histogram(results.incidents, order)
    query.ttr_ecdf(results.incidents, order)
    query.incident_counts(results.incidents)
    tables.overview(results.summary, order)
    tables.stat_table(results.summary, order)
    tables.paired_table(results.summary)
    tables.power_verdicts(results.summary)


def page_render(folder: Path) -> float:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["GAMEDAY_RESULTS_DIR"] = str(folder)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "dashboards" / "app.py"), default_timeout=120)
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    if not any("manual, semi, full" in s.value for s in at.subheader):
        raise RuntimeError("the Compare page did not show the results folder")
    return seconds


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="write the folder here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gameday-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp) / "million"
        start = time.perf_counter()
        synthetic_folder(folder, args.rows)
        setup = time.perf_counter() - start
        size = (folder / "incidents.parquet").stat().st_size
        print(
            f"setup: {args.rows:,} rows, incidents.parquet {size / 1e6:.1f} MB, "
            f"summary.json by sim.experiments.summarize; {setup:.1f} s (not timed)"
        )
        data = timed(lambda: data_path(folder), args.repeat)
        page_render(folder)  # warm-up: imports, not counted
        pages = [page_render(folder) for _ in range(args.repeat)]
    print(f"{'what (cold caches)':<44} {'median s':>9} {'min':>7} {'max':>7}")
    for label, runs in (
        ("data path (DuckDB queries + tables)", data),
        ("Compare page render (AppTest, full page)", pages),
    ):
        print(f"{label:<44} {statistics.median(runs):>9.2f} {min(runs):>7.2f} {max(runs):>7.2f}")
    verdict = statistics.median(pages) < TARGET_SECONDS
    print(f"target: Compare page under {TARGET_SECONDS:.0f} s -> {'met' if verdict else 'MISSED'}")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
