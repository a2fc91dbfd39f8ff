"""The incident table: one schema for every batch, and rows that keep their replication."""

from __future__ import annotations

import gc
import math
import pickle
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from sim.experiments.compare import collect
from sim.experiments.executors import SerialExecutor
from sim.experiments.incident_table import SCHEMA, IncidentTable
from sim.experiments.runner import run_batch
from sim.metrics import COLUMNS, FIELDS
from sim.spec import ScenarioSpec, load_scenario

ROOT = Path(__file__).resolve().parents[2]
ONE_WEEK = {"horizon": 7 * 1440.0}


@pytest.fixture(scope="module")
def spec() -> ScenarioSpec:
    return load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")


def _record(incident: int, noise: bool = False) -> list[object]:
    values: dict[str, object] = dict.fromkeys(FIELDS, 0)  # counts are ints, times floats
    values.update(dict.fromkeys(("onset", "detected", "ttd", "human_minutes", "cost"), 1.5))
    values.update(incident=incident, noise=noise, service="api", severity="P2", runbooks="")
    values.update(fault=None, fault_kind=None, mitigated_by=None)
    values.update(censored=False, wait_censored=False)
    return list(values.values())


def test_no_records_still_give_every_typed_column() -> None:
    incidents = IncidentTable("manual")
    incidents.add(0, 11, [])
    table = incidents.table()
    assert table.schema == SCHEMA and table.num_rows == 0
    assert table.column_names == ["strategy", "replication", "seed", *COLUMNS]


def test_rows_keep_their_replication_and_seed() -> None:
    incidents = IncidentTable("semi")
    incidents.add(0, 11, [_record(1), _record(2)])
    incidents.add(1, 12, [])
    incidents.add(2, 13, [_record(1, noise=True)])
    table = incidents.table()
    assert table.schema == SCHEMA
    assert table.column("strategy").to_pylist() == ["semi"] * 3
    assert table.column("replication").to_pylist() == [0, 0, 2]
    assert table.column("seed").to_pylist() == [11, 11, 13]
    assert table.column("incident").to_pylist() == [1, 2, 1]
    assert table.column("noise").to_pylist() == [False, False, True]
    assert table.column("fault").null_count == 3


def test_a_batch_leaves_the_garbage_collector_as_it_found_it(spec: ScenarioSpec) -> None:
    assert gc.isenabled()
    run_batch(spec, "manual", [5], [0], ONE_WEEK)
    assert gc.isenabled()
    gc.disable()
    try:
        run_batch(spec, "manual", [5], [0], ONE_WEEK)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collect_gives_one_typed_frame_in_batch_order(spec: ScenarioSpec) -> None:
    table, errors = collect(
        spec, ["manual", "full"], 3, 2, SerialExecutor(), workers=2, changes=ONE_WEEK
    )
    assert not errors and len(table) > 0
    assert isinstance(table.index, pd.RangeIndex)
    expected = SCHEMA.empty_table().to_pandas().dtypes
    assert table.dtypes.to_dict() == expected.to_dict()
    assert list(table["strategy"].drop_duplicates()) == ["manual", "full"]
    for _, frame in table.groupby("strategy", sort=False):
        assert frame["replication"].is_monotonic_increasing
    assert not math.isnan(table["ttd"].iloc[0])


def test_batch_tables_concatenate_to_the_schema(spec: ScenarioSpec) -> None:
    a = run_batch(spec, "manual", [1, 2], [0, 1], ONE_WEEK)
    b = run_batch(spec, "manual", [3], [2], ONE_WEEK)
    both = pa.concat_tables([a.table, b.table])
    assert both.schema == SCHEMA
    assert both.num_rows == a.rows + b.rows == sum(a.incidents_per_seed.values()) + b.rows


def test_a_batch_pickles_whole(spec: ScenarioSpec) -> None:
    batch = run_batch(spec, "semi", [4, 5], [0, 1], ONE_WEEK)
    batch.errors[6] = "Traceback ..."
    back = pickle.loads(pickle.dumps(batch))
    assert back.table.schema == SCHEMA
    assert back.table.to_pandas().equals(batch.table.to_pandas())  # NaN-aware
    assert (back.strategy, back.seeds, back.errors) == ("semi", [4, 5], {6: "Traceback ..."})
    assert back.incidents_per_seed == batch.incidents_per_seed
