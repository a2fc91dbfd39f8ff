"""``calibrate``: an incident export in, a fitted and validated scenario out.

The public entry point of the package, used by ``gameday calibrate`` and notebooks::

    from sim.calibrate import calibrate
    result = calibrate("samples/exports/synthetic-pagerduty.csv", "pagerduty")
    result.model.rates["checkout"]      # Estimate(value, low, high), incidents per week
    result.scenario                     # a loaded ScenarioSpec, ready to run
    result.write("fitted.yaml")         # atomically
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sim.spec import ScenarioSpec, SpecError, load_scenario
from sim.spec.safe_io import atomic_write

from .cleaning import CleanExport, clean_export, service_slug
from .formats import FORMATS, ColumnMap, load_map
from .model import TeamModel, fit_model
from .reading import read_export
from .scenario_yaml import scenario_yaml

__all__ = ["Calibration", "calibrate", "column_map", "fitted_scenario"]


@dataclass(frozen=True)
class Calibration:
    """What ``calibrate`` found: the clean export, the model and the scenario."""

    format: str
    clean: CleanExport
    model: TeamModel
    text: str
    scenario: ScenarioSpec

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the scenario YAML atomically (nothing is half-written)."""
        atomic_write(path, self.text)


def column_map(fmt: str, map_path: str | None = None) -> ColumnMap:
    """The built-in mapping of ``fmt``, with a map file's overrides."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    base = FORMATS[fmt]
    if map_path is not None:
        return load_map(map_path, base)
    if fmt == "csv":
        raise ValueError("--format csv needs --map FILE naming the columns (docs/calibrate.md)")
    return base


def fitted_scenario(text: str) -> ScenarioSpec:
    """Load the scenario text the way ``gameday validate`` would; a failure here is a bug
    in the writer, reported with the text's diagnostics."""
    with tempfile.TemporaryDirectory(prefix="gameday-calibrate-") as folder:
        path = Path(folder) / "fitted.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load_scenario(path)
        except SpecError as exc:
            raise RuntimeError(f"the fitted scenario does not validate (a bug):\n{exc}") from None


def build(
    clean: CleanExport,
    mapping: ColumnMap,
    *,
    fmt: str,
    name: str,
    horizon_weeks: float | None = None,
) -> Calibration:
    """Fit the model to ``clean`` and write its scenario."""
    model = fit_model(clean, mapping.timezone)
    pairs = Counter((i.service, i.severity) for i in clean.incidents)
    text = scenario_yaml(
        model,
        name=name,
        source=os.path.basename(clean.file),
        fmt=fmt,
        as_of=clean.as_of,
        pair_counts=pairs,
        dropped=clean.dropped,
        horizon_weeks=horizon_weeks,
    )
    return Calibration(fmt, clean, model, text, fitted_scenario(text))


def calibrate(
    path: str | os.PathLike[str],
    fmt: str,
    *,
    map_path: str | None = None,
    as_of: datetime | None = None,
    skip_bad_rows: bool = False,
    name: str | None = None,
) -> Calibration:
    """Read, clean and fit the export at ``path`` (format ``fmt``); the scenario is
    validated before it is returned. Bad input raises ``ValueError`` (an
    ``ExportError`` names file, row and column)."""
    mapping = column_map(fmt, map_path)
    table = read_export(path, mapping)
    clean = clean_export(table, mapping, as_of=as_of, skip_bad_rows=skip_bad_rows)
    stem = service_slug(Path(path).stem)
    return build(clean, mapping, fmt=fmt, name=name or f"{stem}-fitted")
