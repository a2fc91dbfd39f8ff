"""JSON documents the dashboard reads (uploaded or from the results root), checked.

No Streamlit here: tested directly. Parsing goes through ``sim.spec.safe_json``, so
deep nesting, NaN, huge integers and lone surrogates are a message, not a crash.
"""

from __future__ import annotations

from typing import Any

from sim.spec.safe_json import JsonRefused, parse_json

__all__ = ["MAX_TEST_BYTES", "test_results"]

MAX_TEST_BYTES = 5_000_000


def test_results(raw: bytes, origin: str) -> tuple[dict[str, Any] | None, str | None]:
    """A ``gameday test --json`` document from ``raw``: (document, None) or (None, why)."""
    if len(raw) > MAX_TEST_BYTES:
        return None, f"{origin}: larger than {MAX_TEST_BYTES:,} bytes"
    try:
        doc = parse_json(raw)
    except JsonRefused as exc:
        return None, f"{origin}: not JSON ({exc})"
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        return None, f"{origin}: not a `gameday test --json` document"
    return doc, None
