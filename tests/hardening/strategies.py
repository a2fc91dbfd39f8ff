"""Hypothesis strategies for the fuzz tests: spec documents and alert payloads, valid,
near-valid (mutations of valid ones) and hostile (deep nesting, huge or non-finite
numbers, merge keys, lone surrogates, random bytes).

Shared by ``tests/spec/test_load_fuzz.py`` (the loaders) and
``tests/hardening/test_fuzz.py`` (the CLI end to end, and the counts ``make fuzz``
prints).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SUPPORT = ROOT / "tests" / "spec" / "broken" / "support"


def read_yaml_file(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def inline_scenario() -> dict[str, Any]:
    """The support scenario with its runbooks and triage rules inline (no file refs),
    so that mutations reach the cross-checks, not just "file not found"."""
    doc = read_yaml_file(SUPPORT / "scenario.yaml")
    doc["runbooks"] = [read_yaml_file(p) for p in sorted((SUPPORT / "runbooks").glob("*.yaml"))]
    doc["triage"] = read_yaml_file(SUPPORT / "triage.yaml")
    return doc


SEEDS: dict[str, dict[str, Any]] = {
    "scenario": inline_scenario(),
    "shipped-scenario": read_yaml_file(ROOT / "scenarios" / "seed-benchmark.yaml"),
    "runbook": read_yaml_file(ROOT / "runbooks" / "restart-service.yaml"),
    "triage": read_yaml_file(ROOT / "scenarios" / "triage" / "standard.yaml"),
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


def dump_yaml(doc: Any) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


#: YAML-like text: random text, random bytes, and strings of YAML syntax fragments.
yaml_texts = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300),
    st.lists(YAML_TOKENS, max_size=40).map("".join),
)


@st.composite
def hostile_yaml(draw: st.DrawFn) -> str:
    """A valid document with one hostile twist: deep nesting, a huge or non-finite
    number, a merge key smuggling a reference, a long name, an alias fan-out."""
    seed = draw(st.sampled_from(sorted(SEEDS.values(), key=str)))
    base = dump_yaml(draw(st.one_of(st.just(seed), mutated(seed))))
    twist = draw(
        st.sampled_from(
            [
                "deep: " + "[" * 150 + "]" * 150,
                "horizon: 1e308",
                "horizon: .inf",
                "horizon: .nan",
                "x: " + "9" * 5000,
                "<<: {triage: /etc/passwd}",
                "<<: {runbooks: [/etc]}",
                "name: " + "a" * 5000,
                "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]",
                "tbf: 0",
                "runbooks: [.]",
                "triage: .",
            ]
        )
    )
    return base + twist + "\n"


# --- alert payloads ------------------------------------------------------------------

PAYLOAD_SEEDS: dict[str, Any] = {
    name: json.loads((ROOT / "tests" / "data" / f"{name}.json").read_text())
    for name in ("alertmanager-webhook", "pagerduty-event")
}

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=30),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.one_of(
                st.text(max_size=12),
                st.sampled_from(["alerts", "labels", "status", "event_action", "payload"]),
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=30,
)


@st.composite
def _mutated_payload(draw: st.DrawFn) -> bytes:
    doc = draw(mutated(draw(st.sampled_from(sorted(PAYLOAD_SEEDS.values(), key=str)))))
    return json.dumps(doc).encode()


#: Payloads that once crashed or hung ``gameday triage``, kept as files (the corpus of
#: past failures; each is also a regression test in ``test_fuzz.py``).
HOSTILE_PAYLOADS = sorted((ROOT / "tests" / "data" / "hostile-payloads").glob("*.json"))
HOSTILE_JSON = [p.read_bytes() for p in HOSTILE_PAYLOADS]

#: Payload bytes: valid seeds, their mutations, random JSON, hostile and random bytes.
payloads = st.one_of(
    st.sampled_from([json.dumps(p).encode() for p in PAYLOAD_SEEDS.values()]),
    _mutated_payload(),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.sampled_from(HOSTILE_JSON),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


def shipped_tree(tree: Path) -> Path:
    """A copy of scenarios/triage and runbooks/ under ``tree``; returns its scenarios
    folder, where a mutated shipped scenario resolves '../runbooks' and 'triage/...'."""
    import shutil

    shutil.copytree(ROOT / "runbooks", tree / "runbooks")
    shutil.copytree(ROOT / "scenarios" / "triage", tree / "scenarios" / "triage")
    return tree / "scenarios"
