"""The calibration run: ``gameday compare scenarios/seed-benchmark.yaml -n 1000``.

Prints measured MTTR and error rate (with 95% CIs) next to the reference table and the
bands (MTTR ±15%, error rate ±3 points). Run: ``python bench/bench_calibration.py [-n N]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sim.experiments import compare_on, default_workers, open_executor
from sim.spec import load_scenario

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = {"manual": (145.0, 0.22), "semi": (48.0, 0.09), "full": (12.0, 0.03)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=1000)
    args = parser.parse_args()
    spec = load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")
    start = time.perf_counter()
    with open_executor("process", default_workers()) as executor:
        result = compare_on(executor, spec, list(REFERENCE), args.n, 1, workers=default_workers())
    wall = time.perf_counter() - start
    print(f"seed-benchmark, {args.n} replications per strategy, {wall:.0f} s")
    header = ("strategy", "MTTR (95% CI)", "band", "error rate (95% CI)", "band", "ok")
    print(f"{header[0]:<8} {header[1]:>24} {header[2]:>15} {header[3]:>26} {header[4]:>13} ok")
    for name, (mttr, err) in REFERENCE.items():
        s = result.summary["strategies"][name]
        m, (lo, hi) = s["mttr"]["mean"], s["mttr"]["ci95"]
        e, (elo, ehi) = s["error_rate"]["value"], s["error_rate"]["ci95"]
        ok = 0.85 * mttr <= lo and hi <= 1.15 * mttr and err - 0.03 <= elo and ehi <= err + 0.03
        verdict = "yes" if ok else "NO"
        print(
            f"{name:<8} {m:8.1f} [{lo:6.1f}, {hi:6.1f}] {0.85 * mttr:6.1f}-{1.15 * mttr:<6.1f}"
            f" {e:9.1%} [{elo:6.1%}, {ehi:6.1%}] {err - 0.03:5.0%}-{err + 0.03:<5.0%} {verdict}"
        )


if __name__ == "__main__":
    main()
