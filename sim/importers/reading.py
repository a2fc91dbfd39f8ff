"""Reading an experiment file within bounds, placing every problem at its line.

JSON is parsed strictly (``sim.spec.safe_json``: no NaN, bounded nesting and integers);
a YAML experiment by the spec's YAML reader. Both are also read as YAML nodes (JSON is
YAML) to find the line and column of the place a problem names.
"""

from __future__ import annotations

import os

from sim.spec import SpecError
from sim.spec.limits import MAX_PAYLOAD_BYTES
from sim.spec.safe_io import read_limited
from sim.spec.safe_json import JsonRefused, parse_json
from sim.spec.source_doc import SourceDoc
from sim.spec.yaml_source import read_yaml

from .chaostoolkit import ExperimentError, Imported, import_experiment

__all__ = ["ExperimentFileError", "import_file"]


class ExperimentFileError(ValueError):
    """The file cannot be imported; the message is ``file:line:col: place: problem``."""


def _positions(path: str) -> SourceDoc | None:
    try:
        return read_yaml(path, max_bytes=MAX_PAYLOAD_BYTES)
    except SpecError:
        return None


def import_file(
    path: str | os.PathLike[str], *, start: float = 10.0, targets: dict[str, str] | None = None
) -> Imported:
    """The experiment at ``path`` imported; :class:`ExperimentFileError` otherwise."""
    name = os.fspath(path)
    raw = read_limited(path, MAX_PAYLOAD_BYTES)
    if name.endswith((".yaml", ".yml")):
        try:
            doc = read_yaml(path, max_bytes=MAX_PAYLOAD_BYTES).data
        except SpecError as exc:
            raise ExperimentFileError(str(exc)) from None
    else:
        try:
            doc = parse_json(raw)
        except JsonRefused as exc:
            where = f":{exc.where}" if exc.where else ""
            raise ExperimentFileError(f"{name}{where}: {exc.message}") from None
    try:
        return import_experiment(doc, start=start, targets=targets)
    except ExperimentError as exc:
        source = _positions(name)
        line, col = source.where(exc.path) if source else (1, 1)
        raise ExperimentFileError(f"{name}:{line}:{col}: {exc}".replace(": : ", ": ")) from None
