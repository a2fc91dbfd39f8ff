"""A journal per tested file, shaped like a Chaos Toolkit journal.

Chaos Toolkit records an experiment run as ``{experiment, start, end, duration, status,
deviated, run: [activity results], rollbacks}``. Here the *experiment* is the scenario
(or runbook) file, the *actions* are the simulations (one per strategy, or the runbook
drills) and the *probes* are the expectations and checks, each with its start, end,
status and output. ``status`` is ``completed`` (every case passed), ``failed`` (the run
went through and some case failed or could not be judged) or ``aborted`` (the file did
not load: nothing ran). ``deviated`` is true when an expectation did not hold, as in
Chaos Toolkit when the steady state is not met.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.experiments.batches import failed_replications
from sim.spec.safe_io import atomic_write

from .results import CaseResult, FileResult, jsonable

if TYPE_CHECKING:
    from .options import TestOptions
    from .scenario import ScenarioUnderTest

__all__ = ["file_journal", "journal_name", "write_journals"]


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gameday")
    except PackageNotFoundError:
        return "0+unknown"


def _probe(case: CaseResult) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "activity": {
            "type": "probe",
            "name": case.name,
            "kind": case.kind,
            "file": case.file,
            "line": case.line,
            "rule": case.rule,
        },
        "status": "succeeded" if case.status == "passed" else case.status,
        "start": _iso(case.started),
        "end": _iso(case.ended),
        "duration": round(case.seconds, 4),
        "output": {"message": case.message, "details": case.details, **case.measured},
    }
    if case.status in ("failed", "error"):
        entry["exception"] = [case.message]
    return entry


def file_journal(
    result: FileResult, sut: ScenarioUnderTest | None, options: TestOptions
) -> dict[str, Any]:
    """The journal of one file's run (see the module docstring)."""
    run: list[dict[str, Any]] = []
    if sut is not None:
        for strategy, (start, end) in sut.simulated.items():
            facts = sut.facts[strategy]
            failed = [f for f in facts if f.error is not None]
            run.append(
                {
                    "activity": {
                        "type": "action",
                        "name": f"simulate strategy {strategy}",
                        "replications": len(facts),
                        "seeds": [f.seed for f in facts],
                    },
                    "status": "failed" if failed else "succeeded",
                    "start": _iso(start),
                    "end": _iso(end),
                    "duration": round(end - start, 4),
                    "output": {
                        "incidents": sum(f.incidents for f in facts),
                        "simulated_seconds": round(sum(f.wall_seconds for f in facts), 3),
                        "failed_replications": failed_replications(
                            {f.seed: f.error for f in failed if f.error is not None}
                        ),
                    },
                }
            )
    run += [_probe(c) for c in result.cases]
    if result.bad_input:
        status = "aborted"
    elif all(c.status in ("passed", "skipped") for c in result.cases):
        status = "completed"
    else:
        status = "failed"
    start = result.started or min((c.started for c in result.cases), default=0.0)
    end = result.ended or max((c.ended for c in result.cases), default=start)
    journal: dict[str, Any] = jsonable(
        {
            "gameday-version": _version(),
            "platform": platform.platform(),
            "node": platform.node(),
            "experiment": {
                "title": result.name,
                "kind": result.kind,
                "file": result.file,
                "replications": options.replications,
                "seed": options.seed,
            },
            "start": _iso(start),
            "end": _iso(end),
            "duration": round(max(0.0, end - start), 3),
            "status": status,
            "deviated": any(c.status == "failed" for c in result.cases),
            "run": run,
            "rollbacks": [],
        }
    )
    return journal


def journal_name(result: FileResult) -> str:
    """A file name unique per tested file: ``scenarios__payments-platform.journal.json``."""
    stem = os.path.splitext(result.file)[0].lstrip("./").replace(os.sep, "__").replace("/", "__")
    raw = os.fsencode(stem)
    if len(raw) > 200:  # a file name stops at 255 bytes: a hash of it and its end
        stem = f"{hashlib.sha256(raw).hexdigest()[:16]}__{raw[-150:].decode('utf-8', 'ignore')}"
    return f"{stem or 'file'}.journal.json"


def write_journals(results: list[FileResult], folder: str | os.PathLike[str]) -> list[Path]:
    """Write one journal per file into ``folder`` (created); return the paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        if result.journal is None:
            continue
        target = out / journal_name(result)
        atomic_write(target, json.dumps(result.journal, indent=2) + "\n")
        written.append(target)
    return written
