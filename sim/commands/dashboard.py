"""``gameday dashboard [DIR]`` — the Streamlit dashboard over a results folder.

Runs ``streamlit run dashboards/app.py`` (on POSIX the command replaces itself with the
server, so signals reach Streamlit directly), bound to 127.0.0.1
unless ``--host`` says otherwise (the dashboard runs simulations on request: do not
expose it to a network you do not trust). ``DIR`` (default ``./results``) is the only
place the dashboard reads result files from; it may be one results folder or a folder
of them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HELP = "open the Streamlit dashboard (compare, what-if, run explorer, runbooks)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder", nargs="?", metavar="DIR", help="results folder or a folder of them (./results)"
    )
    parser.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine)"
    )


def app_path() -> Path:
    """``dashboards/app.py`` of the source tree this package runs from."""
    import sim

    return Path(sim.__file__).resolve().parents[1] / "dashboards" / "app.py"


def command(folder: Path, port: int, host: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path()),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.maxUploadSize",
        "1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--theme.base",
        "light",
    ]


def run(args: argparse.Namespace) -> int:
    folder = Path(args.folder) if args.folder else Path("results")
    if args.folder and not folder.is_dir():
        print(f"gameday dashboard: {folder}: no such folder", file=sys.stderr)
        return 2
    if not 0 < args.port < 65536:
        print(f"gameday dashboard: --port {args.port}: not a TCP port", file=sys.stderr)
        return 2
    app = app_path()
    if not app.is_file():
        print(
            f"gameday dashboard: {app} not found; the dashboard runs from a source "
            "checkout (pip install -e .)",
            file=sys.stderr,
        )
        return 2
    from sim.report.folder import RESULTS_DIR_ENV

    env = {**os.environ, RESULTS_DIR_ENV: str(folder.resolve())}
    argv = command(folder, args.port, args.host)
    print(f"gameday dashboard: http://{args.host}:{args.port}  (results from {folder})", flush=True)
    if os.name == "posix":
        # Become the server: a signal to this process (Ctrl-C, a supervisor's SIGTERM, a
        # test's terminate()) then reaches Streamlit itself and leaves no orphan behind.
        os.execve(argv[0], argv, env)
    try:
        return subprocess.call(argv, env=env)
    except KeyboardInterrupt:
        return 0
