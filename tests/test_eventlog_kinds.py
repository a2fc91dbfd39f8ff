"""The event log's documentation, its ``KINDS`` and what the shipped scenarios log agree."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

import sim.eventlog
from sim.engine import run_once
from sim.eventlog import KINDS, PEOPLE_KINDS
from sim.spec import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
# "- ``kind`` ``{key, key?, ...}``" in the module's docstring.
DOCUMENTED = re.compile(r"^- ``(\w+)`` ``\{([^}]*)\}``", re.MULTILINE)


def _documented() -> dict[str, tuple[str, ...]]:
    doc = sim.eventlog.__doc__ or ""
    return {
        kind: tuple(k.strip() for k in keys.replace("\n", " ").split(","))
        for kind, keys in DOCUMENTED.findall(doc)
    }


def test_the_docstring_lists_every_kind_with_its_keys() -> None:
    assert _documented() == KINDS


@pytest.fixture(scope="module")
def logged() -> dict[str, list[set[str]]]:
    """Per kind, the detail keys of every record the shipped scenarios log (seed 1)."""
    found: dict[str, list[set[str]]] = defaultdict(list)
    for path in SCENARIOS:
        spec = load_scenario(path)
        for strategy in spec.strategies:
            result = run_once(spec, strategy, 1)
            assert result.ok, result.error
            for event in result.events:
                found[event.kind].append(set(event.details))
    return found


def test_every_record_of_the_shipped_scenarios_is_documented(logged) -> None:
    for kind, records in logged.items():
        assert kind in KINDS, f"{kind!r} is logged but not documented in sim.eventlog"
        required = {k for k in KINDS[kind] if not k.endswith("?")}
        allowed = required | {k.rstrip("?") for k in KINDS[kind]}
        for keys in records:
            assert required <= keys <= allowed, (kind, sorted(keys))


def test_every_documented_engine_kind_is_logged_by_a_shipped_scenario(logged) -> None:
    never = sorted(set(KINDS) - PEOPLE_KINDS - set(logged))
    assert not never, f"documented but never logged: {never}"
