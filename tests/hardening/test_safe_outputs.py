"""Outputs are written only over regular files (or new paths); the dashboard never reads
through a symlink out of its results folder (issue 12)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sim.cli import main

from .helpers import ROOT, clean_error, run_cli, scenario_dict, write_scenario

SEED_BENCHMARK = str(ROOT / "scenarios" / "seed-benchmark.yaml")


def test_atomic_write_refuses_links_fifos_devices_and_folders(tmp_path: Path) -> None:
    from sim.spec.safe_io import UnsafePath, atomic_write, output_problem

    target = tmp_path / "target.txt"
    target.write_text("keep me")
    link = tmp_path / "link"
    link.symlink_to(target)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path, kind in ((link, "symbolic link"), (fifo, "FIFO"), (tmp_path, "folder")):
        with pytest.raises(UnsafePath, match=kind):
            atomic_write(path, b"x")
    assert link.is_symlink() and target.read_text() == "keep me"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    problem = output_problem("/dev/null")  # checked, never written
    assert problem is not None and "character device" in problem
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"
    atomic_write(tmp_path / "new" / "file.txt", "fresh")  # new paths and regular files: fine
    atomic_write(target, "replaced")
    assert target.read_text() == "replaced"


def test_run_events_over_a_symlink_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("precious")
    link = tmp_path / "events.jsonl"
    link.symlink_to(target)
    code = main(["run", SEED_BENCHMARK, "--events", str(link)])
    assert code == 2
    assert "refusing to write over a symbolic link" in capsys.readouterr().err
    assert link.is_symlink()
    assert target.read_text() == "precious"


def test_run_events_into_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "events.jsonl"
    os.mkfifo(fifo)
    result = run_cli("run", SEED_BENCHMARK, "--events", str(fifo), timeout=60)
    assert "FIFO" in clean_error(result)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO is still a FIFO"


def test_junit_over_a_symlink_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "precious.xml"
    target.write_text("precious")
    link = tmp_path / "junit.xml"
    link.symlink_to(target)
    scenario = write_scenario(tmp_path / "s", scenario_dict())
    code = main(["test", str(scenario), "-n", "2", "--executor", "serial", "--junit", str(link)])
    assert code == 2
    assert "symbolic link" in capsys.readouterr().err
    assert link.is_symlink() and target.read_text() == "precious"


def test_compare_out_that_is_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    for out in (a_file, a_file / "below"):
        code = main(["compare", SEED_BENCHMARK, "-n", "2", "--out", str(out)])
        assert code == 2
        assert "--out" in capsys.readouterr().err
    assert a_file.read_text() == "x"


def test_dashboard_refuses_a_sweep_cell_linked_out_of_the_results_folder(tmp_path: Path) -> None:
    from sim.report import ResultsError, open_results

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "part-0.parquet").write_bytes(b"PAR1 not really")
    sweep = tmp_path / "results" / "sweep"
    (sweep / "cells" / "cell=aaaa").mkdir(parents=True)
    (sweep / "metadata.json").write_text('{"kind": "sweep", "strategies": ["manual"]}')
    (sweep / "cells" / "cell=aaaa" / "part-0.parquet").symlink_to(outside / "part-0.parquet")
    with pytest.raises(ResultsError, match="outside the results folder"):
        open_results(sweep)
