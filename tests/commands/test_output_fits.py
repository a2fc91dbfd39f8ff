"""Every command's output fits 80 columns when it is not a terminal (``make demo``, CI
logs): no line longer than 80, no table cell wrapped over more than two lines, no name
cut short; and every option explains itself in ``--help``. (``runbook graph`` and
``lifecycle graph`` print Mermaid source for other tools, which must not be wrapped.)"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from sim.cli import build_parser
from sim.spec import load_scenario
from tests.cli import gameday as run_gameday

ROOT = Path(__file__).resolve().parents[2]
PAYMENTS = ROOT / "scenarios" / "payments-platform.yaml"
STRATEGIES = list(load_scenario(PAYMENTS).strategies)  # full-no-assist is the longest name
SERIAL = ("--executor", "serial", "--quiet")


def gameday(*args: str, cwd: Path = ROOT) -> str:
    """``gameday ARGS`` with stdout a pipe (not a terminal) and COLUMNS=80."""
    env = {**os.environ, "COLUMNS": "80", "CI": "1"}
    env.pop("FORCE_COLOR", None)
    done = run_gameday(*args, cwd=cwd, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def table_rows(out: str) -> list[list[list[str]]]:
    """Every body row of every boxed table: a row is its lines, a line its cells."""
    rows: list[list[list[str]]] = []
    for line in out.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if cells[0] or not rows:
            rows.append([cells])
        else:  # an empty first cell continues the row above
            rows[-1].append(cells)
    return rows


def assert_fits(out: str, names: list[str]) -> None:
    assert out.strip(), "the command printed something"
    too_long = [line for line in out.splitlines() if len(line.rstrip()) > 80]
    assert not too_long, too_long
    assert "…" not in out, "nothing is cut short"
    for row in table_rows(out):
        assert len(row) <= 2, f"a cell wrapped over {len(row)} lines: {row}"
    cells = {c for row in table_rows(out) for line in row for c in line}
    headers = {c.strip() for line in out.splitlines() for c in line.strip("┃").split("┃")}
    for name in names:
        assert name in cells | headers, f"{name!r} is not shown whole"


def test_compare_fits_80_columns_with_a_second_table() -> None:
    out = gameday("compare", str(PAYMENTS), "-n", "2", *SERIAL)
    assert_fits(out, STRATEGIES)
    assert "(continued)" in out, "four strategies do not fit 80 columns in one table"
    assert "Δ error rate" in out and " pp" in out  # percentage points, not percent
    assert "full-no-assist: " in out  # the power verdicts as lines, not a wrapped column


def test_run_fits_80_columns() -> None:
    out = gameday("run", str(PAYMENTS), "--strategy", "full-no-assist")
    assert_fits(out, ["incidents", "MTTR mean (min, mitigated only)"])


def test_sweep_fits_80_columns(tmp_path: Path) -> None:
    out = gameday(
        "sweep",
        str(PAYMENTS),
        "--param",
        "automation_coverage=0,1",
        "--param",
        "horizon=3d",
        "-n",
        "2",
        "--out",
        str(tmp_path / "sweep"),
        *SERIAL,
    )
    assert_fits(out, STRATEGIES)


def test_test_fits_80_columns() -> None:
    out = gameday(
        "test",
        "scenarios/saas-small-team.yaml",
        "runbooks/restart-service.yaml",
        "-n",
        "3",
        *SERIAL,
    )
    assert_fits(out, [])
    passing = [line for line in out.splitlines() if line.startswith("  PASS")]
    assert passing, out
    assert "expect 1: " in out and "expect 0: " not in out  # people count from 1


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "scenarios", "runbooks"),
        (
            "triage",
            "tests/data/alertmanager-webhook.json",
            "--rules",
            "tests/data/triage-rules.yaml",
        ),
        ("--help",),
        ("compare", "--help"),
        ("test", "--help"),
    ],
)
def test_other_commands_fit_80_columns(args: tuple[str, ...]) -> None:
    assert_fits(gameday(*args), [])


def _parsers(parser: argparse.ArgumentParser, path: str = "gameday"):  # type: ignore[no-untyped-def]
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


def test_every_option_has_help() -> None:
    missing = [
        f"{path} {action.option_strings or action.dest}"
        for path, parser in _parsers(build_parser())
        for action in parser._actions
        if not action.help
        and not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
    ]
    assert not missing, missing
