"""What several commands share: loading a scenario for a command, picking strategies.

Bad input is printed to stderr in the ``file:line:col`` / ``file: problem`` form and the
caller returns exit code 2; nothing here raises into the command line.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.spec import ScenarioSpec

__all__ = ["add_executor_arguments", "load_scenario_for_command", "unknown_strategies"]


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
