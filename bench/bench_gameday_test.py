"""How long ``gameday test`` takes on the shipped library, end to end.

Run: ``.venv/bin/python bench/bench_gameday_test.py [--runs 3] [--quick]``. Each row is a
``gameday test`` command run as a subprocess from the repository root (default
replications, process pool on all cores, no progress bar), timed ``--runs`` times; the
table gives the median, min and max wall time and the exit code. The budget from the
issue is "under a minute on this machine" for the first row. The machine is shared:
the load average before the runs is printed, and wall times only compare within a run.
``--quick`` times the first row once and skips the per-file rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_cli import gameday_command

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = 60.0


def time_command(argv: list[str], runs: int) -> tuple[list[float], int]:
    times, code = [], 0
    env = {**os.environ, "CI": "1"}
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - start)
        code = max(code, done.returncode)
    return times, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()

    base = [*gameday_command(), "test", "--quiet"]
    cases: dict[str, list[str]] = {"scenarios runbooks (the CI job)": ["scenarios", "runbooks"]}
    if not args.quick:
        cases["runbooks (drills only)"] = ["runbooks"]
        for scenario in sorted((ROOT / "scenarios").glob("*.yaml")):
            cases[f"scenarios/{scenario.name}"] = [f"scenarios/{scenario.name}"]
    runs = 1 if args.quick else args.runs

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cores: {os.cpu_count()}, load average (1 min) before: {load:.2f}, runs: {runs}")
    rows = []
    for name, paths in cases.items():
        times, code = time_command([*base, *paths], runs)
        rows.append((name, statistics.median(times), min(times), max(times), code))

    width = max(len(r[0]) for r in rows)
    print(f"{'gameday test ...':<{width}}  {'median':>8}  {'min':>8}  {'max':>8}  exit")
    for name, med, low, high, code in rows:
        print(f"{name:<{width}}  {med:7.1f}s  {low:7.1f}s  {high:7.1f}s  {code:>4}")
    verdict = "within" if rows[0][1] < BUDGET_S else "OVER"
    print(f"\nshipped library: median {rows[0][1]:.1f} s, {verdict} the {BUDGET_S:.0f} s budget")
    return 0 if rows[0][1] < BUDGET_S and rows[0][4] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
