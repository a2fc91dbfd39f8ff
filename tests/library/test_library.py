"""The scenario library (scenarios/library/): documented, within its sizes, up to date
with its generator, and runnable in every strategy.

Every scenario runs in every strategy in ``make test`` twice: ``gameday test scenarios
runbooks`` checks each ``expect:`` block over 30 replications per strategy (and that
every replication ran to the horizon), and ``test_scenario_table.py`` runs a fresh
table. Here the static promises of the library are checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.spec import load_scenario

from .scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted((ROOT / "scenarios" / "library").glob("*.yaml"))
_HEADER_PARTS = ("Teaches:", "Models:", "Expect:")


def _header(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = []
    for line in lines:
        if not line.startswith("#"):
            break
        comments.append(line)
    return "\n".join(comments)


def test_the_library_has_twelve_or_more_scenarios_from_5_to_500_services() -> None:
    sizes = {path.stem: len(load_scenario(path).services) for path in LIBRARY}
    assert len(sizes) >= 12, sizes
    assert min(sizes.values()) <= 5 and max(sizes.values()) >= 500, sizes
    assert sum(1 for n in sizes.values() if n >= 200) >= 2, sizes


def test_scenario_names_are_their_file_names_and_unique() -> None:
    names = [load_scenario(path).name for path in LIBRARY]
    assert names == [path.stem for path in LIBRARY]


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_each_scenario_says_what_it_teaches_models_and_expects(path: Path) -> None:
    header = _header(path)
    for part in _HEADER_PARTS:
        found = re.search(rf"^# {part}\s+(\S.*)$", header, re.MULTILINE)
        assert found, f"{path.name}: the header comment has no '{part}' line"
    spec = load_scenario(path)
    checks = {e.check for e in spec.expect if getattr(e, "check", None)}
    assert {"lifecycle_legal", "all_resolved"} <= checks, path.name
    assert len(spec.expect) >= 4, f"{path.name}: an expect block that teaches something"
    assert spec.description.strip(), path.name


def test_the_generated_platforms_are_what_their_script_writes() -> None:
    generator = load_script("generate_platform")
    for size in generator.SIZES:
        path = ROOT / "scenarios" / "library" / f"{size.name}.yaml"
        assert path.read_text(encoding="utf-8") == generator.render(size), (
            f"{path.name} is stale: run python scripts/generate_platform.py"
        )
        assert len(load_scenario(path).services) == size.services
