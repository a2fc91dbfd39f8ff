"""The headline table (report and dashboard) shows what ``gameday compare`` computed
about censoring: how many incidents were still open at the horizon, and the
Kaplan–Meier TTR median and p90 beside the MTTR over mitigated incidents."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from sim.report import tables
from tests.cli import gameday
from tests.metrics.test_censoring import _blocked


def _summary(tmp_path: Path) -> dict:
    scenario = tmp_path / "blocked.yaml"
    scenario.write_text(yaml.safe_dump(_blocked(horizon=1500)))
    out = tmp_path / "out"
    done = gameday("compare", str(scenario), "-n", "3", "--executor", "serial", "--quiet",
                   "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary: dict = json.loads((out / "summary.json").read_text())
    return summary


def test_the_headline_shows_the_censored_count_and_kaplan_meier_rows(tmp_path: Path) -> None:
    summary = _summary(tmp_path)
    manual = summary["strategies"]["manual"]
    assert manual["censored"]["ttr"] >= 3  # the second incident is still open at every horizon
    table = tables.overview(summary)
    assert table.at["open at the horizon (censored)", "manual"] == f"{manual['censored']['ttr']:,}"
    # Half the incidents ended (after 1,000 min): the median is 1,000 with an open upper
    # end; the curve never falls to 10%, so the p90 is not reached, not a number.
    km = manual["ttr_km"]
    assert km["median"]["value"] == 1000.0 and km["median"]["ci95"][1] is None
    assert table.at["TTR median, Kaplan–Meier (min)", "manual"] == "1,000.0 [1,000.0, open]"
    assert km["p90"]["value"] is None
    assert table.at["TTR p90, Kaplan–Meier (min)", "manual"] == "not reached"


def test_kaplan_meier_rows_match_the_summary_when_nothing_is_censored(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    done = gameday("compare", "scenarios/seed-benchmark.yaml", "-n", "2", "--executor",
                   "serial", "--quiet", "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text())
    table = tables.overview(summary)
    for name, block in summary["strategies"].items():
        assert table.at["open at the horizon (censored)", name] == "0"
        for stat in ("median", "p90"):
            km = block["ttr_km"][stat]
            lo, hi = km["ci95"]
            shown = table.at[f"TTR {stat}, Kaplan–Meier (min)", name]
            assert shown == f"{km['value']:,.1f} [{lo:,.1f}, {hi:,.1f}]"


def test_a_result_set_from_before_censoring_reads_n_a(tmp_path: Path) -> None:
    summary = _summary(tmp_path)
    for block in summary["strategies"].values():
        del block["censored"], block["ttr_km"]
    table = tables.overview(summary)
    assert table.at["open at the horizon (censored)", "manual"] == "n/a"
    assert table.at["TTR median, Kaplan–Meier (min)", "manual"] == "n/a"
