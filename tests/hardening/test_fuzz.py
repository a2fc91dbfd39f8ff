"""Fuzzing end to end: generated spec documents go through ``gameday validate`` (the
loaders), valid scenarios through a short run and valid triage rules through ``gameday
triage``; generated payloads through the payload reader and ``gameday triage``. Nothing
may raise but the project's own error types, and every ``--json`` output is one JSON
document.

``make test`` runs a bounded number of examples; ``make fuzz`` runs at least 20,000
documents and 5,000 payloads (``GAMEDAY_FUZZ_EXAMPLES`` times each kind's ``SHARE``,
``GAMEDAY_FUZZ_PAYLOADS``) and prints the counts (``tests/hardening/conftest.py``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.engine import run_once
from sim.response import PayloadError, read_payload
from sim.spec import ScenarioSpec, SpecError, TriageSpec, load, vary

from .conftest import COUNTS
from .strategies import (
    HOSTILE_PAYLOADS,
    ROOT,
    SEEDS,
    documents,
    dump_yaml,
    hostile_yaml,
    mutated,
    payloads,
    shipped_tree,
    yaml_texts,
)

DOCUMENTS = int(os.environ.get("GAMEDAY_FUZZ_EXAMPLES", "30"))
PAYLOADS = int(os.environ.get("GAMEDAY_FUZZ_PAYLOADS", "150"))
RULES = str(ROOT / "tests" / "data" / "triage-rules.yaml")  # small: parsing it is per payload
PAYLOAD = str(ROOT / "tests" / "data" / "alertmanager-webhook.json")
#: Examples per kind, as a share of ``DOCUMENTS``: small documents are cheap, a mutated
#: shipped scenario (the seed benchmark, 400 lines of YAML) costs ten times as much.
SHARE = {
    "random": 2.0,
    "text": 2.0,
    "hostile": 1.0,
    "runbook": 1.0,
    "triage": 1.0,
    "scenario": 0.5,
    "shipped-scenario": 0.25,
}
assert set(SHARE) == {"random", "text", "hostile", *SEEDS}


def fuzz(examples: int) -> Any:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
    )


def gameday(*args: str) -> tuple[int, Any]:
    """``gameday ARGS --json`` in this process: (exit code, the one JSON document)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--json"])

    def refuse(token: str) -> None:
        raise AssertionError(f"{token} in --json output")

    assert "Traceback" not in err.getvalue(), err.getvalue()
    return code, json.loads(out.getvalue(), parse_constant=refuse)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shipped_tree(tmp_path_factory.mktemp("shipped"))


def _short_run(spec: ScenarioSpec) -> None:
    """One day of the first strategy: it ends, or stops at the event cap with a message."""
    short = vary(spec, {"horizon": min(spec.horizon, 1440.0)})
    result = run_once(short, next(iter(short.strategies)), 1)
    assert result.ok or "events per replication" in (result.error or ""), result.error
    COUNTS["runs"] += 1


def _through_everything(text: str | bytes, folder: Path) -> None:
    path = folder / "fuzzed.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    code, report = gameday("validate", str(path))
    assert code in (0, 2), report
    assert isinstance(report.get("diagnostics"), list)
    COUNTS["documents"] += 1
    if code != 0:
        return
    try:
        spec = load(path)
    except SpecError:
        return  # validate passes files whose warnings only load() would not refuse
    if isinstance(spec, ScenarioSpec):
        _short_run(spec)
    elif isinstance(spec, TriageSpec):
        code, doc = gameday("triage", PAYLOAD, "--rules", str(path))
        assert code == 0, doc
        COUNTS["triage_runs"] += 1


def _documents_of(kind: str) -> Any:
    @fuzz(max(1, round(DOCUMENTS * SHARE[kind])))
    @given(data=st.data())
    def check(tree: Path, data: st.DataObject) -> None:
        _one_document(kind, tree, data)

    return check


@pytest.mark.parametrize("kind", sorted(SHARE))
def test_documents_end_to_end(kind: str, tree: Path) -> None:
    _documents_of(kind)(tree)


def _one_document(kind: str, tree: Path, data: st.DataObject) -> None:
    if kind == "random":
        text: str | bytes = dump_yaml(data.draw(documents))
    elif kind == "text":
        text = data.draw(yaml_texts)
    elif kind == "hostile":
        text = data.draw(hostile_yaml())
    else:
        text = dump_yaml(data.draw(mutated(SEEDS[kind])))
    if kind == "shipped-scenario":
        _through_everything(text, tree)
        return
    with tempfile.TemporaryDirectory() as tmp:  # the support scenario is inline
        _through_everything(text, Path(tmp))


@fuzz(PAYLOADS)
@given(payloads)
def test_payloads_end_to_end(payload: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "alert.json"
        path.write_bytes(payload)
        with contextlib.suppress(PayloadError):
            read_payload(path)
        code, doc = gameday("triage", str(path), "--rules", RULES)
        assert code in (0, 2), doc
        assert ("error" in doc) == (code == 2), doc
        COUNTS["payloads"] += 1


@pytest.mark.parametrize("path", HOSTILE_PAYLOADS, ids=[p.stem for p in HOSTILE_PAYLOADS])
def test_corpus_of_hostile_payloads(path: Path) -> None:
    """Each once crashed or hung ``gameday triage``: now exit 2, a message naming it."""
    code, doc = gameday("triage", str(path), "--rules", RULES)
    assert code == 2
    assert str(path) in doc["error"]
