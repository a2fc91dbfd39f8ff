"""What several commands share: loading a scenario and its strategies, the executor
options, when to draw a progress bar, JSON output.

Bad input is printed to stderr in the ``file:line:col`` / ``file: problem`` form and the
caller returns exit code 2; nothing here raises into the command line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.spec import ScenarioSpec

__all__ = [
    "add_executor_arguments",
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


def load_with_strategies(
    path: str, names: Sequence[str] | None, *problems: str | None
) -> tuple[ScenarioSpec, list[str]] | None:
    """The scenario at ``path`` and the strategies to run (``names``, default: all, in
    file order), or None after printing to stderr why not: the scenario does not load, a
    strategy is unknown, or the first of ``problems`` (the caller's checks of its other
    arguments; None where an argument is fine), in that order."""
    spec = load_scenario_for_command(path)
    if spec is None:
        return None
    strategies = list(names) if names else list(spec.strategies)
    problem = unknown_strategies(spec, strategies) or next((p for p in problems if p), None)
    if problem:
        print(f"{path}: {problem}", file=sys.stderr)
        return None
    return spec, strategies


def no_progress_bar(args: argparse.Namespace) -> bool:
    """No progress bar with ``--quiet``, with ``--json`` (stdout is the document) or on CI."""
    return bool(args.quiet or args.json or os.environ.get("CI"))


def print_json(doc: Any) -> None:
    """``doc`` as indented JSON on stdout; NaN and infinities (not JSON) become null."""
    from sim.experiments.store import jsonable

    print(json.dumps(jsonable(doc), indent=2))


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
