"""A sweep killed with SIGKILL mid-run, then resumed, equals an uninterrupted sweep.

The killed run uses the process pool (two workers), the reference runs serially, so the
test also shows that the executor does not change the dataset.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = str(ROOT / "scenarios" / "seed-benchmark.yaml")
# 12 cells x 3 strategies x 4 replications of 30 days: ~1 s per cell on one core, so
# the kill lands with most cells still to do.
ARGS = [
    "--param",
    "automation_coverage=0:1:0.2",
    "--param",
    "auto_remediation=false,true",
    "--param",
    "horizon=30d",
    "-n",
    "4",
    "--seed",
    "11",
    "--quiet",
]
CELLS = 12
KEY = ["cell", "strategy", "replication", "incident"]


def parts(out: Path) -> list[Path]:
    return sorted(out.glob("cells/cell=*/part-0.parquet"))


def dataset(out: Path) -> pd.DataFrame:
    data = pd.read_parquet(out / "cells")
    data["cell"] = data["cell"].astype(str)
    return data.sort_values(KEY).reset_index(drop=True)


def start_sweep(out: Path, log: Path, args: list[str] = ARGS) -> subprocess.Popen[bytes]:
    """Start the sweep CLI in a session of its own; return once a cell is on disk."""
    with open(log, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim.cli", "sweep", SCENARIO, *args, "--out", str(out)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # its pool workers share its process group id
        )
    try:
        deadline = time.monotonic() + 120
        while not parts(out) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, f"the sweep ended before the signal:\n{log.read_text()}"
        assert parts(out), "no cell was written within 120 s"
    except BaseException:
        end_group(proc)
        raise
    return proc


def end_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL whatever is left of the sweep's process group, so that a failing test does
    not leave work on the shared machine."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def kill_mid_run(out: Path, log: Path) -> int:
    """Start the sweep CLI, SIGKILL it once the first cell is on disk; cells written."""
    proc = start_sweep(out, log)
    try:
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        end_group(proc)
    return len(parts(out))


def test_killed_then_resumed_equals_uninterrupted(tmp_path: Path) -> None:
    killed, reference = tmp_path / "killed", tmp_path / "reference"
    written = kill_mid_run(killed, tmp_path / "killed.log")
    assert 1 <= written < CELLS, f"{written} cells: the kill was not mid-run"
    assert not (killed / "sweep_summary.parquet").exists()
    for part in parts(killed):  # whatever is visible is complete
        assert pq.read_table(part).num_rows > 0
    # Temporary files may remain from a write the kill interrupted, but only as hidden
    # files that Parquet readers skip; reading the folder must work.
    visible = [p for p in killed.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert {p.name for p in visible} <= {"metadata.json", "scenario.json", "part-0.parquet"}
    assert dataset(killed)["cell"].nunique() == written

    assert main(["sweep", SCENARIO, *ARGS, "--out", str(killed), "--resume", "--workers", "2"]) == 0
    assert main(["sweep", SCENARIO, *ARGS, "--out", str(reference), "--executor", "serial"]) == 0

    assert not list(killed.rglob("*.tmp"))
    assert len(parts(killed)) == CELLS
    resumed, uninterrupted = dataset(killed), dataset(reference)
    assert not resumed.duplicated(KEY).any()  # every cell, replication, incident once
    counts = resumed.groupby("cell")[["strategy", "replication"]].value_counts()
    assert len(counts) == CELLS * 3 * 4
    pd.testing.assert_frame_equal(resumed, uninterrupted)
    for part in parts(reference):  # the writer is deterministic: byte-identical files
        assert (killed / part.relative_to(reference)).read_bytes() == part.read_bytes()
    pd.testing.assert_frame_equal(
        pd.read_parquet(killed / "sweep_summary.parquet"),
        pd.read_parquet(reference / "sweep_summary.parquet"),
    )
    meta = [json.loads((d / "metadata.json").read_text()) for d in (killed, reference)]
    for doc in meta:
        doc.pop("created")
    assert meta[0] == meta[1]
