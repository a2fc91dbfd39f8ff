"""Compare: run strategies side by side (or load a results folder) and read the result."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import streamlit as st
from gameday_ui import state, widget_state
from gameday_ui.experiments import comparison_job, job_key
from gameday_ui.scenarios import MAX_REPLICATIONS

from sim.report import ResultSet, charts, from_comparison, query, tables

RUN = "Run a comparison"
FOLDER = "Loaded results folder"


def run_panel() -> ResultSet | None:
    """Scenario, strategies, N and seed; a Run button; the result when it is done."""
    checked, text_digest = state.scenario_picker("compare")
    spec = checked.spec if checked is not None and checked.ok else None
    known = list(spec.strategies) if spec else []
    # Another scenario (or upload) brings its own strategies, all of them picked.
    widget_state.follow(st.session_state, "compare", text_digest, {"compare_strategies": known})
    strategies = st.multiselect(
        "Strategies (the first is the baseline)",
        known,
        disabled=spec is None,
        key="compare_strategies",
    )
    if spec is not None and not strategies:
        st.warning("Pick at least one strategy to run (two or more to compare them).")
    left, right = st.columns(2)
    n = int(left.number_input("Replications per strategy", 2, MAX_REPLICATIONS, 10, step=1))
    seed = int(right.number_input("Seed", 0, 2**31 - 1, 1, step=1))
    key = job_key("compare", text_digest, strategies=strategies, n=n, seed=seed)
    registry = state.registry()
    invalid = spec is None or not strategies
    if st.button("Run", type="primary", disabled=invalid, key="compare_run"):
        assert spec is not None
        registry.submit(
            key, f"{spec.name}", n * len(strategies), comparison_job(spec, strategies, n, seed)
        )
    state.prose("limits")
    job = registry.get(key)
    if job is None:
        return None
    if not job.done:
        state.job_progress(job)
        return None
    if job.error:
        st.error(f"The comparison failed:\n\n```\n{job.error}\n```")
        return None
    st.success(f"Done: {job.total} replications in {job.elapsed:,.1f} s.")
    results = from_comparison(job.result)
    results.metadata["job_key"] = key
    return results


def distribution(results: ResultSet, key: str) -> None:
    order = tuple(results.strategies)
    log = st.toggle("Log-scale time axis", value=True, key="compare_log")
    hist = state.cached_histogram(key, results.incidents, order)
    state.altair(charts.histogram_chart(hist, order, log=log))
    which = st.radio("ECDF of", ["TTR", "TTD", "TTA"], horizontal=True, key="compare_ecdf")
    ecdf = state.cached_ecdf(key, results.incidents, order, which.lower())
    state.altair(charts.ecdf_chart(ecdf, order, log=log, what=which))


def statistics(results: ResultSet) -> None:
    summary = results.summary or {}
    order = results.strategies
    stats = tables.stat_table(summary, order)
    state.altair(charts.ttr_stats_chart(stats, order))
    state.altair(charts.error_rate_chart(tables.error_rates(summary, order), order))
    state.altair(charts.milestone_chart(tables.milestones(summary, order), order))


def work_and_cost(results: ResultSet) -> None:
    summary = results.summary or {}
    order = results.strategies
    work = tables.workload(summary, order)
    state.altair(charts.human_minutes_chart(work, order))
    cost = tables.cost_table(summary, results.coverage(), order)
    state.altair(charts.cost_chart(cost, order, results.currency))
    shown = cost.set_index("strategy").rename(columns=tables.COST_LABELS)
    # st.table, not st.dataframe: the grid shows a missing number as "None" whatever na_rep.
    st.table(shown.style.format(precision=0, thousands=",", na_rep="—"))
    st.caption(
        "Saving per point = (baseline cost − strategy cost) / (coverage difference in "
        "percentage points), per replication (one simulated horizon)."
    )


def paired_and_power(results: ResultSet) -> None:
    summary = results.summary or {}
    paired = tables.paired_table(summary)
    if paired.empty:
        st.info("Pick at least two strategies for paired differences.")
        return
    state.altair(charts.paired_chart(paired, results.strategies))
    verdicts = tables.power_verdicts(summary)
    for verdict in verdicts["verdict"]:
        st.markdown(f"- {verdict}")
    shown = verdicts.drop(columns=["verdict"]).set_index("strategy")
    st.table(
        shown.rename(columns=tables.POWER_LABELS).style.format(
            precision=2, thousands=",", na_rep="—"
        )
    )
    st.caption(
        "Incidents needed per strategy (two-sided t-test on log TTR, 5% level, 80% "
        "power) for the observed gain and for 10/25/50% gains in the geometric mean."
    )


def downloads(results: ResultSet, key: str) -> None:
    counts = state.cached_counts(key, results.incidents)
    order = {name: i for i, name in enumerate(results.strategies)}
    counts = counts.sort_values("strategy", key=lambda col: col.map(order))
    st.dataframe(counts.style.format(thousands=","), hide_index=True)
    source = results.incidents

    def parquet() -> bytes:
        if isinstance(source, Path):
            return source.read_bytes()
        buffer = io.BytesIO()
        source.to_parquet(buffer, index=False)  # type: ignore[union-attr]
        return buffer.getvalue()

    def csv() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            return query.write_csv(source, Path(tmp) / "incidents.csv").read_bytes()  # type: ignore[arg-type]

    name = results.name
    cols = st.columns(3)
    cols[0].download_button(
        "Incidents (Parquet)",
        parquet,
        f"{name}-incidents.parquet",
        mime="application/octet-stream",
        on_click="ignore",
    )
    cols[1].download_button(
        "Incidents (CSV)", csv, f"{name}-incidents.csv", mime="text/csv", on_click="ignore"
    )
    cols[2].download_button(
        "Summary (JSON)",
        json.dumps(results.summary, indent=2, default=str),
        f"{name}-summary.json",
        mime="application/json",
        on_click="ignore",
    )


def show(results: ResultSet) -> None:
    key = state.source_key(results)
    meta = results.metadata
    st.subheader(f"{results.name}: {', '.join(results.strategies)}")
    st.caption(
        f"{meta.get('replications', '?')} replications per strategy, seed "
        f"{meta.get('seed', '?')}; durations in minutes, costs in {results.currency}, 95% CIs. "
        "MTTR rows count mitigated incidents only; Kaplan–Meier rows also count those "
        "still open at the horizon (censored)."
    )
    st.table(tables.overview(results.summary or {}, results.strategies))
    tabs = st.tabs(["Distribution", "Statistics", "Work & cost", "Paired & power", "Data"])
    with tabs[0]:
        distribution(results, key)
    with tabs[1]:
        statistics(results)
    with tabs[2]:
        work_and_cost(results)
    with tabs[3]:
        paired_and_power(results)
    with tabs[4]:
        downloads(results, key)


loaded = state.sidebar()
st.title("Compare strategies")
state.prose("compare_intro")
choices = [RUN] + ([FOLDER] if loaded is not None and loaded.kind == "compare" else [])
# Keyed by the folder: picking another folder shows it (a fresh radio, default "folder").
where = str(loaded.root) if loaded is not None else ""
source = st.radio(
    "Source", choices, index=len(choices) - 1, horizontal=True, key=f"compare_source:{where}"
)
if source == FOLDER:
    show(loaded)
else:
    ran = run_panel()
    if ran is not None:
        show(ran)
