"""Whatever a file holds, ``sim.spec.load`` either returns a spec or raises ``SpecError``.

Generated documents (random nested data, random text, and mutations of valid
scenarios, runbooks and triage files: dropped keys, values replaced by random ones,
renamed keys) are written to temporary files and loaded. Any other exception is a bug:
the CLI would print a traceback instead of ``file:line:col`` diagnostics.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.spec import RunbookSpec, ScenarioSpec, SpecError, TriageSpec, load
from tests.hardening.strategies import SEEDS, documents, dump_yaml, mutated, yaml_texts
from tests.hardening.strategies import shipped_tree as copy_shipped_tree

ROOT = Path(__file__).resolve().parents[2]

# GAMEDAY_FUZZ_EXAMPLES=5000 for a long hunt; the default keeps the suite quick.
EXAMPLES = int(os.environ.get("GAMEDAY_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- the property -------------------------------------------------------------------------


def _check_load(text: str | bytes, folder: Path | None = None) -> None:
    """Write ``text`` to a file (in ``folder`` or a fresh temporary one) and load it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = (folder or Path(tmp)) / "fuzzed.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        try:
            spec = load(path)
        except SpecError as err:
            assert err.diagnostics, "a SpecError must carry diagnostics"
            for d in err.diagnostics:
                assert d.line >= 1 and d.col >= 1 and d.rule and d.message
            str(err)  # renders
        else:
            assert isinstance(spec, ScenarioSpec | RunbookSpec | TriageSpec)


@FUZZ
@given(documents)
def test_random_documents_raise_only_spec_errors(doc: Any) -> None:
    _check_load(dump_yaml(doc))


@FUZZ
@given(yaml_texts)
def test_random_text_raises_only_spec_errors(text: str | bytes) -> None:
    _check_load(text)


@pytest.fixture(scope="module")
def shipped_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_shipped_tree(tmp_path_factory.mktemp("shipped"))


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seeds_are_valid(name: str, tmp_path: Path, shipped_tree: Path) -> None:
    """The unmutated seeds load, so the mutations start from a valid document."""
    folder = shipped_tree if name == "shipped-scenario" else tmp_path
    path = folder / f"{name}.yaml"
    path.write_text(dump_yaml(SEEDS[name]), encoding="utf-8")
    load(path)


@pytest.mark.parametrize("name", sorted(SEEDS))
@FUZZ
@given(data=st.data())
def test_mutated_valid_documents_raise_only_spec_errors(
    name: str, shipped_tree: Path, data: st.DataObject
) -> None:
    doc = data.draw(mutated(SEEDS[name]))
    _check_load(dump_yaml(doc), folder=shipped_tree if name == "shipped-scenario" else None)
