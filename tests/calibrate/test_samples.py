"""Each sample export round-trips: calibrate -> validate -> compare (and the samples are
what the script generates)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "exports"
CASES = {
    "pagerduty": ["synthetic-pagerduty.csv"],
    "opsgenie": ["synthetic-opsgenie.csv"],
    "incidentio": ["synthetic-incidentio.csv"],
    "csv": ["synthetic-generic.csv", "--map", str(SAMPLES / "synthetic-generic-map.yaml")],
}


@pytest.mark.parametrize("fmt", sorted(CASES))
def test_calibrate_validate_compare(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, *extra = CASES[fmt]
    out, report = tmp_path / "fitted.yaml", tmp_path / "fit.html"
    argv = ["calibrate", str(SAMPLES / name), "--format", fmt, *extra]
    assert main([*argv, "--out", str(out), "--report", str(report), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    # What the cleaning found in every sample: one repeated row, one skewed ack.
    assert doc["dropped"] == {"duplicate id": 1}
    assert doc["corrected"] == {"acknowledged before created (clock skew, set to 1 s)": 1}
    assert set(doc["rates_per_week"]) == {"checkout", "payments", "search"}
    # The truth is 6 incidents a week on checkout: its interval covers it.
    checkout = doc["rates_per_week"]["checkout"]
    assert checkout["low"] <= 6.0 <= checkout["high"]
    text = out.read_text()
    assert "ASSUMPTION" in text and "95% CI" in text
    assert main(["validate", str(out)]) == 0
    capsys.readouterr()
    code = main(["compare", str(out), "-n", "2", "--executor", "serial", "--quiet", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    history = result["strategies"]["history"]
    assert list(result["strategies"]) == ["history", "automated"]
    assert history["incidents"] > 0 and not result["failed_replications"]
    # The strategy that replays the history has the history's MTTR: the fitted mean
    # time to resolve's interval holds the simulated mean (2 replications: loose).
    fitted = doc["time_to_resolve"]["mean"]
    assert 0.8 * fitted["low"] <= history["mttr"]["mean"] <= 1.2 * fitted["high"]
    html = report.read_text()
    assert html.count("<svg") >= 4 and "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_samples_are_what_the_script_writes() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_sample_exports", ROOT / "scripts" / "make_sample_exports.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, text in module.sample_texts().items():
        assert (SAMPLES / name).read_text() == text, name
        rows = text.splitlines()[1:]
        assert rows and all(row.startswith("SYN-") for row in rows), name  # labelled


def test_as_of_censors_what_was_still_open_then(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--as-of`` is when the export was taken: incidents opened later are dropped and
    counted, and those still open then are censored there."""
    import csv
    from datetime import datetime, timedelta

    rows = list(csv.DictReader((SAMPLES / "synthetic-opsgenie.csv").open()))
    opened = {r["tinyId"]: datetime.fromisoformat(r["createdAt"]) for r in rows}
    closed = {
        i: opened[i] + timedelta(milliseconds=int(r["report.closeTime"]))
        for i, r in ((r["tinyId"], r) for r in rows)
    }
    # Halfway through the longest incident of the first half: at least it is open then.
    longest = max(list(opened)[: len(opened) // 2], key=lambda i: closed[i] - opened[i])
    cut = opened[longest] + (closed[longest] - opened[longest]) / 2
    still_open = {i for i in opened if opened[i] <= cut < closed[i]}
    later = {i for i in opened if opened[i] > cut}
    out = tmp_path / "fitted.yaml"
    argv = ["calibrate", str(SAMPLES / "synthetic-opsgenie.csv"), "--format", "opsgenie"]
    argv += ["--out", str(out), "--json"]
    assert main([*argv, "--as-of", cut.isoformat()]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert longest in still_open
    assert doc["open_censored"] == len(still_open)
    dropped = doc["dropped"]["created after the export's end (--as-of)"]
    assert dropped == len(later)
    assert main([*argv, "--as-of", "someday"]) == 2
    assert "--as-of" in capsys.readouterr().err
