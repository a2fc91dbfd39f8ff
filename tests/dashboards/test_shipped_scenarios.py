"""The dashboard offers the scenario library too, checked in its own folder so its
relative references resolve; an upload gets no wider reach from that."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT

LIBRARY = ROOT / "scenarios" / "library"


@pytest.fixture(scope="module")
def scenarios() -> Iterator[ModuleType]:
    sys.path.insert(0, str(ROOT / "dashboards"))
    try:
        from gameday_ui import scenarios as module
    finally:
        sys.path.remove(str(ROOT / "dashboards"))
    yield module


def test_every_library_scenario_is_offered_under_its_folder(scenarios: ModuleType) -> None:
    offered = scenarios.shipped_scenarios()
    library = sorted(LIBRARY.glob("*.yaml"))
    assert library, "the library folder is empty"
    for path in library:
        assert offered[f"library/{path.stem}"] == path
    assert offered["seed-benchmark"] == ROOT / "scenarios" / "seed-benchmark.yaml"


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_library_scenario_loads_without_errors(scenarios: ModuleType, path: Path) -> None:
    checked = scenarios.load_shipped(f"library/{path.stem}")
    assert checked.spec is not None, checked.lines()
    assert not checked.errors
    assert checked.spec.name == path.stem


def test_the_same_text_uploaded_cannot_reach_two_folders_up(scenarios: ModuleType) -> None:
    text = (LIBRARY / "alert-storm.yaml").read_text()
    checked = scenarios.check_text(text, "alert-storm.yaml")
    assert checked.spec is None
    assert any("'../../runbooks'" in line for line in checked.lines())


def test_a_folder_outside_the_shipped_ones_is_refused(scenarios: ModuleType) -> None:
    with pytest.raises(ValueError, match="folder must be one of"):
        scenarios.check_text("kind: scenario\n", "x.yaml", "../outside")
