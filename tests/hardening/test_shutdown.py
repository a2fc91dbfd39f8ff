"""Clean shutdown: a sweep's forkserver and workers end when the sweep dies, even by
SIGKILL; SIGTERM stops it like Ctrl-C and keeps the finished cells (issue 12)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pyarrow.parquet as pq

from tests.experiments.test_sweep_resume import end_group, parts, start_sweep

ARGS = ["--param", "automation_coverage=0:1:0.1", "--param", "horizon=30d", "-n", "6"]
ARGS += ["--workers", "2", "--quiet"]


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


def wait_for_group_to_end(pgid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not group_alive(pgid):
            return True
        time.sleep(0.1)
    return False


def test_sigkill_takes_the_forkserver_and_workers_with_it(tmp_path: Path) -> None:
    proc = start_sweep(tmp_path / "out", tmp_path / "log", ARGS)
    try:
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        assert wait_for_group_to_end(proc.pid, 15), "pool processes outlived the sweep"
    finally:
        end_group(proc)


def test_sigterm_stops_the_sweep_and_keeps_finished_cells(tmp_path: Path) -> None:
    out, log = tmp_path / "out", tmp_path / "log"
    proc = start_sweep(out, log, ARGS)
    try:
        os.kill(proc.pid, signal.SIGTERM)
        code = proc.wait(timeout=120)
        assert wait_for_group_to_end(proc.pid, 15), "pool processes outlived the sweep"
    finally:
        end_group(proc)
    said = log.read_text()
    assert code == 130, said
    assert "sweep stopped (interrupted)" in said and "--resume" in said
    assert "Traceback" not in said
    kept = parts(out)
    assert 1 <= len(kept) < 11
    for part in kept:  # every kept cell is complete and readable
        assert pq.read_table(part).num_rows > 0
    assert not (out / "sweep_summary.parquet").exists()
