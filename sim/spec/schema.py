"""JSON Schemas of the file formats, as shipped in ``sim/schemas/``.

The shipped files are generated from the models (``python -m sim.spec.schema``) and a
test keeps them in step, so an editor's completion never disagrees with the loader.
"""

from __future__ import annotations

import json
from pathlib import Path

from .loader import KINDS
from .safe_io import atomic_write

__all__ = ["SCHEMA_DIR", "schema", "schema_text", "write_all"]

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def schema(kind: str) -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of one kind of file, keys as written in YAML."""
    model = KINDS[kind]
    doc: dict[str, object] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://gameday.invalid/schemas/{kind}.schema.json",
    }
    doc.update(model.model_json_schema(by_alias=True, mode="validation"))
    return doc


def schema_text(kind: str) -> str:
    return json.dumps(schema(kind), indent=2, sort_keys=False) + "\n"


def write_all(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / f"{kind}.schema.json"
        atomic_write(path, schema_text(kind))
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_all():
        print(p)
