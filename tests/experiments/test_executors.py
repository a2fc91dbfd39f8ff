"""Executors: serial, process pool and Dask give the same results; Dask retries tasks.

The Dask tests start a real ``LocalCluster`` on 127.0.0.1 (no dashboard), as CI does.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from pathlib import Path

import pytest

from sim.experiments.executors import SerialExecutor, open_executor
from sim.experiments.sweep import plan_sweep, prepare_folder, run_sweep
from sim.spec import load_scenario
from tests.cli import gameday

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "seed-benchmark.yaml"


def compare_json(*extra: str) -> str:
    done = gameday(
        "compare", str(SCENARIO), "-n", "3", "--seed", "4", "--json", *extra, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_compare_json_is_identical_on_every_executor() -> None:
    """Serial (--workers 1), a two-process pool and a two-worker Dask LocalCluster."""
    serial = compare_json("--workers", "1")
    assert '"replications": 3' in serial
    assert compare_json("--workers", "2") == serial
    assert compare_json("--executor", "dask", "--workers", "2") == serial


def test_serial_executor_carries_failures_in_the_future() -> None:
    executor = SerialExecutor()
    assert executor.submit(pow, 2, 5).result() == 32
    failed = executor.submit(int, "x")
    assert isinstance(failed.exception(), ValueError)


def test_unknown_executor_kind() -> None:
    with pytest.raises(ValueError, match="unknown executor"), open_executor("cloud"):  # type: ignore[arg-type]
        pass


def flaky(marker: str) -> str:
    """Fail on the first call, succeed on the next: what a lost worker looks like."""
    path = Path(marker)
    if not path.exists():
        path.write_text("failed once")
        raise RuntimeError("first attempt fails")
    return "ok"


@pytest.fixture(scope="module")
def dask_executor() -> Iterator[Executor]:
    pytest.importorskip("distributed")
    with open_executor("dask", workers=2, retries=2) as executor:
        yield executor


def test_dask_retries_a_failed_task(dask_executor: Executor, tmp_path: Path) -> None:
    marker = tmp_path / "attempt"
    assert dask_executor.submit(flaky, str(marker)).result(timeout=60) == "ok"
    assert marker.read_text() == "failed once"


def test_sweep_on_dask_equals_serial(dask_executor: Executor, tmp_path: Path) -> None:
    spec = load_scenario(SCENARIO)
    params = ["assist=0,0.6", "horizon=10d"]
    plans = {}
    for name, executor, workers in (("serial", SerialExecutor(), 1), ("dask", dask_executor, 2)):
        plan = plan_sweep(spec, params, ["manual", "semi"], 3, 2)
        out = tmp_path / name
        run_sweep(plan, out, executor, prepare_folder(plan, out, resume=False), workers=workers)
        plans[name] = plan
    for cell in plans["serial"].cells:  # byte-identical files
        part = Path("cells") / f"cell={cell.id}" / "part-0.parquet"
        assert (tmp_path / "dask" / part).read_bytes() == (tmp_path / "serial" / part).read_bytes()
