"""Result sets: a results folder on disk, or a comparison just run, behind one interface.

A *compare* folder (``gameday compare ... --out DIR``) holds ``incidents.parquet`` (one
row per incident), ``summary.json`` (the comparison document), ``metadata.json``
(``"kind": "compare"``) and ``scenario.json``. A *sweep* folder (``gameday sweep``) holds
``metadata.json`` (``"kind": "sweep"``), ``cells/cell=<id>/part-0.parquet`` and, once the
sweep is done, ``sweep_summary.parquet``. Only these files are read; nothing else about
how they were written is assumed.

``open_results`` checks a folder once and returns a :class:`ResultSet`; every reader
afterwards gets paths that are known to exist *inside* the folder (symlinks pointing
out of it are refused), which is how the dashboard keeps to "no paths outside the
chosen results folder".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sim.spec.safe_io import read_limited
from sim.spec.safe_json import parse_json

if TYPE_CHECKING:
    import pandas as pd

    from sim.experiments import Comparison

__all__ = [
    "RESULTS_DIR_ENV",
    "Kind",
    "ResultSet",
    "ResultsError",
    "find_result_sets",
    "from_comparison",
    "inside",
    "open_results",
]

Kind = Literal["compare", "sweep"]
#: The environment variable naming the results folder the dashboard opens
#: (``gameday dashboard DIR`` sets it).
RESULTS_DIR_ENV = "GAMEDAY_RESULTS_DIR"
INCIDENTS = "incidents.parquet"
SUMMARY = "summary.json"
METADATA = "metadata.json"
SCENARIO = "scenario.json"
SWEEP_SUMMARY = "sweep_summary.parquet"
CELLS = "cells"
#: Largest JSON document read from a results folder (a summary is ~10-100 KB).
MAX_JSON_BYTES = 50_000_000


class ResultsError(ValueError):
    """A folder is missing or is not a readable results folder (the CLI exits 2)."""


@dataclass
class ResultSet:
    """What a report or the dashboard needs of one experiment's results.

    ``incidents`` is where the incident rows are: a Parquet file, a glob of Parquet files
    (a sweep's cells), or an in-memory DataFrame (a comparison run in the dashboard).
    ``summary`` is the comparison document (compare only); ``scenario`` the scenario as
    plain data (``scenario.json``), when known.
    """

    kind: Kind
    name: str
    strategies: list[str]
    metadata: dict[str, Any]
    incidents: Path | str | pd.DataFrame | None
    summary: dict[str, Any] | None = None
    scenario: dict[str, Any] | None = None
    root: Path | None = None
    sweep_summary: Path | None = None
    grid: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        where = f" ({self.root})" if self.root is not None else ""
        return f"{self.kind}: {self.name}{where}"

    @property
    def currency(self) -> str:
        """What the scenario counts costs in (``USD``), or ``cost units`` when it does not say."""
        return str((self.scenario or {}).get("currency") or "cost units")

    def coverage(self) -> dict[str, float]:
        """``automation_coverage`` of each strategy (0..1), from the scenario if known."""
        strategies = (self.scenario or {}).get("strategies") or {}
        out: dict[str, float] = {}
        for name in self.strategies:
            value = (strategies.get(name) or {}).get("automation_coverage")
            if isinstance(value, int | float):
                out[name] = float(value)
        return out


def inside(root: Path, *parts: str) -> Path:
    """``root / parts`` resolved, refused if it leaves ``root`` (``..``, symlinks)."""
    base = root.resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        raise ResultsError(f"{Path(*parts)} points outside the results folder {root}")
    return target


def _json(path: Path) -> dict[str, Any]:
    try:  # bounded size and nesting, regular files only (sim.spec.safe_io, safe_json)
        doc = parse_json(read_limited(path, MAX_JSON_BYTES))
    except (OSError, ValueError) as exc:
        raise ResultsError(f"{path}: unreadable ({exc})") from None
    if not isinstance(doc, dict):
        raise ResultsError(f"{path}: expected a JSON object, got {type(doc).__name__}")
    return doc


def _kind(root: Path, meta: dict[str, Any]) -> Kind:
    kind = meta.get("kind")
    if kind in ("compare", "sweep"):
        return "compare" if kind == "compare" else "sweep"
    if (root / INCIDENTS).is_file():  # a compare folder from before "kind" was written
        return "compare"
    raise ResultsError(f'{root / METADATA}: "kind" is {kind!r}; expected "compare" or "sweep"')


def open_results(folder: str | os.PathLike[str]) -> ResultSet:
    """Check a results folder and describe it; raise :class:`ResultsError` if unusable."""
    root = Path(folder)
    if not root.exists():
        raise ResultsError(f"{root}: no such folder")
    if not root.is_dir():
        raise ResultsError(f"{root}: not a folder (expected a results folder)")
    meta_path = root / METADATA
    if not meta_path.is_file():
        raise ResultsError(
            f"{root}: no {METADATA}; not a results folder "
            "(make one with `gameday compare SCENARIO --out DIR` or `gameday sweep`)"
        )
    meta = _json(inside(root, METADATA))
    kind = _kind(root, meta)
    scenario = _json(inside(root, SCENARIO)) if (root / SCENARIO).is_file() else None
    strategies = [str(s) for s in meta.get("strategies") or []]
    name = str(meta.get("scenario") or (scenario or {}).get("name") or root.name)
    if kind == "compare":
        for required in (INCIDENTS, SUMMARY):
            if not (root / required).is_file():
                raise ResultsError(f"{root}: {required} is missing (an unfinished compare?)")
        summary = _json(inside(root, SUMMARY))
        if not isinstance(summary.get("strategies"), dict) or not summary["strategies"]:
            raise ResultsError(f'{root / SUMMARY}: no "strategies" in it')
        strategies = strategies or list(summary["strategies"])
        return ResultSet(
            kind="compare",
            name=name,
            strategies=strategies,
            metadata=meta,
            incidents=inside(root, INCIDENTS),
            summary=summary,
            scenario=scenario,
            root=root,
        )
    cells = inside(root, CELLS)
    parts = list(cells.glob("cell=*/*.parquet"))
    if not parts:
        raise ResultsError(f"{root}: a sweep folder without any finished cell in {CELLS}/")
    for part in parts:  # the glob is read by DuckDB later: no file may lead out of root
        inside(root, str(part.relative_to(cells.parent)))
    done = root / SWEEP_SUMMARY
    grid = meta.get("grid") if isinstance(meta.get("grid"), dict) else {}
    return ResultSet(
        kind="sweep",
        name=name,
        strategies=strategies,
        metadata=meta,
        incidents=str(cells / "cell=*" / "*.parquet"),
        scenario=scenario,
        root=root,
        sweep_summary=inside(root, SWEEP_SUMMARY) if done.is_file() else None,
        grid={str(k): list(v) for k, v in (grid or {}).items()},
    )


def find_result_sets(root: str | os.PathLike[str], *, depth: int = 2) -> list[Path]:
    """Folders at or below ``root`` (up to ``depth`` levels) that hold ``metadata.json``.

    Symlinked folders are not followed, so the list never leaves ``root``.
    """
    base = Path(root)
    found: list[Path] = []
    if not base.is_dir():
        return found
    level = [base]
    for _ in range(depth + 1):
        following: list[Path] = []
        for folder in level:
            if (folder / METADATA).is_file():
                found.append(folder)
                continue  # a results folder's own subfolders (cells/) are not sets
            try:
                children = sorted(p for p in folder.iterdir() if p.is_dir())
            except OSError:
                continue
            following += [c for c in children if not c.is_symlink() and c.name[0] != "."]
        level = following
    return found


def from_comparison(result: Comparison) -> ResultSet:
    """A result set for a comparison run in memory (nothing written to disk)."""
    return ResultSet(
        kind="compare",
        name=result.spec.name,
        strategies=list(result.strategies),
        metadata={
            "kind": "compare",
            "scenario": result.spec.name,
            "scenario_digest": result.spec.digest,
            "strategies": list(result.strategies),
            "replications": result.replications,
            "seed": result.seed,
        },
        incidents=result.table,
        summary=result.summary,
        scenario=result.spec.model_dump(mode="json", by_alias=True),
    )
