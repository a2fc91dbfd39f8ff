"""The shipped runbooks (runbooks/ and runbooks/library/) cover every fault kind and
are written as real ones are: a title and a description of when (not) to use them, a
fixing step that says how to tell it worked, risky changes behind an approval or a
rollback, and timings where automation is faster and steadier than a person.

`gameday test runbooks` drills each runbook against the kinds it claims to fix; this
checks what a drill cannot see.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.spec import FAULT_KINDS, RunbookSpec, load_runbook

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "runbooks").rglob("*.yaml"))


def _runbooks() -> list[RunbookSpec]:
    return [load_runbook(path) for path in SHIPPED]


def _fixing_step(runbook: RunbookSpec):
    marked = [s for s in runbook.steps if s.mitigates]
    return marked[0] if marked else runbook.steps[-1]


def test_every_fault_kind_of_the_catalogue_has_a_runbook() -> None:
    covered = {kind for runbook in _runbooks() for kind in runbook.fixes}
    assert set(FAULT_KINDS) <= covered, sorted(set(FAULT_KINDS) - covered)


def test_runbook_ids_are_their_file_names_and_unique() -> None:
    ids = [load_runbook(path).id for path in SHIPPED]
    assert ids == [path.stem for path in SHIPPED]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_each_runbook_reads_like_a_real_one(path: Path) -> None:
    runbook = load_runbook(path)
    assert runbook.title.strip() and len(runbook.description.split()) >= 15, path.name
    fixing = _fixing_step(runbook)
    assert fixing.verify, f"{path.name}: the fixing step {fixing.id} must say how to verify it"
    # Risky changes are guarded: some step needs an approval, or the runbook can undo
    # what it did (rollback steps). A rolling restart is the one routine exception.
    guarded = any(step.requires_approval for step in runbook.steps) or bool(runbook.rollback)
    assert guarded or runbook.id == "restart-service", f"{path.name}: nothing is guarded"
    if any(step.on_failure == "rollback" for step in runbook.steps):
        assert runbook.rollback, path.name


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_automation_is_faster_and_steadier_than_a_person(path: Path) -> None:
    for step in load_runbook(path).steps + load_runbook(path).rollback:
        manual = step.manual
        assert 0.25 <= manual.duration.mean <= 8 * 60, (path.name, step.id)
        assert 0.0 < manual.failure_probability <= 0.15, (path.name, step.id)
        if step.automated is None:
            continue
        auto = step.automated
        assert auto.duration.mean < manual.duration.mean, (path.name, step.id)
        assert auto.failure_probability <= manual.failure_probability, (path.name, step.id)
