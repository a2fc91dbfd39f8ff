"""Fixtures for the dashboard tests: small results folders made with the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import gameday

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboards" / "app.py"


@pytest.fixture(scope="session")
def results_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a compare result set, a sweep and a test report (made once)."""
    root = tmp_path_factory.mktemp("results")
    scenario = str(ROOT / "scenarios" / "seed-benchmark.yaml")
    done = gameday(
        "compare",
        scenario,
        "-n",
        "3",
        "--executor",
        "serial",
        "--quiet",
        "--out",
        str(root / "seed-benchmark"),
    )
    assert done.returncode == 0, done.stderr
    done = gameday(
        "sweep",
        scenario,
        "--param",
        "automation_coverage=0,0.5,1",
        "--param",
        "horizon=30d",
        "-n",
        "2",
        "--executor",
        "serial",
        "--json",
        "--out",
        str(root / "coverage-sweep"),
    )
    assert done.returncode == 0, done.stderr
    done = gameday(
        "test",
        str(ROOT / "runbooks" / "restart-service.yaml"),
        "-n",
        "2",
        "--executor",
        "serial",
        "--json",
    )
    (root / "test-results.json").write_text(done.stdout)
    return root
