"""``gameday --help`` stays fast because it imports nothing heavy.

Timing a subprocess in a unit test is flaky on a shared machine, so the test checks
the cause instead: ``python -X importtime`` lists every module imported, and none of
the heavy libraries may be among them. The time itself is measured by
``bench/bench_cli.py``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pydantic", "yaml", "simpy", "numpy", "pandas", "streamlit", "rich")


def imported_modules(importtime_stderr: str) -> list[str]:
    """Module names from ``-X importtime`` lines: ``import time: self | cumulative | name``."""
    names = []
    for line in importtime_stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        name = line.rsplit("|", 1)[-1].strip()
        if name and name != "imported package":  # skip the header line
            names.append(name)
    return names


def heavy(names: list[str]) -> list[str]:
    return sorted({n for n in names if n.split(".")[0] in HEAVY})


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_check_can_fail() -> None:
    """Control: the parser does see a heavy import, even an indirect one."""
    result = run_python(
        "-X", "importtime", "-c", "import importlib; importlib.import_module('yaml')"
    )
    assert result.returncode == 0
    assert "yaml" in {n.split(".")[0] for n in imported_modules(result.stderr)}


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["--version"], *[[name, "--help"] for name in COMMANDS]],
    ids=" ".join,
)
def test_help_imports_nothing_heavy(argv: list[str]) -> None:
    result = run_python("-X", "importtime", "-m", "sim.cli", *argv)
    assert result.returncode == 0, result.stderr
    assert "gameday" in result.stdout
    names = imported_modules(result.stderr)
    assert "argparse" in names, "importtime output was not parsed"
    assert heavy(names) == []


def test_help_leaves_heavy_modules_out_of_sys_modules() -> None:
    """Belt and braces: importtime does not log ``importlib.import_module`` of a
    top-level package itself, so also look at ``sys.modules`` after ``--help``."""
    code = (
        "import sys\n"
        "from sim.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('MODULES', *sorted(sys.modules))\n"
    )
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
    (line,) = [ln for ln in result.stdout.splitlines() if ln.startswith("MODULES ")]
    modules = line.split()[1:]
    assert "sim.commands.validate" in modules
    assert heavy(modules) == []
