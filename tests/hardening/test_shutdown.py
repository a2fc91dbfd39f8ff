"""Clean shutdown: a sweep's forkserver and workers end when the sweep dies, even by
SIGKILL; SIGTERM stops it like Ctrl-C and keeps the finished cells (issue 12)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from .helpers import ROOT

SCENARIO = str(ROOT / "scenarios" / "seed-benchmark.yaml")
ARGS = ["--param", "automation_coverage=0:1:0.1", "--param", "horizon=30d", "-n", "6"]
ARGS += ["--workers", "2", "--quiet"]


def parts(out: Path) -> list[Path]:
    return sorted(out.glob("cells/cell=*/part-0.parquet"))


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # Zombies still count for killpg; they are dead (their parent is init or us).
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            state, group = fields[0], int(fields[3])
            if group == pgid and state != "Z":
                return True
    return False


def start_sweep(out: Path, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim.cli", "sweep", SCENARIO, *ARGS, "--out", str(out)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # its forkserver and workers share its process group
        )
    deadline = time.monotonic() + 120
    while not parts(out) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, f"the sweep ended before the signal:\n{log.read_text()}"
    assert parts(out), "no cell was written within 120 s"
    return proc


def wait_for_group_to_end(pgid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not group_alive(pgid):
            return True
        time.sleep(0.1)
    return False


def test_sigkill_takes_the_forkserver_and_workers_with_it(tmp_path: Path) -> None:
    proc = start_sweep(tmp_path / "out", tmp_path / "log")
    try:
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        assert wait_for_group_to_end(proc.pid, 15), "pool processes outlived the sweep"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_sigterm_stops_the_sweep_and_keeps_finished_cells(tmp_path: Path) -> None:
    out, log = tmp_path / "out", tmp_path / "log"
    proc = start_sweep(out, log)
    try:
        os.kill(proc.pid, signal.SIGTERM)
        code = proc.wait(timeout=120)
        assert wait_for_group_to_end(proc.pid, 15), "pool processes outlived the sweep"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    said = log.read_text()
    assert code == 130, said
    assert "sweep stopped (interrupted)" in said and "--resume" in said
    assert "Traceback" not in said
    kept = parts(out)
    assert 1 <= len(kept) < 11
    for part in kept:  # every kept cell is complete and readable
        assert pq.read_table(part).num_rows > 0
    assert not (out / "sweep_summary.parquet").exists()
