"""``gameday report``, the result-set reader, the queries and the chart functions."""

from __future__ import annotations

import json
import math
import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.report import (
    ResultsError,
    charts,
    find_result_sets,
    inside,
    mermaid_to_dot,
    open_results,
    query,
    tables,
    write_report,
)
from sim.response import lifecycle_mermaid, runbook_mermaid
from sim.spec import load_runbook
from tests.cli import gameday

ROOT = Path(__file__).resolve().parents[2]
STRATEGIES = ["manual", "semi", "full"]


def synthetic(folder: Path, rows: int = 3000, reps: int = 6, seed: int = 3) -> Path:
    """A small compare folder with known data (no simulation)."""
    rng = np.random.default_rng(seed)
    frames = []
    for i, s in enumerate(STRATEGIES):
        ttr = rng.lognormal(math.log(100 / (i + 1)), 0.8, rows)
        frames.append(
            pd.DataFrame(
                {
                    "strategy": s,
                    "replication": rng.integers(0, reps, rows),
                    "seed": 1,
                    "noise": rng.random(rows) < 0.05,
                    "ttr": ttr,
                    "ttd": rng.lognormal(1, 0.3, rows),
                    "tta": rng.lognormal(1.5, 0.5, rows),
                    "errors": (rng.random(rows) < 0.2 / (i + 1)).astype(int),
                    "human_minutes": ttr * 0.8,
                    "cost": ttr * 10,
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    folder.mkdir(parents=True)
    table.to_parquet(folder / "incidents.parquet", index=False)
    summary = json.loads((ROOT / "tests" / "report" / "summary_example.json").read_text())
    (folder / "summary.json").write_text(json.dumps(summary))
    meta = {
        "kind": "compare",
        "scenario": "demo",
        "strategies": STRATEGIES,
        "replications": reps,
        "seed": 1,
    }
    (folder / "metadata.json").write_text(json.dumps(meta))
    scenario = {
        "name": "demo",
        "strategies": {
            s: {"automation_coverage": c}
            for s, c in zip(STRATEGIES, (0.03, 0.4, 0.85), strict=True)
        },
    }
    (folder / "scenario.json").write_text(json.dumps(scenario))
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return synthetic(tmp_path / "demo")


def test_open_results_reads_a_compare_folder(folder: Path) -> None:
    results = open_results(folder)
    assert results.kind == "compare"
    assert results.strategies == STRATEGIES
    assert results.coverage() == {"manual": 0.03, "semi": 0.4, "full": 0.85}


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no such folder"),
        (lambda p: p.mkdir(), "no metadata.json"),
        (lambda p: (p.mkdir(), (p / "metadata.json").write_text("[1]")), "expected a JSON object"),
        (lambda p: (p.mkdir(), (p / "metadata.json").write_text("{")), "unreadable"),
        (
            lambda p: (p.mkdir(), (p / "metadata.json").write_text('{"kind": "compare"}')),
            "incidents.parquet is missing",
        ),
        (lambda p: (p.mkdir(), (p / "metadata.json").write_text('{"kind": "x"}')), '"kind"'),
    ],
)
def test_bad_folders_are_refused_with_a_reason(tmp_path: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "r"
    setup(target)
    with pytest.raises(ResultsError, match=re.escape(message)):
        open_results(target)


def test_paths_never_leave_the_results_folder(tmp_path: Path) -> None:
    (tmp_path / "r").mkdir()
    (tmp_path / "secret.json").write_text("{}")
    (tmp_path / "r" / "link.json").symlink_to(tmp_path / "secret.json")
    with pytest.raises(ResultsError, match="outside"):
        inside(tmp_path / "r", "../secret.json")
    with pytest.raises(ResultsError, match="outside"):
        inside(tmp_path / "r", "link.json")


def test_find_result_sets_does_not_follow_symlinks(tmp_path: Path, folder: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "elsewhere").symlink_to(folder, target_is_directory=True)
    assert find_result_sets(root) == []
    assert find_result_sets(tmp_path) == [folder]


def test_histogram_and_ecdf_agree_with_numpy(folder: Path) -> None:
    frame = pd.read_parquet(folder / "incidents.parquet")
    real = frame[~frame["noise"]]
    hist = query.ttr_histogram(folder / "incidents.parquet", STRATEGIES)
    assert (
        hist.groupby("strategy")["count"].sum().to_dict()
        == real.groupby("strategy").size().to_dict()
    )
    assert np.allclose(hist.groupby("strategy")["share"].sum(), 1.0)
    ecdf = query.ttr_ecdf(folder / "incidents.parquet", STRATEGIES, points=11)
    semi = ecdf[ecdf["strategy"] == "semi"].set_index("share")["minutes"]
    expected = np.quantile(real[real["strategy"] == "semi"]["ttr"], 0.5)
    assert semi.loc[0.5] == pytest.approx(expected)
    # A DataFrame source gives the same answer as the Parquet file.
    assert query.ttr_ecdf(frame, STRATEGIES, points=11).equals(ecdf)
    csv = query.write_csv(folder / "incidents.parquet", folder / "all.csv")
    assert pd.read_csv(csv).shape == frame.shape


def test_sweep_curves_interval_covers_the_pooled_mean() -> None:
    rng = np.random.default_rng(1)
    rows = []
    for cov in (0.0, 0.5):
        for rep in range(20):
            for _ in range(30):
                rows.append(
                    {
                        "automation_coverage": cov,
                        "strategy": "a",
                        "replication": rep,
                        "noise": False,
                        "ttr": rng.exponential(100 * (1 - cov / 2)),
                        "errors": int(rng.random() < 0.1),
                        "cost": 1.0,
                    }
                )
    frame = pd.DataFrame(rows)
    curves = query.sweep_curves(frame, ["automation_coverage"])
    assert list(curves["automation_coverage"]) == [0.0, 0.5]
    for _, r in curves.iterrows():
        assert r["mttr_mean_lo"] < r["mttr_mean"] < r["mttr_mean_hi"]
        assert r["error_rate_lo"] < r["error_rate"] < r["error_rate_hi"]
    assert curves["mttr_mean"].iloc[1] < curves["mttr_mean"].iloc[0]


def test_sweep_curves_intervals_stay_within_what_is_possible() -> None:
    """A rare error (one in 60 incidents) has a normal-approximation interval reaching
    below 0%; it is clipped at 0, as durations and costs are."""
    rows = [
        {
            "strategy": "a",
            "replication": rep,
            "noise": False,
            "ttr": 1.0 + i * (rep + 1),
            "errors": int(rep == 0 and i == 0),
            "cost": 1.0,
        }
        for rep in range(6)
        for i in range(10)
    ]
    curves = query.sweep_curves(pd.DataFrame(rows), [])
    r = curves.iloc[0]
    assert r["error_rate"] == pytest.approx(1 / 60)
    assert r["error_rate_lo"] == 0.0 < r["error_rate"] < r["error_rate_hi"] <= 1.0
    assert 0.0 <= r["mttr_mean_lo"] < r["mttr_mean"] < r["mttr_mean_hi"]


def test_cost_table_roi_per_point() -> None:
    doc = {"strategies": {"a": {"cost": 1000.0}, "b": {"cost": 400.0}, "c": {"cost": 700.0}}}
    cost = tables.cost_table(doc, {"a": 0.1, "b": 0.4, "c": 0.1}).set_index("strategy")
    assert cost.loc["b", "saving"] == 600
    assert cost.loc["b", "coverage_points"] == pytest.approx(30)
    assert cost.loc["b", "roi_per_point"] == pytest.approx(20)
    assert math.isnan(cost.loc["a", "roi_per_point"])
    assert math.isnan(cost.loc["c", "roi_per_point"])  # same coverage: no ROI per point


def test_power_verdict_says_how_many_incidents(folder: Path) -> None:
    doc = json.loads((folder / "summary.json").read_text())
    verdicts = tables.power_verdicts(doc)
    assert "incidents per strategy to detect" in verdicts["verdict"].iloc[0]


def test_power_summary_says_when_it_is_detectable() -> None:
    """The few words ``gameday compare`` prints, from the same rules as the report."""
    power = {
        "observed_improvement": 0.2,
        "needed_for_observed": 1234,
        "months_needed": 2.5,
        "detectable_in_month": False,
        "detectable_in_quarter": True,
    }
    assert tables.power_summary(power) == (
        "1,234 incidents per strategy to detect; detectable within a quarter"
    )
    later = {**power, "months_needed": 7.25, "detectable_in_quarter": False}
    assert tables.power_summary(later).endswith("needs about 7.2 months of real incidents")
    assert tables.power_summary({**power, "note": "no spread"}) == "no spread"
    assert "no observed difference" in tables.power_summary({**power, "needed_for_observed": None})
    assert "no power analysis" in tables.power_summary({})


def test_charts_use_one_palette_in_strategy_order() -> None:
    colors = charts.strategy_colors(["x", "y", "z"])
    assert list(colors.values()) == list(charts.PALETTE[:3])
    ecdf = pd.DataFrame({"strategy": ["y", "x"], "minutes": [1.0, 2.0], "share": [0.5, 1.0]})
    spec = charts.ecdf_chart(ecdf, ["x", "y"]).to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["x", "y"]
    assert "minutes" in spec["encoding"]["x"]["title"]


def test_mermaid_diagrams_become_dot() -> None:
    dot = mermaid_to_dot(lifecycle_mermaid(), highlight={("open", "triage")})
    assert '"open" -> "triage"' in dot and "penwidth=2.6" in dot
    assert '"__start" -> "open"' in dot and '"closed" -> "__end"' in dot
    flow = runbook_mermaid(load_runbook(ROOT / "runbooks" / "restart-service.yaml"))
    dot = mermaid_to_dot(flow, brief=True)
    assert '"s2" [label="restart-pods\\n[auto, mitigates]"]' in dot
    assert dot.count("->") == flow.count("-->") + flow.count("-.->")


def test_write_report_is_self_contained(folder: Path) -> None:
    files = write_report(folder)
    html = files.html.read_text()
    assert html.count("<svg") >= 8, "charts are inline SVG"
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    ), "nothing is loaded from the network"
    assert "<script" not in html
    for heading in (
        "Time to recovery: distribution",
        "Error rate during fix",
        "Downtime cost and automation ROI",
        "Power: could a real rollout",
    ):
        assert heading in html
    md = files.markdown.read_text()
    assert "| metric (95% CI) | manual | semi | full |" in md
    assert "per point" in md


def test_report_tables_show_each_number_once_and_readably(folder: Path) -> None:
    """Every table cell is formatted in one place: the cost table repeats the headline's
    cost to the unit (no rounding before formatting), counts have thousands separators,
    and columns have readable headers."""
    md = write_report(folder).markdown.read_text()

    def rows(header_start: str) -> list[list[str]]:
        lines = md.splitlines()
        start = next(i for i, ln in enumerate(lines) if ln.startswith(header_start))
        found = []
        for ln in lines[start:]:
            if not ln.startswith("|"):
                break
            found.append([c.strip() for c in ln.strip("|").split("|")])
        return found

    headline = {r[0]: r[1:] for r in rows("| metric (95% CI) |")}
    cost = rows("| strategy | coverage (%) | cost / replication |")
    assert [r[2] for r in cost[2:]] == headline["outage cost / replication"]
    work = rows("| strategy | incidents |")
    assert [r[1] for r in work[2:]] == headline["incidents"]
    assert "relative (%)" in rows("| strategy | baseline | measure |")[0]


def test_every_markdown_section_has_content(folder: Path) -> None:
    """No bare heading: each section of report.md says something under its title (the
    detection section shows the mean TTD, TTA and TTR with their intervals, as the chart
    in the HTML does)."""
    md = write_report(folder).markdown.read_text()
    sections = md.split("\n## ")[1:]
    assert sections
    for section in sections:
        title, _, body = section.partition("\n")
        assert body.strip(), f"section {title!r} is a bare heading"
    detection = next(s for s in sections if s.startswith("Detection, acknowledgement"))
    assert "| strategy | TTD (detect) (min) | TTA (acknowledge) (min) | TTR (recover) (min) |" in (
        detection
    )
    assert detection.count("| manual |") == 1 and " [" in detection


def test_report_cli_exit_codes(folder: Path, tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return gameday("report", *args)

    done = cli(str(folder))
    assert done.returncode == 0, done.stderr
    assert (folder / "report.html").is_file() and (folder / "report.md").is_file()
    missing = cli(str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert "no such folder" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    bad = cli(str(empty))
    assert bad.returncode == 2 and "not a results folder" in bad.stderr
    wrong = cli(str(folder), "--sweep", str(folder))
    assert wrong.returncode == 2 and "needs a sweep folder" in wrong.stderr


def test_sweep_folder_report_draws_curves(tmp_path: Path) -> None:
    """A sweep folder as ``gameday sweep`` lays it out (only its documented files)."""
    rng = np.random.default_rng(2)
    out = tmp_path / "sweep"
    grid = {"automation_coverage": [0.0, 0.5, 1.0]}
    for i, cov in enumerate(grid["automation_coverage"]):
        n = 400
        part = pd.DataFrame(
            {
                "automation_coverage": cov,
                "strategy": np.where(rng.random(n) < 0.5, "manual", "full"),
                "replication": rng.integers(0, 4, n),
                "noise": False,
                "ttr": rng.lognormal(4 - cov, 0.7, n),
                "errors": (rng.random(n) < 0.2).astype(int),
                "cost": 1.0,
            }
        )
        target = out / "cells" / f"cell=c{i:012d}"
        target.mkdir(parents=True)
        part.to_parquet(target / "part-0.parquet", index=False)
    meta = {
        "kind": "sweep",
        "scenario": "demo",
        "grid": grid,
        "strategies": ["manual", "full"],
        "replications": 4,
        "seed": 1,
    }
    (out / "metadata.json").write_text(json.dumps(meta))
    results = open_results(out)
    assert results.kind == "sweep" and results.grid == grid
    files = write_report(out)
    html = files.html.read_text()
    assert "MTTR against automation_coverage" in html
    assert "Error rate against automation_coverage" in html
    md = files.markdown.read_text()
    assert "automation_coverage = 0, 0.5, 1." in md
    rows = [ln.split(" | ") for ln in md.splitlines() if ln.startswith("| 0.00 |")]
    assert [r[1] for r in rows] == ["manual", "full"], "strategy order, as in the charts"
    assert "| error rate (%) |" in md


def test_knob_values_read_as_the_cli_takes_them() -> None:
    from sim.report.tables import knob_value

    assert knob_value(43200.0, "horizon") == "30d"
    assert knob_value(2.5, "detection_delay") == "2m30s"
    assert knob_value(0.30000000000000004, "automation_coverage") == "0.3"
    assert knob_value(True, "auto_triage") == "true"
    assert knob_value(3, "responders") == "3"
