"""Bootstrap speed: 100,000 durations x 2,000 resamples, plain and clustered.

Run: ``python bench/bench_stats.py``. Prints seconds per call (median of 3) — the
statistics run at the end of every comparison, so they must stay in seconds, not
minutes (a Python loop over resamples would take minutes).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from sim.experiments.stats import describe_durations


def _time(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    x = np.random.default_rng(4).lognormal(3.0, 1.25, 100_000)
    rows = [
        ("100k values, independent", _time(lambda: describe_durations(x, rng=0, n_boot=2000))),
    ]
    for r in (20, 100, 1000):
        cluster = np.repeat(np.arange(r), len(x) // r)
        rows.append(
            (
                f"100k values, {r} replications (cluster)",
                _time(lambda c=cluster: describe_durations(x, rng=0, n_boot=2000, cluster=c)),
            )
        )
    print(f"{'case':<42} {'seconds':>8}")
    for name, secs in rows:
        print(f"{name:<42} {secs:>8.2f}")


if __name__ == "__main__":
    main()
