"""CPU µs per incident of this checkout against another commit, measured in one run.

Run: ``.venv/bin/python bench/bench_ab.py [--base REV] [--rounds R] [--reps N]``.

The machine is shared, so wall-clock numbers from two runs do not compare. This script
exports ``--base`` (default ``main``) with ``git archive`` into a temporary folder and
runs the same workload in alternating fresh processes, one with the base on
``sys.path`` and one with this checkout: ``run_batch`` (engine, incident rows, Arrow
table — a worker's whole task) of every strategy of the scenario on ``--reps`` common
seeds, after one warm-up replication per strategy. Each process reports its CPU time
(``process_time``) per simulated incident; the table gives each side's median and
minimum and the per-round ratios. Neighbours' load still shows in CPU time (shared
caches), and only ever adds to it: the minima are the least disturbed rounds.

With ``--instructions`` it counts instructions instead (``valgrind --tool=cachegrind``,
about 50x slower; one process per side with ``--reps`` and one with none, the difference
per incident): not time, but free of the neighbours' noise, so a change of a few percent
shows in one run. It misses what instruction counts cannot see (cache misses).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, time
from sim.experiments.runner import replication_seeds, run_batch
from sim.spec import load_scenario
import sim
spec = load_scenario({scenario!r})
strategies = list(spec.strategies)
for s in strategies:
    run_batch(spec, s, replication_seeds(0, 1), [0])
seeds = replication_seeds({seed}, {reps})
cpu = time.process_time()
incidents = sum(run_batch(spec, s, seeds, list(range({reps}))).rows for s in strategies)
cpu = time.process_time() - cpu
print(json.dumps({{"cpu": cpu, "incidents": incidents, "where": sim.__file__}}))
"""


def export(rev: str, folder: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")


def run(path: Path, scenario: str, seed: int, reps: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(path), "PYTHONHASHSEED": "0"}
    code = CHILD.format(scenario=scenario, seed=seed, reps=reps)
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=path,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def instructions(path: Path, scenario: str, reps: int) -> tuple[int, int]:
    """(instructions, incidents) of a child process under cachegrind."""
    env = {**os.environ, "PYTHONPATH": str(path), "PYTHONHASHSEED": "0"}
    code = CHILD.format(scenario=scenario, seed=1, reps=reps)
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", code],
        env=env, cwd=path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    refs = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    assert refs is not None, done.stderr
    return int(refs[1].replace(",", "")), int(json.loads(done.stdout.splitlines()[-1])["incidents"])


def count_instructions(sides: dict[str, Path], scenario: str, reps: int) -> None:
    from concurrent.futures import ThreadPoolExecutor

    jobs = [(side, r) for side in sides for r in (0, reps)]
    with ThreadPoolExecutor(2) as pool:
        counts = dict(
            zip(
                jobs,
                pool.map(lambda j: instructions(sides[j[0]], scenario, j[1]), jobs),
                strict=True,
            )
        )
    per = {}
    for side in sides:
        (i0, _), (i1, n) = counts[side, 0], counts[side, reps]
        per[side] = (i1 - i0) / n
        print(f"  {side:>5}: {per[side]:,.0f} instructions per incident ({n:,} incidents)")
    print(f"  this / base: {per['this'] / per['base']:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="commit to compare with")
    parser.add_argument("--scenario", default="scenarios/seed-benchmark.yaml")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--reps", type=int, default=20, help="replications per strategy")
    parser.add_argument("--instructions", action="store_true", help="count, under valgrind")
    args = parser.parse_args()
    scenario = str((ROOT / args.scenario).resolve())
    per: dict[str, list[float]] = {"base": [], "this": []}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        export(args.base, base)
        sides = {"base": base, "this": ROOT}
        if args.instructions:
            count_instructions(sides, scenario, args.reps)
            return 0
        for r in range(args.rounds):
            order = ["base", "this"] if r % 2 == 0 else ["this", "base"]
            for side in order:
                got = run(sides[side], scenario, 1 + r, args.reps)
                assert str(sides[side]) in str(got["where"]), got["where"]
                per[side].append(1e6 * got["cpu"] / got["incidents"])
    ratios = [t / b for t, b in zip(per["this"], per["base"], strict=True)]
    print(f"CPU µs per incident, {args.rounds} rounds x {args.reps} reps per strategy")
    for side, values in per.items():
        label = args.base if side == "base" else "this checkout"
        shown = " ".join(f"{v:.1f}" for v in values)
        print(
            f"  {label:>14}: median {statistics.median(values):6.1f}, "
            f"min {min(values):6.1f}   ({shown})"
        )
    print(
        f"  this / base: median {statistics.median(ratios):.3f} "
        f"(rounds {min(ratios):.3f}-{max(ratios):.3f}); of the minima "
        f"{min(per['this']) / min(per['base']):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
