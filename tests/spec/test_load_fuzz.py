"""Whatever a file holds, ``sim.spec.load`` either returns a spec or raises ``SpecError``.

Generated documents (random nested data, random text, and mutations of valid
scenarios, runbooks and triage files: dropped keys, values replaced by random ones,
renamed keys) are written to temporary files and loaded. Any other exception is a bug:
the CLI would print a traceback instead of ``file:line:col`` diagnostics.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.spec import RunbookSpec, ScenarioSpec, SpecError, TriageSpec, load

ROOT = Path(__file__).resolve().parents[2]
SUPPORT = ROOT / "tests" / "spec" / "broken" / "support"

# GAMEDAY_FUZZ_EXAMPLES=5000 for a long hunt; the default keeps the suite quick.
EXAMPLES = int(os.environ.get("GAMEDAY_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _inline_scenario() -> dict[str, Any]:
    """The support scenario with its runbooks and triage rules inline (no file refs),
    so that mutations reach the cross-checks, not just "file not found"."""
    doc = _yaml(SUPPORT / "scenario.yaml")
    doc["runbooks"] = [_yaml(p) for p in sorted((SUPPORT / "runbooks").glob("*.yaml"))]
    doc["triage"] = _yaml(SUPPORT / "triage.yaml")
    return doc


SEEDS: dict[str, dict[str, Any]] = {
    "scenario": _inline_scenario(),
    "shipped-scenario": _yaml(ROOT / "scenarios" / "seed-benchmark.yaml"),
    "runbook": _yaml(ROOT / "runbooks" / "restart-service.yaml"),
    "triage": _yaml(ROOT / "scenarios" / "triage" / "standard.yaml"),
}

# --- strategies ---------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        ["5m", "-5m", "1h30m", "30d", "abc", "", "P1", "crash", "goto:nowhere", "retry", "end"]
    ),
)
keys = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["kind", "steps", "services", "rules", "severities", "id", "dist", "<<"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=30,
)


def _paths(node: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*here, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*here, i))


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for item in path[:-1]:
        doc = doc[item]
    return doc


@st.composite
def mutated(draw: st.DrawFn, seed: dict[str, Any]) -> Any:
    doc = copy.deepcopy(seed)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _parent(doc, path), path[-1]
        op = draw(st.sampled_from(["drop", "replace", "rename", "typo"]))
        if op == "drop":
            del parent[last]
        elif op == "replace":
            parent[last] = draw(documents)
        elif isinstance(parent, dict):  # rename a key
            new = draw(keys) if op == "rename" else _typo(str(last), draw)
            value = parent.pop(last)
            parent[new] = value
        else:  # a list item: swap it for a copy of a sibling
            parent[last] = copy.deepcopy(draw(st.sampled_from(parent)))
    return doc


def _typo(word: str, draw: st.DrawFn) -> str:
    if not word:
        return "x"
    i = draw(st.integers(min_value=0, max_value=len(word) - 1))
    kind = draw(st.sampled_from(["drop", "double", "swap"]))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[: i + 1] + word[i:]
    j = min(i + 1, len(word) - 1)
    chars = list(word)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


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


def _dump(doc: Any) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@FUZZ
@given(documents)
def test_random_documents_raise_only_spec_errors(doc: Any) -> None:
    _check_load(_dump(doc))


# Fragments of YAML syntax, so that random text is often *almost* YAML: anchors,
# aliases, merges, tags, flow collections, documents, tabs, odd line breaks.
YAML_TOKENS = st.sampled_from(
    [
        "kind: ",
        "runbook",
        "scenario",
        "triage",
        "steps:",
        "services:",
        "rules:",
        "\n",
        "\n  ",
        "- ",
        ": ",
        "&a ",
        "*a",
        "<<: ",
        "!!python/name:os.system ",
        "!!int ",
        "!!binary ",
        "!custom ",
        "{",
        "}",
        "[",
        "]",
        ", ",
        "---\n",
        "...\n",
        "\t",
        "'",
        '"',
        "#",
        "? ",
        "|\n  ",
        ">-\n  ",
        "\r\n",
        "\u2028",
        "\ufeff",
        "\x00",
        "%YAML 1.1\n",
        "id: x",
        "5m",
        "-1",
        "1e999",
        "0x1F",
        ".nan",
        "~",
        "null",
        "yes",
    ]
)


@FUZZ
@given(
    st.one_of(
        st.text(max_size=300),
        st.binary(max_size=300),
        st.lists(YAML_TOKENS, max_size=40).map("".join),
    )
)
def test_random_text_raises_only_spec_errors(text: str | bytes) -> None:
    _check_load(text)


@pytest.fixture(scope="module")
def shipped_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of scenarios/triage and runbooks/, so that a mutated shipped scenario
    written to <copy>/scenarios/ resolves '../runbooks' and 'triage/...' as shipped."""
    tree = tmp_path_factory.mktemp("shipped")
    shutil.copytree(ROOT / "runbooks", tree / "runbooks")
    shutil.copytree(ROOT / "scenarios" / "triage", tree / "scenarios" / "triage")
    return tree / "scenarios"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seeds_are_valid(name: str, tmp_path: Path, shipped_tree: Path) -> None:
    """The unmutated seeds load, so the mutations start from a valid document."""
    folder = shipped_tree if name == "shipped-scenario" else tmp_path
    path = folder / f"{name}.yaml"
    path.write_text(_dump(SEEDS[name]), encoding="utf-8")
    load(path)


@pytest.mark.parametrize("name", sorted(SEEDS))
@FUZZ
@given(data=st.data())
def test_mutated_valid_documents_raise_only_spec_errors(
    name: str, shipped_tree: Path, data: st.DataObject
) -> None:
    doc = data.draw(mutated(SEEDS[name]))
    _check_load(_dump(doc), folder=shipped_tree if name == "shipped-scenario" else None)
