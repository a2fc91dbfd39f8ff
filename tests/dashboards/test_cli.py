"""``gameday dashboard``: arguments, and the command it runs."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.commands import dashboard

from .conftest import APP, gameday


def test_bad_folder_and_port_exit_2(tmp_path: Path) -> None:
    done = gameday("dashboard", str(tmp_path / "missing"))
    assert done.returncode == 2 and "no such folder" in done.stderr
    done = gameday("dashboard", str(tmp_path), "--port", "70000")
    assert done.returncode == 2 and "not a TCP port" in done.stderr


def test_binds_to_loopback_unless_told(tmp_path: Path) -> None:
    assert dashboard.app_path() == APP
    parser = argparse.ArgumentParser()
    dashboard.add_arguments(parser)
    args = parser.parse_args([str(tmp_path)])
    argv = dashboard.command(tmp_path, args.port, args.host)
    assert argv[argv.index("--server.address") + 1] == "127.0.0.1"
    assert argv[argv.index("--server.maxUploadSize") + 1] == "1"
    args = parser.parse_args([str(tmp_path), "--host", "0.0.0.0", "--port", "9000"])
    argv = dashboard.command(tmp_path, args.port, args.host)
    assert argv[argv.index("--server.address") + 1] == "0.0.0.0"
    assert argv[argv.index("--server.port") + 1] == "9000"
