"""Under a 2 GB address-space limit (``ulimit -v``) every hostile spec of the test
corpus ends with a clean error within 10 seconds (issue 12).

The corpus is the catalogue of broken files (``tests/spec/broken``, which includes the
limit-breaking ones: a trillion-minute horizon, ``tbf: 0``, floods of faults and noise,
deep nesting, alias bombs) plus specs generated here that are too large to commit. A
scenario is given to ``gameday run`` (which would simulate it), anything else to
``gameday validate``. The 10 s bound (of CPU time; 60 s of wall time end a hang) is
generous: it catches a hang or a run that grows until the limit, not slowness.
"""

from __future__ import annotations

import resource
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.cli import gameday

from .helpers import ROOT, scenario_dict, write_scenario

LIMIT_BYTES = 2 * 1024**3
SECONDS = 10
CORPUS = sorted((ROOT / "tests" / "spec" / "broken").glob("*.yaml"))


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def gameday_limited(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """``gameday ARGS`` under the limit: (result, CPU seconds it used).

    CPU time, not wall time, is held against the bound: on a loaded machine (the suite
    runs beside others) a clean refusal can wait for a core for longer than it works. A
    hang that does not use the CPU (blocked on a FIFO) ends at the 60 s timeout instead.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    result = gameday(*args, timeout=60, env=env, preexec_fn=_limited)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, cpu


def _is_scenario(path: Path) -> bool:
    head = path.read_bytes()[:4000].decode("utf-8", "replace")
    return "kind: scenario" in head or (path.name.startswith(("scenario-", "limit-")))


def _assert_clean(result: subprocess.CompletedProcess[str], seconds: float) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert "MemoryError" not in output, output
    assert result.returncode == 2, output
    assert seconds < SECONDS, f"used {seconds:.1f} s of CPU"
    assert ":" in result.stderr, "a message naming the file"


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_hostile_spec_ends_cleanly_under_2gb(path: Path) -> None:
    command = "run" if _is_scenario(path) else "validate"
    _assert_clean(*gameday_limited(command, str(path)))


@pytest.mark.parametrize("shape", ["chain-with-cycle", "sweep-horizon", "sweep-grid"])
def test_generated_hostile_input_ends_cleanly_under_2gb(shape: str, tmp_path: Path) -> None:
    doc = scenario_dict()
    if shape == "chain-with-cycle":  # 3,000 services, a cycle at the far end
        doc["services"].update({f"s{i}": {"depends_on": [f"s{i + 1}"]} for i in range(3000)})
        doc["services"]["s3000"] = {"depends_on": ["s0"]}
        path = write_scenario(tmp_path, yaml.safe_dump(doc))
        _assert_clean(*gameday_limited("run", str(path)))
        return
    path = write_scenario(tmp_path, doc)
    params = (
        ["--param", "horizon=1e12"]
        if shape == "sweep-horizon"
        else [f"--param={k}=0:1:0.001" for k in ("assist", "automation_coverage")]
    )
    result, seconds = gameday_limited(
        "sweep", str(path), *params, "-n", "1", "--out", str(tmp_path / "out")
    )
    _assert_clean(result, seconds)
