"""Responsiveness of a training session: from a trainee's action to the next screen.

For every command of the shipped expert and careless action files of the three training
scenarios, the time of ``Session.act`` (the engine runs to the next decision), then
``observe`` (the next screen's data) and the terminal rendering of that screen (rich, to
an in-memory console), and the three together. Repeated ``--repeats`` times; percentiles
over all actions of all repeats. Target: p99 of action-to-screen <= 50 ms. The debrief
(baseline replications) is timed once per scenario for information.
Run: ``.venv/bin/python bench/bench_training.py`` (exit 1 if the target is missed).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from sim.commands.train_screen import screen
from sim.spec import load_scenario
from sim.training import Session, debrief, observe, read_actions

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("training-01-crash", "training-02-cascade", "training-03-night-shift")
TARGET_MS = 50.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(repeats: int) -> tuple[dict[str, list[float]], dict[str, float]]:
    timings: dict[str, list[float]] = {"act": [], "observe": [], "render": [], "total": []}
    debriefs: dict[str, float] = {}
    sink = Console(file=io.StringIO(), width=100, color_system=None)
    for name in SCENARIOS:
        spec = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        for persona in ("expert", "careless"):
            lines = [
                line
                for _n, line in read_actions(
                    ROOT / "scenarios" / "training" / f"{name}.{persona}.actions"
                )
            ]
            for _ in range(repeats):
                session = Session(spec, 1)
                for line in lines:
                    t0 = time.perf_counter()
                    session.act(line)
                    t1 = time.perf_counter()
                    obs = observe(session)
                    t2 = time.perf_counter()
                    sink.print(screen(obs))
                    t3 = time.perf_counter()
                    for key, ms in (
                        ("act", t1 - t0),
                        ("observe", t2 - t1),
                        ("render", t3 - t2),
                        ("total", t3 - t0),
                    ):
                        timings[key].append(ms * 1000)
                    sink.file = io.StringIO()
        t0 = time.perf_counter()
        debrief(session)
        debriefs[name] = time.perf_counter() - t0
    return timings, debriefs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    timings, debriefs = measure(args.repeats)
    out = Console()
    table = Table(
        "stage",
        "actions",
        "median ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        title="action -> next screen (all training scenarios, both action files)",
    )
    for key, values in timings.items():
        table.add_row(
            key,
            str(len(values)),
            f"{statistics.median(values):.2f}",
            f"{_percentile(values, 0.95):.2f}",
            f"{_percentile(values, 0.99):.2f}",
            f"{max(values):.2f}",
        )
    out.print(table)
    p99 = _percentile(timings["total"], 0.99)
    verdict = "ok" if p99 <= TARGET_MS else "MISSED"
    out.print(f"target: p99 action -> screen <= {TARGET_MS:g} ms: {p99:.1f} ms ({verdict})")
    out.print(
        "debrief (30 baseline seeds x 3 strategies): "
        + ", ".join(f"{k} {v:.2f} s" for k, v in debriefs.items())
    )
    return 0 if p99 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
