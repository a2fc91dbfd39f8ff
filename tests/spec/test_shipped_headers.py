"""Every shipped YAML file tells editors which JSON Schema applies to it.

The first line must be ``# yaml-language-server: $schema=<relative path>`` and the
path, resolved from the file's folder, must be the existing ``sim/schemas`` schema
of the file's kind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "sim" / "schemas"
SHIPPED = sorted([*ROOT.glob("scenarios/**/*.yaml"), *ROOT.glob("runbooks/**/*.yaml")])
_HEADER = re.compile(r"^# yaml-language-server: \$schema=(?P<ref>\S+)$")


def test_there_are_shipped_files() -> None:
    assert len(SHIPPED) >= 10


@pytest.mark.parametrize("path", SHIPPED, ids=[p.relative_to(ROOT).as_posix() for p in SHIPPED])
def test_first_line_points_at_the_schema_of_the_files_kind(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    match = _HEADER.match(first)
    assert match, f"{path.relative_to(ROOT)}: first line is {first!r}"
    ref = match["ref"]
    assert not Path(ref).is_absolute() and "://" not in ref, "use a relative path"
    target = (path.parent / ref).resolve()
    assert target.is_file(), f"{ref} does not exist (resolved to {target})"
    assert target.parent == SCHEMAS.resolve()
    kind = yaml.safe_load(text)["kind"]
    assert target.name == f"{kind}.schema.json"
