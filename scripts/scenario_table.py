"""The library table of scenarios/README.md, generated from a real run.

    python scripts/scenario_table.py                 # run, rewrite the table (n=30, seed 1)
    python scripts/scenario_table.py --check -n 10 --seed 2
                                                     # a fresh run must agree with the table

Each row is a scenario of ``scenarios/library/``: its size, its faults, the first clause
of its header's "Teaches:" line, and the mean time to recovery of each strategy with its
95% confidence interval (cluster bootstrap over replications, as ``gameday compare``
reports it). The table sits between the ``scenario-table`` markers of the README; the
line after the start marker records how it was made (replications, seed).

``--check`` compares the committed table with a fresh run (other seed, usually fewer
replications): the rows must be the same scenarios with the same descriptions, and each
committed mean must agree with the fresh one within the committed interval, widened for
the fresh run's own error and for the number of cells compared. The committed interval's
half-width is 1.96 standard errors at its n; the fresh mean's error is the same at
sqrt(n_committed / n_fresh) times that, independent of it, so the difference has
sqrt(1 + n_committed / n_fresh) times the committed half-width at 95%; the Bonferroni
factor z(1 - 0.025 / cells) / 1.96 makes the whole table fail by chance in about 5% of
fresh seeds rather than in 1 - 0.95^cells of them. The committed interval is used rather
than the fresh one because a bootstrap interval from few replications is itself noisy.
Exit 1 lists every disagreement.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from scipy import stats

from sim.experiments import compare_on, open_executor
from sim.spec import ScenarioSpec, load_scenario

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "scenarios" / "library"
README = ROOT / "scenarios" / "README.md"
START, END = "<!-- scenario-table:start -->", "<!-- scenario-table:end -->"
STRATEGIES = ("manual", "semi", "full")
_MADE = re.compile(r"<!-- made by scripts/scenario_table.py: n=(\d+) seed=(\d+) -->")
_CELL = re.compile(r"^([\d.]+) \[([\d.]+)–([\d.]+)\]$")


@dataclass(frozen=True)
class Cell:
    """MTTR of one strategy on one scenario: mean and 95% interval, minutes."""

    mean: float
    lo: float
    hi: float

    def text(self) -> str:
        return f"{self.mean:.1f} [{self.lo:.1f}–{self.hi:.1f}]"


@dataclass(frozen=True)
class Row:
    scenario: str
    services: int
    faults: str
    teaches: str
    mttr: dict[str, Cell]

    def fixed(self) -> tuple[str, int, str, str]:
        """What does not depend on the run."""
        return (self.scenario, self.services, self.faults, self.teaches)


def teaches(path: Path) -> str:
    """The first clause of the header's "Teaches:" text."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r"^# Teaches:\s+(.*?)(?=^# [A-Z][a-z]+:|^[^#])", text, re.M | re.S)
    if not found:
        raise ValueError(f"{path}: no '# Teaches:' line in the header")
    words = " ".join(line.lstrip("#").strip() for line in found.group(1).splitlines())
    clause = re.split(r"(?<=[a-z)])[.;:](?:\s|$)", words, maxsplit=1)[0]
    return clause[0].upper() + clause[1:]


def _faults(spec: ScenarioSpec) -> str:
    kinds = {fault.kind for fault in spec.faults.values()}
    return f"{len(spec.faults)} ({len(kinds)} kinds)"


def run_row(path: Path, n: int, seed: int, executor: Executor, workers: int) -> Row:
    spec = load_scenario(path)
    result = compare_on(executor, spec, list(STRATEGIES), n, seed, workers=workers)
    cells = {}
    for strategy in STRATEGIES:
        mttr = result.summary["strategies"][strategy]["mttr"]
        cells[strategy] = Cell(mttr["mean"], *mttr["ci95"])
    return Row(path.stem, len(spec.services), _faults(spec), teaches(path), cells)


def run_table(n: int, seed: int, executor: Executor, workers: int = 1) -> list[Row]:
    paths = sorted(LIBRARY.glob("*.yaml"))
    return [run_row(path, n, seed, executor, workers) for path in paths]


def render(rows: Sequence[Row], n: int, seed: int) -> str:
    lines = [
        f"<!-- made by scripts/scenario_table.py: n={n} seed={seed} -->",
        f"MTTR in minutes: mean [95% CI] over {n} replications per strategy (seed {seed}), "
        "from `python scripts/scenario_table.py`; do not edit by hand.",
        "",
        "| scenario | services | faults | what it teaches | manual | semi | full |",
        "| --- | ---: | --- | --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        cells = " | ".join(row.mttr[s].text() for s in STRATEGIES)
        name = f"[`{row.scenario}`](library/{row.scenario}.yaml)"
        lines.append(f"| {name} | {row.services} | {row.faults} | {row.teaches} | {cells} |")
    return "\n".join(lines)


def replace_table(readme: str, table: str) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}\n{END}{tail}"


def parse_table(readme: str) -> tuple[int, int, list[Row]]:
    """The committed table: (n, seed, rows)."""
    block = readme.split(START, 1)[1].split(END, 1)[0]
    made = _MADE.search(block)
    if not made:
        raise ValueError("the table has no 'made by' line: regenerate it")
    rows = []
    for line in block.splitlines():
        if not line.startswith("| [`"):
            continue
        parts = [p.strip() for p in line.strip("|").split("|")]
        name = re.match(r"\[`([^`]+)`\]", parts[0])
        assert name is not None
        cells = {}
        for strategy, text in zip(STRATEGIES, parts[4:], strict=True):
            found = _CELL.match(text)
            if not found:
                raise ValueError(f"{name.group(1)}: cannot read the {strategy} cell {text!r}")
            cells[strategy] = Cell(*(float(g) for g in found.groups()))
        rows.append(Row(name.group(1), int(parts[1]), parts[2], parts[3], cells))
    return int(made.group(1)), int(made.group(2)), rows


def disagreements(
    committed: Sequence[Row], fresh: Sequence[Row], n_committed: int, n_fresh: int
) -> list[str]:
    """Why the committed table does not match the fresh run (empty: it does)."""
    problems = []
    if [r.fixed() for r in committed] != [r.fixed() for r in fresh]:
        problems.append(
            "the scenarios, sizes, faults or descriptions differ from the library: "
            "regenerate the table"
        )
        return problems
    cells = len(committed) * len(STRATEGIES)
    # Two-sided family-wise 5%: each cell's interval of the difference at 1 - 0.05/cells.
    widen = float(stats.norm.ppf(1 - 0.025 / cells)) / float(stats.norm.ppf(0.975))
    # The committed interval's half-width is 1.96 standard errors at n_committed; the
    # fresh mean's error scales as 1/sqrt(n), and the two runs are independent.
    scale = math.sqrt(1 + n_committed / n_fresh)
    for old, new in zip(committed, fresh, strict=True):
        for strategy in STRATEGIES:
            a, b = old.mttr[strategy], new.mttr[strategy]
            diff = a.mean - b.mean
            # The side of the committed interval towards the fresh mean.
            half = (a.mean - a.lo) if diff > 0 else (a.hi - a.mean)
            allowed = widen * scale * half
            if abs(diff) > allowed:
                problems.append(
                    f"{old.scenario} {strategy}: table {a.text()}, fresh run {b.text()} "
                    f"(difference {diff:+.1f} min, allowed ±{allowed:.1f})"
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="replications per strategy")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="compare, do not rewrite")
    args = parser.parse_args(argv)
    readme = README.read_text(encoding="utf-8")
    with open_executor("process", args.workers) as executor:
        rows = run_table(args.n, args.seed, executor, args.workers)
    if args.check:
        n_committed, _, committed = parse_table(readme)
        problems = disagreements(committed, rows, n_committed, args.n)
        for problem in problems:
            print(problem)
        print(f"{len(committed)} scenarios: " + ("differ" if problems else "agree"))
        return 1 if problems else 0
    README.write_text(replace_table(readme, render(rows, args.n, args.seed)), encoding="utf-8")
    print(f"wrote the table of {len(rows)} scenarios into {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
