"""Result folders: Parquet incident tables and JSON summaries, written atomically."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.spec.safe_io import atomic_write

if TYPE_CHECKING:
    from .compare import Comparison

__all__ = ["atomic_write_bytes", "atomic_write_json", "jsonable", "write_comparison"]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``
    (only over a regular file: ``sim.spec.safe_io.atomic_write``)."""
    atomic_write(path, data)


def jsonable(value: Any) -> Any:
    """``value`` as JSON can hold it: NaN and infinities become null, keys text. The one
    cleaner every JSON the project writes goes through."""
    if isinstance(value, float):
        return None if not math.isfinite(value) else value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def atomic_write_json(path: Path, doc: Any) -> None:
    atomic_write_bytes(path, (json.dumps(jsonable(doc), indent=2) + "\n").encode())


def write_comparison(result: Comparison, folder: str | os.PathLike[str]) -> Path:
    """``incidents.parquet`` (every incident row), ``summary.json``, ``metadata.json``."""
    import io

    from sim import __version__

    out = Path(folder)
    buffer = io.BytesIO()
    result.table.to_parquet(buffer, index=False)
    atomic_write_bytes(out / "incidents.parquet", buffer.getvalue())
    atomic_write_json(out / "summary.json", result.summary)
    atomic_write_json(
        out / "metadata.json",
        {
            "kind": "compare",
            "scenario": result.spec.name,
            "scenario_digest": result.spec.digest,
            "strategies": result.strategies,
            "replications": result.replications,
            "seed": result.seed,
            "version": __version__,
        },
    )
    atomic_write_json(out / "scenario.json", result.spec.model_dump(mode="json", by_alias=True))
    return out
