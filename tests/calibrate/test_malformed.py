"""Malformed exports: exit 2, the file, row and column named, no traceback, nothing
written (an existing output is left as it was)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.calibrate import reading
from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
OPSGENIE = ROOT / "samples" / "exports" / "synthetic-opsgenie.csv"
PAGERDUTY = ROOT / "samples" / "exports" / "synthetic-pagerduty.csv"


def _calibrate(tmp_path: Path, export: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    out = tmp_path / "fitted.yaml"
    out.write_text("before\n")
    code = main(["calibrate", str(export), "--format", fmt, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert out.read_text() == "before\n"  # nothing half-written, nothing replaced
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    return err


def _edit(tmp_path: Path, source: Path, row: int, old: str, new: str) -> Path:
    """``source`` with ``old`` replaced by ``new`` on line ``row`` (1-based)."""
    lines = source.read_text().splitlines(keepends=True)
    assert old in lines[row - 1]
    lines[row - 1] = lines[row - 1].replace(old, new, 1)
    path = tmp_path / "export.csv"
    path.write_text("".join(lines))
    return path


def test_missing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _edit(tmp_path, OPSGENIE, 1, "createdAt", "created")
    err = _calibrate(tmp_path, path, "opsgenie", capsys)
    assert f"{path}:1: column 'createdAt': missing (the 'created' column)" in err


def test_unparseable_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = OPSGENIE.read_text().splitlines()[6]
    stamp = line.split(",")[5]
    path = _edit(tmp_path, OPSGENIE, 7, stamp, "last Tuesday")
    err = _calibrate(tmp_path, path, "opsgenie", capsys)
    assert f"{path}:7: column 'createdAt': cannot read 'last Tuesday' as a date" in err


def test_negative_duration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fields = PAGERDUTY.read_text().splitlines()[9].split(",")
    path = _edit(tmp_path, PAGERDUTY, 10, f",{fields[8]},", ",-3600,")
    err = _calibrate(tmp_path, path, "pagerduty", capsys)
    assert (
        f"{path}:10: column 'seconds_to_first_ack': acknowledged 60.0 min before it was "
        "created (negative duration)"
    ) in err


def test_a_50_mb_file_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.truncate(50_000_000)
    err = _calibrate(tmp_path, path, "opsgenie", capsys)
    assert f"{path}: file is 50.0 MB, over the 20.0 MB limit" in err


def test_utf16(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(OPSGENIE.read_text().encode("utf-16"))
    err = _calibrate(tmp_path, path, "opsgenie", capsys)
    assert f"{path}:1: the file is UTF-16" in err


def test_latin1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = OPSGENIE.read_text().splitlines(keepends=True)
    text[4] = text[4].replace("[synthetic]", "[synthétique]")
    path = tmp_path / "export.csv"
    path.write_bytes("".join(text).encode("latin-1"))
    err = _calibrate(tmp_path, path, "opsgenie", capsys)
    column = text[4].index("é") + 1
    assert f"{path}:5: byte 0xe9 at character {column} is not UTF-8" in err


def test_row_and_service_limits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_EXPORT_ROWS", 10)
    err = _calibrate(tmp_path, OPSGENIE, "opsgenie", capsys)
    assert f"{OPSGENIE}:12: more than 10 incidents" in err
    monkeypatch.undo()
    from sim.calibrate import cleaning

    monkeypatch.setattr(cleaning, "MAX_EXPORT_SERVICES", 2)
    err = _calibrate(tmp_path, OPSGENIE, "opsgenie", capsys)
    assert "3 services; the limit is 2" in err


def test_csv_without_a_map_and_bad_holdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _calibrate(tmp_path, OPSGENIE, "csv", capsys)
    assert "--format csv needs --map FILE" in err
    out = tmp_path / "x.yaml"
    code = main(
        ["calibrate", str(OPSGENIE), "--format", "opsgenie", "--out", str(out), "--holdout", "90%"]
    )
    assert code == 2 and "between 5% and 50%" in capsys.readouterr().err
    assert not out.exists()


def test_a_fifo_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    err = _calibrate(tmp_path, fifo, "opsgenie", capsys)
    assert "FIFO" in err
