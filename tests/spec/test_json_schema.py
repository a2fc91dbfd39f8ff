"""The JSON Schemas editors use agree with the loader.

``sim/schemas/*.json`` must be exactly what ``gameday schema KIND`` prints (regenerate
with ``python -m sim.spec.schema``), must be valid Draft 2020-12 schemas, must accept
every shipped file and must reject typical mistakes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from sim.spec import KINDS
from sim.spec.schema import SCHEMA_DIR, schema, schema_text
from tests.cli import gameday

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "spec" / "broken"
SHIPPED = sorted(
    [*ROOT.glob("scenarios/**/*.yaml"), *ROOT.glob("runbooks/**/*.yaml")],
)
FIXTURES = sorted((BROKEN / "support").rglob("*.yaml"))


def _doc(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    shipped = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(shipped)


def test_schema_dir_is_the_shipped_folder() -> None:
    assert SCHEMA_DIR == ROOT / "sim" / "schemas"
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.json")) == sorted(
        f"{k}.schema.json" for k in KINDS
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_shipped_schema_is_up_to_date(kind: str) -> None:
    """Fails when a model changed and nobody ran ``python -m sim.spec.schema``."""
    shipped = (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(kind), (
        f"sim/schemas/{kind}.schema.json is stale: run `python -m sim.spec.schema`"
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_command_prints_the_shipped_schema(kind: str) -> None:
    result = gameday("schema", kind, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    doc = schema(kind)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(doc)
    # Editors complete keys from here: the top-level keys are the YAML keys.
    properties = doc["properties"]
    assert isinstance(properties, dict)
    assert "kind" in properties


@pytest.mark.parametrize(
    "path", SHIPPED + FIXTURES, ids=[p.relative_to(ROOT).as_posix() for p in SHIPPED + FIXTURES]
)
def test_schema_accepts_every_shipped_file(path: Path) -> None:
    data = _doc(path)
    errors = list(_validator(data["kind"]).iter_errors(data))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_there_are_shipped_files_of_every_kind() -> None:
    kinds = {_doc(p)["kind"] for p in SHIPPED}
    assert kinds == set(KINDS)


# Catalogue files that plain YAML can read, with the schema error each must produce.
REJECTED = [
    ("runbook-unknown-key.yaml", "runbook", "additionalProperties", ["owner"]),
    ("runbook-misspelled-key.yaml", "runbook", "additionalProperties", ["on_failre"]),
    ("runbook-wrong-type.yaml", "runbook", "type", ["steps", 0, "retries"]),
    ("runbook-probability-above-one.yaml", "runbook", "maximum", ["steps", 0, "manual"]),
    ("runbook-unknown-fault-kind.yaml", "runbook", "enum", ["fixes", 1]),
    ("runbook-missing-required.yaml", "runbook", "required", ["steps", 0]),
    ("scenario-wrong-type.yaml", "scenario", "type", ["services", "api", "tier"]),
    ("scenario-misspelled-key.yaml", "scenario", "additionalProperties", ["trafic_share"]),
    ("triage-unknown-severity.yaml", "triage", "enum", ["rules", 0, "severity"]),
    ("triage-bad-matcher.yaml", "triage", "pattern", ["rules", 0, "matchers", 0]),
    ("triage-bad-condition.yaml", "triage", "pattern", ["rules", 0, "when", 0]),
]


@pytest.mark.parametrize(("name", "kind", "validator", "where"), REJECTED)
def test_schema_rejects_broken_files(
    name: str, kind: str, validator: str, where: list[Any]
) -> None:
    data = _doc(BROKEN / name)
    errors = list(_validator(kind).iter_errors(data))
    assert errors, f"the {kind} schema accepted {name}"
    # The error may sit inside anyOf/oneOf branches; search the whole error tree.
    flat: list[jsonschema.ValidationError] = []
    todo = list(errors)
    while todo:
        err = todo.pop()
        flat.append(err)
        todo.extend(err.context or [])
    hits = [e for e in flat if e.validator == validator]
    assert hits, [(e.validator, list(e.absolute_path)) for e in flat]
    if validator == "additionalProperties":
        assert any(where[0] in e.message for e in hits)
    else:
        assert any(list(e.absolute_path)[: len(where)] == where for e in hits), [
            list(e.absolute_path) for e in hits
        ]


@pytest.mark.parametrize(
    ("kind", "document"),
    [
        ("runbook", {"kind": "runbook", "id": "x", "title": "t", "fixes": ["crash"], "steps": 3}),
        ("triage", {"kind": "triage", "rules": [{"name": "r", "severity": "P9"}]}),
        ("scenario", {"kind": "scenario", "name": "x", "horizon": -5}),
    ],
)
def test_schema_rejects_hand_made_mistakes(kind: str, document: dict[str, Any]) -> None:
    assert not _validator(kind).is_valid(document)
