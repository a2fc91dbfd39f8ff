"""The notebooks in notebooks/ are real Jupyter notebooks, stored without outputs, that
use only the public ``sim`` API and execute from top to bottom (so none can rot).

Each is executed through a Jupyter kernel (nbclient + ipykernel), as a reader would run
it, at a small number of replications (``GAMEDAY_NOTEBOOK_REPLICATIONS``); each ends
with a conclusion computed from its results and assertions that fail the run when a
claim stops holding.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = {
    "automation_roi",
    "compare_strategies",
    "mttr_noise",
    "oncall_sizing",
    "your_own_team",
}
# The public API (the ``sim`` package docstring lists it): these modules' ``__all__``.
PUBLIC = {
    "sim.spec",
    "sim.engine",
    "sim.metrics",
    "sim.experiments",
    "sim.response",
    "sim.calibrate",
}
SMALL_N = "3"


def _code(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def test_every_notebook_is_there() -> None:
    assert {p.stem for p in NOTEBOOKS} >= EXPECTED
    assert not list((ROOT / "notebooks").glob("*.py")), "notebooks are .ipynb files now"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has stored outputs"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_only_the_public_api(path: Path) -> None:
    for source in _code(path):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sim":
                assert node.module in PUBLIC, f"{path.name}: from {node.module} import ..."
                public = set(importlib.import_module(node.module).__all__)
                for alias in node.names:
                    assert alias.name in public, f"{path.name}: {node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "sim":
                        assert alias.name in PUBLIC, f"{path.name}: import {alias.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_and_concludes(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAMEDAY_NOTEBOOK_REPLICATIONS", SMALL_N)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on failure
    last = next(c for c in reversed(notebook.cells) if c.cell_type == "code")
    printed = "".join(o.get("text", "") for o in last.outputs if o.output_type == "stream")
    assert len(printed.split()) >= 30, f"{path.name}: the last cell prints no conclusion"
