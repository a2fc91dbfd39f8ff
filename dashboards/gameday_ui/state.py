"""Streamlit glue shared by the pages: the results folder, the job registry, the
scenario picker and cached queries. Pages call these; the logic lives in ``sim.report``
and the plain modules beside this one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from sim.report import (
    RESULTS_DIR_ENV,
    ResultsError,
    ResultSet,
    find_result_sets,
    open_results,
    query,
)

from .jobs import Job, JobRegistry
from .scenarios import (
    MAX_UPLOAD_BYTES,
    Checked,
    check_text,
    digest,
    shipped_folder,
    shipped_scenarios,
)

__all__ = [
    "altair",
    "cached_counts",
    "cached_ecdf",
    "cached_histogram",
    "cached_sweep_curves",
    "job_progress",
    "prose",
    "registry",
    "results_root",
    "scenario_picker",
    "selected_results",
    "show_diagnostics",
    "sidebar",
    "source_key",
]

TEXT = Path(__file__).parent / "text"
UPLOAD = "Upload a scenario YAML…"


def altair(chart: Any) -> None:
    """Show a chart at the size its spec asks for.

    Streamlit fits a single (non-facet) chart into its own box and squashes a short one;
    ``autosize: pad`` makes the spec's width and height the plot's, as in the report.
    """
    if not isinstance(chart, alt.FacetChart):
        chart = chart.properties(autosize=alt.AutoSizeParams(type="pad"))
    st.altair_chart(chart, width="content")


def prose(name: str) -> None:
    """Render ``text/<name>.md`` (prose lives in Markdown files, not in code)."""
    st.markdown((TEXT / f"{name}.md").read_text(encoding="utf-8"))


@st.cache_resource
def registry() -> JobRegistry:
    """The one job registry of this server process."""
    return JobRegistry()


def results_root() -> Path:
    """The results folder chosen at start (``gameday dashboard DIR``), default ./results."""
    return Path(os.environ.get(RESULTS_DIR_ENV) or "results")


@st.cache_data(show_spinner=False, ttl=30)
def _result_sets(root: str) -> list[str]:
    return [str(p) for p in find_result_sets(root)]


def selected_results() -> ResultSet | None:
    """The result set picked in the sidebar (only folders inside the results root)."""
    root = results_root()
    options = _result_sets(str(root))
    if not options:
        st.sidebar.caption(f"No results folders under `{root}`.")
        return None

    def label(path: str) -> str:
        rel = os.path.relpath(path, root)
        return root.name if rel == "." else rel

    by_label = {label(p): p for p in options}
    choice = st.sidebar.selectbox(
        "Results folder",
        list(by_label),
        key="results_folder",
        help=f"Result sets found under {root} (compare or sweep folders).",
    )
    if choice is None:
        return None
    try:
        return open_results(by_label[choice])
    except ResultsError as exc:
        st.sidebar.error(str(exc))
        return None


def sidebar() -> ResultSet | None:
    """The sidebar every page shows; returns the result set picked there."""
    st.sidebar.markdown("**gameday** — incident response, simulated")
    results = selected_results()
    st.sidebar.caption(f"Results root: `{results_root()}`")
    return results


def source_key(results: ResultSet) -> str:
    """A cache key naming a result set's incident rows (path + modification time)."""
    if results.root is not None:
        stamp = max(
            (p.stat().st_mtime_ns for p in results.root.glob("*") if p.is_file()), default=0
        )
        return f"{results.root.resolve()}@{stamp}"
    return str(results.metadata.get("job_key") or id(results.incidents))


@st.cache_data(show_spinner=False, max_entries=64)
def cached_histogram(key: str, _source: Any, strategies: tuple[str, ...]) -> pd.DataFrame:
    return query.ttr_histogram(_source, strategies)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_ecdf(key: str, _source: Any, strategies: tuple[str, ...], column: str) -> pd.DataFrame:
    return query.ttr_ecdf(_source, strategies, column=column)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_counts(key: str, _source: Any) -> pd.DataFrame:
    return query.incident_counts(_source)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_sweep_curves(key: str, _source: Any, params: tuple[str, ...]) -> pd.DataFrame:
    return query.sweep_curves(_source, params)


@st.cache_data(show_spinner=False, max_entries=32)
def _check(text: bytes, name: str, folder: str = "") -> Checked:
    return check_text(text, name, folder)


def show_diagnostics(checked: Checked) -> None:
    """Every problem, one per line, as ``file:line:col: message [rule]``."""
    if checked.errors:
        st.error(
            f"**{checked.name}** has {len(checked.errors)} problem(s); fix them to run:\n\n"
            + "\n".join(f"- `{line}`" for line in checked.lines())
        )
    elif checked.diagnostics:
        st.warning("\n".join(f"- `{line}`" for line in checked.lines()))


def scenario_picker(key: str) -> tuple[Checked | None, str]:
    """Pick a shipped scenario or upload one; returns (checked scenario, text digest)."""
    shipped = shipped_scenarios()
    names = [*shipped, UPLOAD]
    default = names.index("seed-benchmark") if "seed-benchmark" in names else 0
    choice = st.selectbox("Scenario", names, index=default, key=f"{key}_scenario")
    if choice == UPLOAD:
        upload = st.file_uploader(
            f"Scenario YAML (at most {MAX_UPLOAD_BYTES // 1024} KB)",
            type=["yaml", "yml"],
            key=f"{key}_upload",
            help="Relative runbook/triage references resolve against the shipped "
            "scenarios/ folder (../runbooks, triage/standard.yaml); inline documents work too.",
        )
        if upload is None:
            st.info("Upload a scenario file to continue.")
            return None, ""
        raw = upload.getvalue()
        checked = _check(raw, upload.name)
        text_digest = digest(raw.decode("utf-8", "replace"))
    else:
        raw = shipped[choice].read_bytes()
        checked = _check(raw, shipped[choice].name, shipped_folder(shipped[choice]))
        text_digest = digest(raw.decode("utf-8"))
    show_diagnostics(checked)
    return checked, text_digest


def job_progress(job: Job) -> None:
    """A progress bar that refreshes itself until the job ends, then reruns the page."""

    @st.fragment(run_every=0.7)
    def _poll() -> None:
        if job.done:
            st.rerun()
        st.progress(
            job.fraction,
            text=f"{job.label}: {job.done_units}/{job.total} replications, {job.elapsed:,.0f} s",
        )

    _poll()
