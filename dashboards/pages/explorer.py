"""Run explorer: one replication's incidents as a timeline, with their records."""

from __future__ import annotations

from typing import Any

import streamlit as st
from gameday_ui import state
from gameday_ui.scenarios import MAX_HORIZON_MINUTES

from sim.engine import run_once
from sim.experiments import replication_seeds
from sim.metrics.measures import statistic
from sim.report import ResultSet, charts, mermaid_to_dot, timeline
from sim.response import lifecycle_mermaid
from sim.spec import ScenarioSpec

SIMULATE = "Simulate a scenario"
LOADED = "A replication of the loaded results"
MAX_ROWS = 60


@st.cache_data(show_spinner="Simulating one replication…", max_entries=16)
def simulate(spec_digest: str, _spec: ScenarioSpec, strategy: str, seed: int) -> list[Any]:
    """The event log of (scenario, strategy, seed): a pure function, so cached by digest."""
    result = run_once(_spec, strategy, seed)
    if result.error:
        st.warning(f"The replication stopped early:\n\n```\n{result.error}\n```")
    return list(result.events)


@st.cache_data(show_spinner=False, max_entries=8)
def scenario_of(key: str, data: dict[str, Any]) -> ScenarioSpec:
    return ScenarioSpec.model_validate(data)


def pick(loaded: ResultSet | None) -> tuple[ScenarioSpec, str, int] | None:
    usable = loaded is not None and loaded.kind == "compare" and loaded.scenario
    choices = [SIMULATE] + ([LOADED] if usable else [])
    where = str(loaded.root) if usable else ""
    source = st.radio(
        "Source", choices, index=len(choices) - 1, horizontal=True, key=f"ex_source:{where}"
    )
    if source == LOADED:
        left, right = st.columns(2)
        spec = scenario_of(state.source_key(loaded), loaded.scenario)
        strategy = left.selectbox("Strategy", loaded.strategies, key="ex_lstrategy")
        reps = int(loaded.metadata.get("replications") or 1)
        rep = int(right.number_input("Replication", 0, max(0, reps - 1), 0, key="ex_rep"))
        seed = replication_seeds(int(loaded.metadata.get("seed") or 1), reps)[rep]
        st.caption(f"Replication {rep} ran with seed {seed}; re-simulated exactly.")
    else:
        checked, _ = state.scenario_picker("explorer")
        if checked is None or not checked.ok or checked.spec is None:
            return None
        spec = checked.spec
        left, right = st.columns(2)
        strategy = left.selectbox("Strategy", list(spec.strategies), key="ex_strategy")
        seed = int(right.number_input("Seed", 0, 2**31 - 1, 1, key="ex_seed"))
    if spec.horizon > MAX_HORIZON_MINUTES:
        st.error("This scenario's horizon is above the dashboard's 365-day limit.")
        return None
    return spec, strategy, seed


def lifecycle(events: list[Any], incident: int) -> None:
    text = lifecycle_mermaid()
    visited = timeline.visited_transitions(events, incident)
    st.graphviz_chart(mermaid_to_dot(text, highlight=visited))
    with st.expander("Mermaid source"):
        st.code(text, language="text")


def explore(spec: ScenarioSpec, strategy: str, seed: int) -> None:
    events = simulate(spec.digest, spec, strategy, seed)
    table = timeline.incidents(events)
    if table.empty:
        st.info("No incidents in this replication.")
        return
    real = table[~table["noise"].astype(bool)]
    cols = st.columns(4)
    cols[0].metric("Incidents", f"{len(real):,}", help="real incidents (noise excluded)")
    cols[1].metric("Noise pages", f"{len(table) - len(real):,}")
    cols[2].metric("MTTR (minutes)", f"{statistic(real['ttr'], 'mean'):,.1f}")
    cols[3].metric("With an error", f"{statistic(real['errors'], 'rate'):.0%}")

    days = max(1, int(spec.horizon // 1440))
    left, right = st.columns([2, 1])
    window = left.slider("Days shown", 0, days, (0, min(days, 7)), key="ex_window")
    hide_noise = right.toggle("Hide noise", value=True, key="ex_noise")
    services = sorted(table["service"].unique())
    chosen = st.multiselect("Services", services, default=services, key="ex_services")
    start, end = window[0] * 1440.0, window[1] * 1440.0
    first = table["onset"].fillna(table["detected"])
    shown = table[(first >= start) & (first <= end) & table["service"].isin(chosen)]
    if hide_noise:
        shown = shown[~shown["noise"].astype(bool)]
    if len(shown) > MAX_ROWS:
        st.caption(f"Showing the first {MAX_ROWS} of {len(shown)} incidents; narrow the window.")
        shown = shown.nsmallest(MAX_ROWS, "detected")
    phases = timeline.phases(shown)
    if phases.empty:
        st.info("No incidents in this window.")
        return
    state.altair(charts.timeline_chart(phases, title=f"{spec.name} — {strategy}, seed {seed}"))
    with st.expander("Alerts in this window"):
        st.dataframe(timeline.alerts(events, start=start, end=end), hide_index=True)

    labels = {
        int(r["incident"]): f"#{int(r['incident'])} {r['service']} {r['severity']} "
        f"({r['fault_kind'] or 'noise'})"
        for _, r in shown.iterrows()
    }
    incident = st.selectbox(
        "Incident", list(labels), format_func=labels.__getitem__, key="ex_incident"
    )
    row = shown[shown["incident"] == incident].iloc[0]
    st.caption(
        f"onset {row['onset']:,.1f} · detected {row['detected']:,.1f} · acknowledged "
        f"{row['acknowledged']:,.1f} · mitigated {row['mitigated']:,.1f} · resolved "
        f"{row['resolved']:,.1f} (minutes since start); TTR {row['ttr']:,.1f} min"
    )
    tabs = st.tabs(["Lifecycle audit log", "Runbook journal", "State diagram"])
    with tabs[0]:
        st.dataframe(timeline.audit_log(events, incident), hide_index=True)
    with tabs[1]:
        st.dataframe(timeline.runbook_journal(events, incident), hide_index=True)
    with tabs[2]:
        lifecycle(events, incident)


loaded = state.sidebar()
st.title("Run explorer")
state.prose("explorer_intro")
picked = pick(loaded)
if picked is not None:
    explore(*picked)
