"""``gameday`` in a fresh interpreter, for tests of what a user sees: exit code, stdout
and stderr (text), never raising on a failing exit (the test asserts it)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: The command line of ``gameday`` as a module of this interpreter (no installed script needed).
GAMEDAY = (sys.executable, "-m", "sim.cli")


def gameday(
    *args: str,
    cwd: Path = ROOT,
    timeout: float = 600,
    stdin: str | None = None,
    env: Mapping[str, str] | None = None,
    **popen: Any,
) -> subprocess.CompletedProcess[str]:
    """``gameday ARGS`` run to its end (a hang fails on ``timeout`` seconds); ``stdin``
    is its input; ``popen`` passes anything else to ``subprocess.run``."""
    return subprocess.run(
        [*GAMEDAY, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        input=stdin,
        env=env,
        **popen,
    )
