"""Counts of what the fuzz tests pushed through (``make fuzz`` prints them).

Each test process adds its counts to ``$GAMEDAY_FUZZ_COUNTS/<pid>.json`` at the end of
the session; ``make fuzz`` sums the files (``tests/hardening/fuzz_counts.py``).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

COUNTS: Counter[str] = Counter()


@pytest.fixture(scope="session", autouse=True)
def _write_fuzz_counts() -> Iterator[None]:
    yield
    folder = os.environ.get("GAMEDAY_FUZZ_COUNTS")
    if folder and COUNTS:
        path = Path(folder) / f"{os.getpid()}.json"
        path.write_text(json.dumps(dict(COUNTS)))
