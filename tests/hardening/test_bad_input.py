"""Every bad input is a clean error: exit 2 and a message, never a traceback (issue 12)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from sim.cli import main

from .helpers import ROOT, clean_error, run_cli, scenario_dict, write_scenario

SEED_BENCHMARK = str(ROOT / "scenarios" / "seed-benchmark.yaml")
RULES = str(ROOT / "scenarios" / "triage" / "standard.yaml")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.err + out.out


# --- specs ----------------------------------------------------------------------------


def test_a_dependency_chain_of_1500_services_validates_and_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = scenario_dict()
    chain = {f"s{i}": {"depends_on": [f"s{i + 1}"]} for i in range(1499)}
    doc["services"].update(chain, s1499={"tier": 1})
    doc["services"]["db"]["depends_on"] = ["s0"]
    path = write_scenario(tmp_path, doc)
    code, err = cli(capsys, "validate", str(path))
    assert code == 0, err
    assert main(["run", str(path), "--json"]) == 0


def test_a_cycle_at_the_end_of_a_long_chain_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = scenario_dict()
    doc["services"].update({f"s{i}": {"depends_on": [f"s{i + 1}"]} for i in range(1200)})
    doc["services"]["s1200"] = {"depends_on": ["s1199"]}
    code, err = cli(capsys, "validate", str(write_scenario(tmp_path, doc)))
    assert code == 2
    assert "dependency cycle: s1199 -> s1200 -> s1199" in err


def test_runbooks_pointing_at_the_scenarios_own_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = scenario_dict()
    doc["runbooks"] = [".", "runbooks"]
    code, err = cli(capsys, "validate", str(write_scenario(tmp_path, doc)))
    assert code == 0, err
    doc["triage"] = "scenario.yaml"  # itself
    code, err = cli(capsys, "validate", str(write_scenario(tmp_path, doc)))
    assert code == 2
    assert "is a scenario file" in err


def test_a_fault_a_hair_after_an_alert_check_runs(tmp_path: Path) -> None:
    from sim.engine import run_once
    from sim.spec import load_scenario

    doc = scenario_dict()
    doc["faults"]["api-bad-deploy"]["at"] = [60.000000001, 120 + 1e-9, 7.000000001]
    spec = load_scenario(write_scenario(tmp_path, doc))
    for strategy in spec.strategies:
        result = run_once(spec, strategy, 1)
        assert result.ok, result.error


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        (("alert_rules", "errors", "threshold"), float("nan"), "finite number"),
        (("services", "web", "cost_per_minute"), float("inf"), "finite number"),
        (("faults", "api-crash", "signals", "availability"), 5, "between 0 and 1"),
        (("faults", "api-crash", "signals", "error_rate"), float("nan"), "finite number"),
        (("faults", "api-crash", "tbf"), {"dist": "gamma", "shape": float("inf"), "scale": 9}, ""),
        (("responders", "ack_time"), {"dist": "lognormal", "mean": 5, "cv": float("nan")}, ""),
    ],
)
def test_non_finite_and_out_of_range_numbers_are_refused(
    path: tuple[str, ...],
    value: Any,
    fragment: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = scenario_dict()
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    code, err = cli(capsys, "validate", str(write_scenario(tmp_path, doc)))
    assert code == 2, err
    assert fragment in err


def test_a_severity_paging_a_role_nobody_has_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    path = write_scenario(tmp_path, scenario_dict())
    triage = yaml.safe_load((tmp_path / "triage.yaml").read_text())
    triage["severities"] = {
        sev: {"ack_sla": "5m", "mitigate_sla": "1h", "page": ["primary", "sre-lead"]}
        for sev in ("P0", "P1", "P2", "P3")
    }
    message = "severity P0 pages role 'sre-lead', which nobody in the roster has"
    # Rules written in the scenario: an error.
    inline = scenario_dict()
    inline["triage"] = triage
    code, err = cli(capsys, "validate", str(write_scenario(tmp_path, inline, "inline.yaml")))
    assert code == 2
    assert message in err and "warning:" not in err
    # Rules in a file of their own, shared by scenarios: a warning at `triage:`.
    (tmp_path / "triage.yaml").write_text(yaml.safe_dump(triage))
    code, err = cli(capsys, "validate", str(path))
    assert code == 0
    assert f"scenario.yaml:6:9: warning: {message}" in err  # at `triage: triage.yaml`


def test_a_fifo_named_yaml_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    err = clean_error(run_cli("validate", str(fifo), timeout=60))
    assert "FIFO" in err


# --- triage payloads -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b'{"alerts": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nesting deeper"),
        (b'{"alerts": [], "n": ' + b"7" * 5000 + b"}", "an integer of 5,000 digits"),
        (b'{"alerts": [{"labels": {"alertname": "\\udc00"}}]}', "lone surrogate"),
        (b'{"alerts": [], "x": NaN}', "NaN is not a JSON number"),
        (b'{"alerts": [], "x": 1e999}', "too large for a float"),
    ],
)
def test_hostile_payloads_are_refused(
    payload: bytes, fragment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "alert.json"
    path.write_bytes(payload)
    code, err = cli(capsys, "triage", str(path), "--rules", RULES)
    assert code == 2
    assert fragment in err


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_triage_refuses_endless_and_special_files(special: str, tmp_path: Path) -> None:
    if special == "fifo":
        special = str(tmp_path / "alert.json")
        os.mkfifo(special)
    err = clean_error(run_cli("triage", special, "--rules", RULES, timeout=60))
    assert "not a regular file" in err


def test_triage_refuses_a_nan_impact(capsys: pytest.CaptureFixture[str]) -> None:
    payload = str(ROOT / "tests" / "data" / "alertmanager-webhook.json")
    with pytest.raises(SystemExit) as exits:  # a usage error, as argparse reports them
        main(["triage", payload, "--rules", RULES, "--impact", "affected_users_pct=nan"])
    assert exits.value.code == 2
    assert "expected a finite float" in capsys.readouterr().err


# --- arguments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["run", SEED_BENCHMARK, "--seed", "-1"], "--seed must be between 0 and 2**63-1"),
        (["run", SEED_BENCHMARK, "--seed", str(2**70)], "--seed must be between"),
        (["compare", SEED_BENCHMARK, "-n", "2", "--workers", "0"], "--workers must be between"),
        (["compare", SEED_BENCHMARK, "-n", "2", "--workers", "-3"], "--workers must be between"),
        (["compare", SEED_BENCHMARK, "-n", "2", "--scheduler", "nonsense"], "tcp://host:8786"),
        (["compare", SEED_BENCHMARK, "--strategies", "manual,manual"], "manual is given twice"),
        (["run", SEED_BENCHMARK, "--events", "x" * 300], "bytes long, over 255"),
        (["compare", SEED_BENCHMARK, "-n", "2", "--out", "y" * 300], "bytes long, over 255"),
        (["test", SEED_BENCHMARK, "--strategy", "nope"], "--strategy nope: no scenario"),
        (["test", SEED_BENCHMARK, "--workers", "0"], "--workers must be between"),
    ],
)
def test_bad_arguments_are_refused_before_any_work(
    args: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = cli(capsys, *args)
    assert code == 2, err
    assert fragment in err


@pytest.mark.parametrize(
    "metadata", ["[]", '"text"', "[" * 10_000 + "]" * 10_000, "{not json", "\ud800"]
)
def test_resume_with_broken_metadata_is_refused(
    metadata: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep"
    out.mkdir()
    (out / "metadata.json").write_bytes(metadata.encode("utf-8", "surrogatepass"))
    args = ["--param", "responders=2", "-n", "1", "--resume", "--executor", "serial"]
    code = main(["sweep", SEED_BENCHMARK, *args, "--out", str(out)])
    assert code == 2
    assert "metadata.json" in capsys.readouterr().err


def test_report_on_a_corrupt_parquet_file_is_a_clean_error(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    args = ["-n", "2", "--executor", "serial", "--quiet", "--json"]
    assert main(["compare", SEED_BENCHMARK, *args, "--out", str(out)]) == 0
    (out / "incidents.parquet").write_bytes(b"PAR1" + b"\0" * 100 + b"PAR1")
    result = run_cli("report", str(out), timeout=300)
    err = clean_error(result)
    assert "incidents.parquet" in err
    assert json.loads((out / "metadata.json").read_text())["kind"] == "compare"
