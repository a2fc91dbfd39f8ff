"""How long ``gameday --help`` (and a few cheap commands) take, end to end.

Run: ``.venv/bin/python bench/bench_cli.py [--runs 10]``. Prints the median, min and
max wall time of each command over ``--runs`` runs as a table. The promise is "well
under half a second" for ``--help``; ``tests/spec/test_cli_startup.py`` checks the
cause (no heavy imports) without timing anything.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = 0.5


def gameday_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m sim.cli``."""
    script = Path(sys.executable).with_name("gameday")
    if script.exists():
        return [str(script)]
    found = shutil.which("gameday")
    return [found] if found else [sys.executable, "-m", "sim.cli"]


def time_command(argv: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    base = gameday_command()
    cases = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "gameday --help": [*base, "--help"],
        "gameday validate --help": [*base, "validate", "--help"],
        "gameday validate scenarios runbooks": [*base, "validate", "scenarios", "runbooks"],
    }
    rows = []
    for name, argv in cases.items():
        times = time_command(argv, args.runs)
        rows.append((name, statistics.median(times), min(times), max(times)))

    width = max(len(r[0]) for r in rows)
    print(f"{'command':<{width}}  {'median':>9}  {'min':>9}  {'max':>9}   (runs={args.runs})")
    for name, med, low, high in rows:
        print(f"{name:<{width}}  {med * 1000:7.1f}ms  {low * 1000:7.1f}ms  {high * 1000:7.1f}ms")
    help_median = rows[1][1]
    verdict = "ok" if help_median < BUDGET_S else "OVER BUDGET"
    budget_ms = BUDGET_S * 1000
    print(
        f"\ngameday --help median {help_median * 1000:.0f} ms, budget {budget_ms:.0f} ms: {verdict}"
    )
    return 0 if help_median < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
