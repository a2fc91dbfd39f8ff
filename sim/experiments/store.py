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

__all__ = ["atomic_write_bytes", "atomic_write_json", "write_comparison"]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``
    (only over a regular file: ``sim.spec.safe_io.atomic_write``)."""
    atomic_write(path, data)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def atomic_write_json(path: Path, doc: Any) -> None:
    atomic_write_bytes(path, (json.dumps(_clean(doc), indent=2) + "\n").encode())


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
