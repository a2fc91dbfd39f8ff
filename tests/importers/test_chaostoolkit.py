"""A Chaos Toolkit experiment imports into a scenario that validates and runs; what
does not map is listed; a broken experiment is exit 2 with file, line and place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from sim.cli import main
from sim.importers.chaostoolkit import import_experiment, kind_of, target_of

ROOT = Path(__file__).resolve().parents[2]
EXPERIMENT = ROOT / "samples" / "chaostoolkit" / "checkout-resilience.json"
TARGETS = ["--target", "add-latency-to-payments=payments"]
TARGETS += ["--target", "remove-payments-latency=payments"]


def test_sample_imports_validates_runs_and_meets_its_steady_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "imported.yaml"
    argv = ["import", "chaostoolkit", str(EXPERIMENT), *TARGETS, "--out", str(out), "--json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    faults = {(f["action"], f["kind"], f["service"]): f for f in doc["faults"]}
    pods = faults[("terminate-checkout-pods", "crash", "checkout")]
    latency = faults[("add-latency-to-payments", "latency", "payments")]
    # The method's clock: start 10m; 120 s after the pod kill, 30 s before the latency.
    assert pods["at"] == pytest.approx(10.0) and pods["self_heal"] is None
    assert latency["at"] == pytest.approx(12.5)
    # The rollback runs after the latency's 300 s pause and its own 10 s: it heals it.
    assert latency["self_heal"] == pytest.approx(5.0 + 10 / 60)
    assert doc["expect"] == [{"check": "all_resolved", "name": "steady state: checkout-responds"}]
    assert len(doc["unmapped"]) == 3  # the latency probe, the method's probe, the chat hook
    text = out.read_text()
    for item in doc["unmapped"]:
        assert item in text  # listed in the scenario too, never dropped
    assert main(["validate", str(out)]) == 0
    assert main(["test", str(out), "-n", "3"]) == 0
    capsys.readouterr()
    assert main(["compare", str(out), "-n", "2", "--executor", "serial", "--quiet", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["strategies"]["manual"]["incidents"] >= 2  # both injections happen


def test_without_targets_the_untargeted_action_is_listed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", "chaostoolkit", str(EXPERIMENT), "--strict"]) == 1
    captured = capsys.readouterr()
    assert "kind: crash" in captured.out  # the scenario went to stdout
    assert "method[2] 'add-latency-to-payments': no target" in captured.err
    assert "rollbacks[0] 'remove-payments-latency': undoes no imported fault" in captured.err


def test_yaml_experiment_and_refs(tmp_path: Path) -> None:
    doc = json.loads(EXPERIMENT.read_text())
    doc["method"].append({"ref": "terminate-checkout-pods"})
    doc["rollbacks"] = []
    result = import_experiment(doc)
    assert [i.kind for i in result.injections] == ["crash", "crash"]
    path = tmp_path / "experiment.yaml"
    path.write_text(yaml.safe_dump(doc))
    assert main(["import", "chaostoolkit", str(path), "--out", str(tmp_path / "s.yaml")]) == 0


@pytest.mark.parametrize(
    ("activity", "kind", "target"),
    [
        ({"name": "stress-cpu", "provider": {"arguments": {"name": "api"}}}, "saturation", "api"),
        (
            {"name": "x", "provider": {"func": "fill_disk", "arguments": {"host": "db-1"}}},
            "resource_exhaustion",
            "db-1",
        ),
        (
            {"name": "drop-packets-loss", "provider": {"url": "http://cache.internal/x"}},
            "network_partition",
            "cache",
        ),
        (
            {"name": "expire-cert", "provider": {"arguments": {"app": "Edge"}}},
            "certificate_expiry",
            "edge",
        ),
        ({"name": "say-hello", "provider": {}}, None, None),
    ],
)
def test_mapping_rules(activity: dict, kind: str | None, target: str | None) -> None:
    assert kind_of(activity)[0] == kind
    assert target_of(activity) == target


def _broken(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> str:
    path = tmp_path / "experiment.json"
    path.write_text(text)
    out = tmp_path / "s.yaml"
    assert main(["import", "chaostoolkit", str(path), "--out", str(out)]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.replace(str(path), "F")


def test_broken_experiments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(EXPERIMENT.read_text())
    doc["method"][0]["pauses"]["after"] = "two minutes"
    text = json.dumps(doc, indent=2)
    line = next(n for n, s in enumerate(text.splitlines(), 1) if '"two minutes"' in s)
    err = _broken(tmp_path, capsys, text)
    assert err.startswith(f"F:{line}:")
    assert "method[0].pauses.after: seconds between 0 and 86400" in err
    assert "F:1:1: title: every experiment needs a title" in _broken(
        tmp_path, capsys, '{"method": []}'
    )
    assert "F:2:14: Expecting value" in _broken(tmp_path, capsys, '{"title": "t",\n  "method": [}')
    assert "NaN is not a JSON number" in _broken(tmp_path, capsys, '{"title": NaN}')
    many = {"title": "t", "method": [{"type": "probe", "name": f"p{n}"} for n in range(1001)]}
    assert "F:1:26: method: 1,001 activities; the limit is 1,000" in _broken(
        tmp_path, capsys, json.dumps(many)
    )
    assert "no action maps onto a fault" in _broken(
        tmp_path, capsys, json.dumps({"title": "t", "method": [{"type": "probe", "name": "p"}]})
    )


def test_a_target_yaml_would_misread_is_quoted(tmp_path: Path) -> None:
    from sim.importers.ctk_scenario import _plain

    assert _plain("0") == '"0"' and _plain("yes") == '"yes"' and _plain("checkout") == "checkout"
    doc = {
        "title": "null",
        "method": [{"type": "action", "name": "kill", "provider": {"arguments": {"app": "0"}}}],
    }
    path = tmp_path / "s.yaml"
    path.write_text(import_experiment(doc).text)
    assert main(["validate", str(path)]) == 0
