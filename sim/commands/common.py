"""What several commands share: loading a scenario and its strategies, the executor
options, when to draw a progress bar, JSON output.

Bad input is printed to stderr in the ``file:line:col`` / ``file: problem`` form and the
caller returns exit code 2; nothing here raises into the command line.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.spec import ScenarioSpec

__all__ = [
    "add_allow_partial",
    "add_executor_arguments",
    "add_replications_arguments",
    "add_warmup_argument",
    "argument_problem",
    "failed_replications",
    "load_for_experiment",
    "load_scenario_for_command",
    "load_with_strategies",
    "no_progress_bar",
    "print_json",
    "unknown_strategies",
]


def load_scenario_for_command(path: str) -> ScenarioSpec | None:
    """The scenario at ``path``, or None after printing every diagnostic to stderr."""
    from sim.spec import SpecError, load_scenario

    try:
        return load_scenario(path)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return None


def unknown_strategies(spec: ScenarioSpec, names: list[str]) -> str | None:
    """A message naming the strategies ``spec`` does not have, or None if all exist."""
    unknown = [s for s in names if s not in spec.strategies]
    if not unknown:
        return None
    return f"unknown strategy {', '.join(unknown)} (known: {', '.join(spec.strategies)})"


def add_warmup_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warmup",
        type=_duration,
        metavar="DURATION",
        help="count only incidents whose fault started after this (e.g. 7d); "
        "overrides the scenario's warmup",
    )


def _duration(text: str) -> float:
    from sim.spec.units import parse_duration

    try:
        minutes = parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    # parse_duration reads any float ("nan", "-5"); a span of time is finite and >= 0.
    if not (math.isfinite(minutes) and minutes >= 0):
        raise argparse.ArgumentTypeError(f"expected a duration of zero or more, got {text!r}")
    return minutes


def load_with_strategies(
    path: str, names: Sequence[str] | None, *problems: str | None, warmup: float | None = None
) -> tuple[ScenarioSpec, list[str]] | None:
    """The scenario at ``path`` (with ``warmup`` when given) and the strategies to run
    (``names``, default: all, in file order), or None after printing to stderr why not:
    the scenario does not load, a strategy is unknown, the warm-up is too long, or the
    first of ``problems`` (the caller's checks of its other arguments; None where an
    argument is fine), in that order."""
    loaded = load_scenario_for_command(path)
    if loaded is None:
        return None
    from sim.spec.variants import with_warmup

    try:
        spec = with_warmup(loaded, warmup)
    except ValueError as exc:
        print(f"{path}: --{exc}", file=sys.stderr)
        return None
    strategies = list(names) if names else list(spec.strategies)
    twice = sorted({s for s in strategies if strategies.count(s) > 1})
    problem = (
        (f"strategy {', '.join(twice)} is given twice" if twice else None)
        or unknown_strategies(spec, strategies)
        or next((p for p in problems if p), None)
    )
    if problem:
        print(f"{path}: {problem}", file=sys.stderr)
        return None
    return spec, strategies


def load_for_experiment(
    args: argparse.Namespace, *problems: str | None, min_replications: int = 1
) -> tuple[ScenarioSpec, list[str]] | None:
    """``load_with_strategies`` for an experiment command (compare, sweep): the
    scenario, ``--strategies`` (comma-separated), ``--warmup`` and the checks every
    command shares (``argument_problem``) from ``args``, then the caller's ``problems``."""
    return load_with_strategies(
        args.scenario,
        args.strategies.split(",") if args.strategies else None,
        argument_problem(args, min_replications=min_replications),
        *problems,
        warmup=args.warmup,
    )


#: Seeds are 64-bit: every random stream of a replication is derived from one.
MAX_SEED = 2**63 - 1
_SCHEDULER = re.compile(r"^(tcp|tls|ws|wss|ucx|inproc)://[^\s/]+:\d{1,5}/?$")


def argument_problem(args: argparse.Namespace, min_replications: int = 1) -> str | None:
    """The first problem with the arguments every command shares (checked before any
    work starts), or None: counts, seed, workers, scheduler address, output paths."""
    from sim.spec.limits import MAX_REPLICATIONS
    from sim.spec.safe_io import output_problem

    n = getattr(args, "replications", None)
    if n is not None and n < min_replications:
        return f"-n must be at least {min_replications}"
    if n is not None and n > MAX_REPLICATIONS:
        return f"-n {n:,} is over the limit of {MAX_REPLICATIONS:,} replications"
    seed = getattr(args, "seed", None)
    if seed is not None and not 0 <= seed <= MAX_SEED:
        return f"--seed must be between 0 and 2**63-1, got {seed}"
    workers = getattr(args, "workers", None)
    if workers is not None and not 1 <= workers <= 1024:
        return f"--workers must be between 1 and 1024, got {workers}"
    scheduler = getattr(args, "scheduler", None)
    if scheduler is not None and not _SCHEDULER.match(scheduler):
        return f"--scheduler {scheduler!r}: expected an address such as tcp://host:8786"
    for option, folder in (("out", True), ("journal", True), ("events", False), ("junit", False)):
        path = getattr(args, option, None)
        problem = output_problem(path, folder=folder) if path else None
        if problem:
            return f"--{option} {problem}"
    return None


def add_allow_partial(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-partial",
        action="store_true",
        help="exit 0 even if some replications failed (their count is still reported)",
    )


def failed_replications(errors: dict[str, dict[Any, str]], total: int, allow: bool) -> int:
    """Say on stderr how many replications failed and why (the last line of the first
    traceback of each strategy); return the exit code: 1 unless ``allow`` or none failed."""
    failed = sum(len(by_seed) for by_seed in errors.values())
    if not failed:
        return 0
    print(f"{failed} of {total} replications failed:", file=sys.stderr)
    for strategy, by_seed in errors.items():
        if not by_seed:
            continue
        seed, trace = next(iter(by_seed.items()))
        why = trace.strip().splitlines()[-1] if trace.strip() else "no message"
        print(f"  {strategy}: {len(by_seed)} failed; seed {seed}: {why}", file=sys.stderr)
    if allow:
        print("results include only the replications that ran (--allow-partial)", file=sys.stderr)
        return 0
    print("the results are incomplete; --allow-partial accepts them", file=sys.stderr)
    return 1


def no_progress_bar(args: argparse.Namespace) -> bool:
    """No progress bar with ``--quiet``, with ``--json`` (stdout is the document) or on CI."""
    return bool(args.quiet or args.json or os.environ.get("CI"))


def print_json(doc: Any) -> None:
    """``doc`` as indented JSON on stdout; NaN and infinities (not JSON) become null."""
    from sim.experiments.store import jsonable

    print(json.dumps(jsonable(doc), indent=2))


def add_replications_arguments(
    parser: argparse.ArgumentParser, *, default: int | None, what: str
) -> None:
    """``-n/--replications N`` (``default``; ``what`` is its help) and ``--seed``, the
    base seed every replication's seed derives from."""
    parser.add_argument("-n", "--replications", type=int, default=default, metavar="N", help=what)
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="base seed; replication seeds derive from it (default 1)",
    )


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """``--workers``, ``--executor`` and ``--scheduler``: where replications run."""
    parser.add_argument("--workers", type=int, help="processes (default: all cores)")
    parser.add_argument(
        "--executor",
        choices=["serial", "process", "dask"],
        default="process",
        help="where replications run (dask starts a local cluster unless --scheduler)",
    )
    parser.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, tcp://host:8786")
