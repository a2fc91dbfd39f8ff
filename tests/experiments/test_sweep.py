"""``gameday sweep``: param syntax, the grid, the dataset layout, resume checks, the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.executors import SerialExecutor, open_executor
from sim.experiments.runner import replication_seeds
from sim.experiments.sweep import (
    SweepError,
    cell_id,
    done_cells,
    load_cells,
    parse_param,
    plan_sweep,
    prepare_folder,
    run_sweep,
    write_summary,
)
from sim.spec import ScenarioSpec, load_scenario
from sim.spec.variants import KNOBS

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "seed-benchmark.yaml"
# Two weeks: ~9 incidents per replication, a few milliseconds each.
PARAMS = ["automation_coverage=0:1:0.5", "auto_triage=true,false", "horizon=14d"]


@pytest.fixture(scope="module")
def spec() -> ScenarioSpec:
    return load_scenario(SCENARIO)


# --------------------------------------------------------------------------- params


def test_range_includes_stop_without_float_drift() -> None:
    key, values = parse_param("automation_coverage=0:1:0.1")
    assert key == "automation_coverage"
    assert values == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    assert 0.30000000000000004 not in values  # 3 * 0.1 without rounding
    assert parse_param("assist=0:0.25:0.1")[1] == [0.0, 0.1, 0.2]  # STOP off the grid


def test_values_are_typed() -> None:
    assert parse_param("responders=2,3,4") == ("responders", [2, 3, 4])
    assert parse_param("responders=2:6:2") == ("responders", [2, 4, 6])
    assert parse_param("auto_triage=true,False") == ("auto_triage", [True, False])
    # One float makes the whole param float, so its Parquet column has one type.
    assert parse_param("ack_scale=1,1.5") == ("ack_scale", [1.0, 1.5])
    assert parse_param("horizon=7d,1440") == ("horizon", [10080.0, 1440.0])
    assert all(isinstance(v, int) for v in parse_param("responders=3")[1])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("coverage=0.5", "unknown knob 'coverage'"),
        ("automation_coverage", "expected KEY=START:STOP:STEP"),
        ("automation_coverage=", "expected KEY=START:STOP:STEP"),
        ("automation_coverage=0:1", "START:STOP:STEP with three numbers"),
        ("automation_coverage=1:0:0.1", "does not lead from 1 to 0"),
        ("automation_coverage=0:1:0", "does not lead"),
        ("automation_coverage=low,high", "'low' is not a number"),
        ("automation_coverage=0.1,,0.2", "empty value"),
        ("automation_coverage=0.1,0.1", "repeated value 0.1"),
        ("automation_coverage=true", "takes numbers"),
        ("responders=2.5", "whole numbers"),
        ("auto_triage=1", "true or false"),
        ("horizon=7x", "expected a duration"),
    ],
)
def test_bad_params_name_the_param(text: str, message: str) -> None:
    with pytest.raises(SweepError) as caught:
        parse_param(text)
    assert f"--param {text!r}" in str(caught.value)
    assert message in str(caught.value)


def test_unknown_knob_lists_the_knobs() -> None:
    with pytest.raises(SweepError) as caught:
        parse_param("coverage=0.5")
    assert all(knob in str(caught.value) for knob in KNOBS)


def test_cell_id_is_stable_short_and_not_a_number() -> None:
    a = cell_id({"responders": 3, "automation_coverage": 0.5})
    assert a == cell_id({"automation_coverage": 0.5, "responders": 3})  # key order
    assert a != cell_id({"automation_coverage": 0.5, "responders": 4})
    assert a != cell_id({"automation_coverage": 0.5, "responders": 3.0})  # types count
    assert a.startswith("c") and len(a) == 13
    assert a == "cd98de4f1b6fd"  # pinned: resuming relies on ids not changing


def test_plan_expands_the_grid_first_param_outermost(spec: ScenarioSpec) -> None:
    plan = plan_sweep(spec, PARAMS, ["manual", "semi"], 3, 7)
    assert [c.params for c in plan.cells] == [
        {"automation_coverage": c, "auto_triage": t, "horizon": 20160.0}
        for c in (0.0, 0.5, 1.0)
        for t in (True, False)
    ]
    assert len({c.id for c in plan.cells}) == 6
    assert len({c.digest for c in plan.cells}) == 6  # each cell is its own variant
    meta = plan.metadata()
    assert meta["seeds"] == replication_seeds(7, 3)
    assert meta["scenario_digest"] == spec.digest


def test_invalid_cell_is_named(spec: ScenarioSpec) -> None:
    with pytest.raises(SweepError) as caught:
        plan_sweep(spec, ["automation_coverage=1,1.5", "ack_scale=2"], ["manual"], 2, 1)
    assert "cell automation_coverage=1.5, ack_scale=2:" in str(caught.value)
    assert "less than or equal to 1" in str(caught.value)


def test_a_param_given_twice_is_refused(spec: ScenarioSpec) -> None:
    with pytest.raises(SweepError, match="given twice"):
        plan_sweep(spec, ["assist=0.1", "assist=0.2"], ["manual"], 2, 1)


# --------------------------------------------------------------------------- dataset


@pytest.fixture(scope="module")
def swept(spec: ScenarioSpec, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sweep run serially: 6 cells x 2 strategies x 3 replications."""
    out = tmp_path_factory.mktemp("sweep")
    plan = plan_sweep(spec, PARAMS, ["manual", "full"], 3, 5)
    todo = prepare_folder(plan, out, resume=False)
    run_sweep(plan, out, SerialExecutor(), todo)
    write_summary(plan, out)
    return out


def test_layout_and_metadata(swept: Path) -> None:
    meta = json.loads((swept / "metadata.json").read_text())
    assert meta["kind"] == "sweep"
    assert meta["grid"] == {
        "automation_coverage": [0.0, 0.5, 1.0],
        "auto_triage": [True, False],
        "horizon": [20160.0],
    }
    assert meta["replications"] == 3 and meta["seed"] == 5
    assert meta["strategies"] == ["manual", "full"]
    for key in ("scenario", "scenario_digest", "seeds_rule", "version", "created"):
        assert meta[key]
    assert json.loads((swept / "scenario.json").read_text())["name"] == meta["scenario"]
    ids = [c["cell"] for c in meta["cells"]]
    parts = sorted(swept.glob("cells/cell=*/part-0.parquet"))
    assert sorted(p.parent.name for p in parts) == sorted(f"cell={i}" for i in ids)
    assert done_cells(swept) == set(ids)
    assert not list(swept.rglob("*.tmp"))


def test_every_cell_once_with_its_params(swept: Path) -> None:
    data = load_cells(swept)
    meta = json.loads((swept / "metadata.json").read_text())
    assert data["cell"].astype(str).nunique() == 6
    for cell in meta["cells"]:
        rows = data[data["cell"] == cell["cell"]]
        for key, value in cell["params"].items():
            assert (rows[key] == value).all()
        pairs = rows[["strategy", "replication"]].drop_duplicates()
        assert len(pairs) == 2 * 3
    assert not data.duplicated(["cell", "strategy", "replication", "incident"]).any()
    # Common random numbers: replication r has the same seed in every cell, and the
    # fault arrivals do not depend on the knobs, so its first incident starts at the same
    # minute in every cell.
    assert data.groupby("replication")["seed"].nunique().eq(1).all()
    first = data[~data["noise"]].groupby(["cell", "strategy", "replication"])["onset"].min()
    assert first.groupby(["strategy", "replication"]).nunique().eq(1).all()


def test_duckdb_reads_the_hive_layout(swept: Path) -> None:
    found = duckdb.sql(
        f"select count(distinct cell) as cells, count(*) as n, "
        f"count(distinct automation_coverage) as coverages "
        f"from read_parquet('{swept}/cells/*/*.parquet', hive_partitioning = true)"
    ).fetchall()[0]
    assert found[0] == 6 and found[1] == len(load_cells(swept)) and found[2] == 3


def test_summary_matches_the_incidents(swept: Path) -> None:
    summary = pd.read_parquet(swept / "sweep_summary.parquet")
    assert len(summary) == 6 * 2
    data = load_cells(swept)
    row = summary.iloc[3]
    mine = data[(data["cell"] == row["cell"]) & (data["strategy"] == row["strategy"])]
    real = mine[~mine["noise"]]
    assert row["incidents"] == len(real)
    assert row["mttr_mean"] == pytest.approx(real["ttr"].dropna().mean())
    assert row["mttr_p90"] == pytest.approx(real["ttr"].dropna().quantile(0.9))
    assert row["error_rate"] == pytest.approx((real["errors"] > 0).mean())
    assert row["cost_per_replication"] == pytest.approx(real["cost"].sum() / 3)
    # Full automation beats manual response in every cell (a sanity check, not a test
    # of the engine's calibration).
    pivot = summary.pivot(index="cell", columns="strategy", values="mttr_mean")
    assert (pivot["full"] < pivot["manual"]).all()


def test_pool_and_batching_do_not_change_the_files(
    spec: ScenarioSpec, swept: Path, tmp_path: Path
) -> None:
    """Two processes, tasks split differently: byte-identical cell files."""
    plan = plan_sweep(spec, PARAMS, ["manual", "full"], 3, 5)
    todo = prepare_folder(plan, tmp_path, resume=False)
    with open_executor("process", 2) as executor:
        run_sweep(plan, tmp_path, executor, todo, workers=2)
    for cell in plan.cells:
        part = Path("cells") / f"cell={cell.id}" / "part-0.parquet"
        assert (tmp_path / part).read_bytes() == (swept / part).read_bytes()


# --------------------------------------------------------------------------- folder


def test_resume_refuses_a_different_sweep(spec: ScenarioSpec, swept: Path) -> None:
    other = plan_sweep(spec, PARAMS, ["manual", "full"], 4, 5)
    with pytest.raises(SweepError, match=r"different sweep(.|\n)*replications: 3 there, 4 now"):
        prepare_folder(other, swept, resume=True)
    same = plan_sweep(spec, PARAMS, ["manual", "full"], 3, 5)
    with pytest.raises(SweepError, match="already holds a sweep; pass --resume"):
        prepare_folder(same, swept, resume=False)
    assert prepare_folder(same, swept, resume=True) == []  # everything is done


def test_resume_skips_done_cells_and_drops_temporaries(spec: ScenarioSpec, tmp_path: Path) -> None:
    plan = plan_sweep(spec, PARAMS, ["manual"], 2, 1)
    todo = prepare_folder(plan, tmp_path, resume=False)
    run_sweep(plan, tmp_path, SerialExecutor(), todo[:2])
    stale = tmp_path / "cells" / f"cell={todo[2].id}" / ".part-0.parquet.4242.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"PAR1 half a file")
    # A damaged part file (not possible through the sweep, which renames complete files)
    # is run again rather than trusted.
    broken = tmp_path / "cells" / f"cell={todo[3].id}" / "part-0.parquet"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"PAR1 not really")
    again = prepare_folder(plan, tmp_path, resume=True)
    assert [c.id for c in again] == [c.id for c in plan.cells[2:]]
    assert not stale.exists()


# --------------------------------------------------------------------------- CLI


def sweep_cli(*args: str) -> int:
    return main(["sweep", str(SCENARIO), *args])


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "out")
    assert sweep_cli("--param", "coverage=1", "--out", out) == 2
    assert "automation_coverage" in capsys.readouterr().err  # the list of knobs
    assert sweep_cli("--param", "automation_coverage=0.5,1.5", "--out", out) == 2
    assert "cell automation_coverage=1.5" in capsys.readouterr().err
    assert sweep_cli("--param", "assist=0.5", "--strategies", "nope", "--out", out) == 2
    assert "unknown strategy nope" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # bad input writes nothing

    args = ("--param", "assist=0,0.5", "--param", "horizon=3d", "-n", "2", "--out", out)
    assert sweep_cli(*args, "--workers", "1", "--json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["cells"] == 2 and doc["ran"] == 2 and doc["skipped"] == 0
    assert len(doc["summary"]) == 2 * 3
    assert sweep_cli(*args, "--workers", "1", "--json") == 2
    assert "--resume" in capsys.readouterr().err
    assert sweep_cli(*args, "--workers", "1", "--json", "--resume") == 0
    again = json.loads(capsys.readouterr().out)
    assert again["ran"] == 0 and again["skipped"] == 2
    assert again["summary"] == doc["summary"]


def test_knobs_are_listed_without_a_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["sweep", "--knobs"])
    assert caught.value.code == 0
    listed = capsys.readouterr().out
    assert all(knob in listed for knob in KNOBS)


def test_a_failed_task_keeps_finished_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 1 with a message; the cells done before the failure stay, --resume completes."""
    import sim.experiments.sweep as sweep

    def failing(*args: Any) -> Any:
        if args[4]["assist"] == 0.3:  # every task of the second cell
            raise MemoryError("worker ran out of memory")
        return run_batch(*args)

    from sim.experiments.runner import run_batch

    monkeypatch.setattr(sweep, "run_batch", failing)
    out = tmp_path / "out"
    args = ("--param", "assist=0,0.3,0.6", "--param", "horizon=3d", "--strategies", "manual,full")
    assert sweep_cli(*args, "-n", "2", "--out", str(out), "--executor", "serial", "--json") == 1
    err = capsys.readouterr().err
    assert "MemoryError: worker ran out of memory" in err
    assert "1 of 3 cells are complete" in err and "--resume" in err
    assert len(done_cells(out)) == 1
    monkeypatch.setattr(sweep, "run_batch", run_batch)
    resumed = [*args, "-n", "2", "--out", str(out), "--executor", "serial", "--json", "--resume"]
    assert sweep_cli(*resumed) == 0
    assert json.loads(capsys.readouterr().out)["ran"] == 2
