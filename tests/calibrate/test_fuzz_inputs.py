"""Whatever the bytes of an export or the shape of an experiment, the answer is a result
or a clean refusal (``ValueError``: exit 2 with a message), never another exception."""

from __future__ import annotations

import contextlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.calibrate import calibrate
from sim.importers.chaostoolkit import ExperimentError, import_experiment

HEADER = "tinyId,createdAt,report.ackTime,report.closeTime,entity,priority,status\n"
_cell = st.one_of(
    st.sampled_from(
        [
            "",
            "P1",
            "P5",
            "open",
            "closed",
            "0",
            "-5",
            "1e9",
            "nan",
            "inf",
            "2026-03-02T10:00Z",
            "2026-03-02 10:00",
            "31.12.2026 10:00",
            "api",
            "SYN-1",
            '"',
            "a,b",
            "\x00",
        ]
    ),
    st.text(max_size=12),
)
_row = st.lists(_cell, min_size=0, max_size=9).map(",".join)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_row, max_size=12), raw=st.binary(max_size=40))
def test_any_export_is_fitted_or_refused(tmp_path: Path, rows: list[str], raw: bytes) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes((HEADER + "\n".join(rows)).encode("utf-8", "surrogatepass") + raw)
    with contextlib.suppress(ValueError):
        calibrate(path, "opsgenie")


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.floats(allow_nan=False)
    | st.sampled_from(["action", "probe", "kill", "latency", "http", "app=x", ""]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "name",
                    "provider",
                    "arguments",
                    "pauses",
                    "before",
                    "after",
                    "url",
                    "func",
                    "tolerance",
                    "probes",
                    "ref",
                    "label_selector",
                    "background",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(
    method=st.lists(_json, max_size=5),
    hypothesis=_json,
    rollbacks=_json,
)
def test_any_experiment_is_imported_or_refused(
    method: list, hypothesis: object, rollbacks: object
) -> None:
    doc = {
        "title": "t",
        "method": method,
        "steady-state-hypothesis": hypothesis,
        "rollbacks": rollbacks,
    }
    with contextlib.suppress(ExperimentError):
        import_experiment(doc)


SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "exports" / "synthetic-opsgenie.csv"
_LINES = SAMPLE.read_text().splitlines()[:60]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(st.tuples(st.integers(1, 59), st.integers(0, 8), _cell), max_size=8),
    skip=st.booleans(),
)
def test_a_sample_with_odd_cells_is_fitted_or_refused(
    tmp_path: Path, edits: list[tuple[int, int, str]], skip: bool
) -> None:
    """Deeper than random bytes: a real export with a few cells changed goes through the
    cleaning and the fits (odd durations, all-equal samples, unknown severities)."""
    rows = [line.split(",") for line in _LINES]
    for row, col, value in edits:
        rows[row][col] = value.replace("\n", " ").replace("\r", " ")
    path = tmp_path / "export.csv"
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8", errors="surrogatepass")
    try:
        result = calibrate(path, "opsgenie", skip_bad_rows=skip)
    except ValueError:
        return
    assert result.scenario.horizon > 0
