"""Run explorer: one replication's incidents as a timeline, with their records."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from gameday_ui import state, widget_state
from gameday_ui.scenarios import MAX_HORIZON_MINUTES

from sim.engine import run_once
from sim.experiments import replication_seeds
from sim.metrics.measures import statistic
from sim.report import ResultSet, mermaid_to_dot, run_charts, timeline
from sim.response import lifecycle_mermaid
from sim.spec import ScenarioSpec
from sim.spec.clock import clock_day, format_day, format_span

SIMULATE = "Simulate a scenario"
LOADED = "A replication of the loaded results"
MAX_ROWS = 60
ZOOMS = ("Days", "One day", "One incident")


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
        widget_state.follow(
            st.session_state,
            "explorer_folder",
            where,
            {"ex_lstrategy": loaded.strategies[0], "ex_rep": 0},
        )
        strategy = left.selectbox("Strategy", loaded.strategies, key="ex_lstrategy")
        reps = int(loaded.metadata.get("replications") or 1)
        rep = int(right.number_input("Replication", 0, max(0, reps - 1), key="ex_rep"))
        seed = replication_seeds(int(loaded.metadata.get("seed") or 1), reps)[rep]
        st.caption(f"Replication {rep} ran with seed {seed}; re-simulated exactly.")
    else:
        checked, _ = state.scenario_picker("explorer")
        if checked is None or not checked.ok or checked.spec is None:
            return None
        spec = checked.spec
        widget_state.follow(
            st.session_state,
            "explorer_scenario",
            spec.digest,
            {"ex_strategy": next(iter(spec.strategies))},
        )
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


def run_days(spec: ScenarioSpec) -> int:
    """Calendar days a replication touches (a run that ends at midnight ends that day)."""
    return clock_day(max(0.0, spec.horizon - 1e-6), spec.start_hour) + 1


def overlapping(table: pd.DataFrame, start: float, end: float) -> pd.DataFrame:
    """Incidents active at some moment of [start, end] (an open one lasts to the end)."""
    first = table["onset"].fillna(table["detected"])
    last = table["resolved"].fillna(float("inf"))
    return table[(first <= end) & (last >= start)]


def zoom_window(spec: ScenarioSpec, context: str, first_day: int) -> tuple[str, float, float]:
    """The zoom the user picked: (how, start, end) in minutes since the start. Widgets
    whose labels depend on the replication are keyed by it (``context``): a select box
    shows the labels it was made with; ``first_day`` is the day a single-day zoom starts on."""
    days = run_days(spec)
    midnight = -spec.start_hour * 60.0  # day 0 starts at the midnight before minute 0

    def day_label(day: int) -> str:
        return format_day(day, spec.start_day)

    how = st.radio("Zoom", ZOOMS, horizontal=True, key="ex_zoom")
    if how == ZOOMS[0]:
        # A range slider is a range only when given a pair as ``value``, so it follows
        # its replication by key instead (a new key per replication).
        low, high = st.select_slider(
            "Days shown",
            list(range(days)),
            value=(0, min(days, 7) - 1),
            format_func=day_label,
            key=f"ex_window:{context}",
        )
        return how, max(0.0, midnight + low * 1440), min(spec.horizon, midnight + (high + 1) * 1440)
    if how == ZOOMS[1]:
        day = st.selectbox(
            "Day",
            list(range(days)),
            index=min(first_day, days - 1),
            format_func=day_label,
            key=f"ex_day:{context}",
        )
        return how, max(0.0, midnight + day * 1440), min(spec.horizon, midnight + (day + 1) * 1440)
    return how, 0.0, spec.horizon


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
    mttr = statistic(real["ttr"], "mean")
    cols[2].metric("MTTR", format_span(mttr), help=f"mean time to recover: {mttr:,.1f} minutes")
    cols[3].metric("With an error", f"{statistic(real['errors'], 'rate'):.0%}")

    services = sorted(table["service"].unique())
    first = table["onset"].fillna(table["detected"])
    # Every filter belongs to this replication: another scenario, strategy or seed
    # starts them afresh (all services, the first week, the first incident's day).
    widget_state.follow(
        st.session_state,
        "explorer",
        (spec.digest, strategy, seed),
        {
            "ex_services": services,
            "ex_zoom": ZOOMS[0],
            "ex_noise": True,
        },
    )
    left, right = st.columns([3, 1])
    chosen = left.multiselect("Services", services, key="ex_services")
    hide_noise = right.toggle("Hide noise", key="ex_noise")
    replication = f"{spec.digest[:12]}/{strategy}/{seed}"
    how, start, end = zoom_window(spec, replication, clock_day(float(first.min()), spec.start_hour))
    if not chosen:
        st.info("No service selected: pick at least one under **Services** to see its incidents.")
        return
    picked = table[table["service"].isin(chosen)]
    if hide_noise:
        picked = picked[~picked["noise"].astype(bool)]
    candidates = picked if how == ZOOMS[2] else overlapping(picked, start, end)
    if candidates.empty:
        where = f"between {spec.clock(start)} and {spec.clock(end)}" if how != ZOOMS[2] else ""
        st.info(
            f"No incidents {where} for the services picked"
            f"{' (noise hidden)' if hide_noise else ''}; the replication has "
            f"{len(picked):,} of them in all. Widen the zoom or pick more services."
        )
        return
    labels = {
        int(r["incident"]): f"#{int(r['incident'])} {spec.clock(float(f))} {r['service']} "
        f"{r['severity']} ({r['fault_kind'] or 'noise'})"
        for (_, r), f in zip(candidates.iterrows(), first[candidates.index], strict=True)
    }
    # Keyed by the replication (a select box shows the labels it was made with) and
    # never left on an incident the filters hide.
    key = f"ex_incident:{replication}"
    if st.session_state.get(key) not in labels:
        st.session_state[key] = next(iter(labels))
    incident = st.selectbox("Incident", list(labels), format_func=labels.__getitem__, key=key)
    row = candidates[candidates["incident"] == incident].iloc[0]
    if how == ZOOMS[2]:
        shown = candidates[candidates["incident"] == incident]
        begin = float(first[row.name])
        finish = float(row["resolved"]) if pd.notna(row["resolved"]) else spec.horizon
        pad = max(5.0, (finish - begin) * 0.08)
        start, end = max(0.0, begin - pad), min(spec.horizon, finish + pad)
    elif len(candidates) > MAX_ROWS:
        st.caption(f"Showing the first {MAX_ROWS} of {len(candidates)} incidents; zoom in.")
        shown = candidates.loc[first[candidates.index].nsmallest(MAX_ROWS).index]
    else:
        shown = candidates
    phases = timeline.phases(shown, spec.start_hour, spec.start_day)
    window = (
        timeline.clock_ms(start, spec.start_hour, spec.start_day),
        timeline.clock_ms(end, spec.start_hour, spec.start_day),
    )
    if how == ZOOMS[2]:
        span = f"{spec.clock(start)} to {spec.clock(end)}"
    else:  # whole days: name them, not their midnights
        first_day = clock_day(start, spec.start_hour)
        last_day = clock_day(max(start, end - 1e-6), spec.start_hour)
        span = format_day(first_day, spec.start_day)
        if last_day != first_day:
            span += f" to {format_day(last_day, spec.start_day)}"
    title = f"{spec.name} — {strategy}, seed {seed}: {span}"
    state.altair(run_charts.timeline_chart(phases, title=title, window_ms=window))
    with st.expander("Alerts in this window"):
        alerts = timeline.alerts(events, start=start, end=end)
        st.dataframe(
            timeline.as_clock(alerts, ["t", "fired_at"], spec.clock).rename(
                columns={"t": "delivered", "fired_at": "fired"}
            ),
            hide_index=True,
        )
    milestones = ("onset", "detected", "acknowledged", "mitigated", "resolved")
    st.caption(
        " · ".join(
            f"{name} {spec.clock(float(row[name]))}" for name in milestones if pd.notna(row[name])
        )
        + f"; time to recover {format_span(row['ttr'])}"
    )
    tabs = st.tabs(["Lifecycle audit log", "Runbook journal", "State diagram"])
    with tabs[0]:
        audit = timeline.audit_log(events, incident)
        st.table(timeline.as_clock(audit, ["t"], seconds_clock(spec)).rename(columns={"t": "time"}))
    with tabs[1]:
        journal = timeline.runbook_journal(events, incident)
        if journal.empty:
            st.caption("No runbook ran for this incident.")
        else:
            shown_journal = timeline.as_clock(journal, ["started", "ended"], seconds_clock(spec))
            shown_journal["attempt"] = [
                "" if pd.isna(a) else str(int(a)) for a in journal["attempt"]
            ]
            st.table(shown_journal)
    with tabs[2]:
        lifecycle(events, incident)


def seconds_clock(spec: ScenarioSpec) -> Any:
    """The scenario's clock with seconds (``Tue 14:02:30``): log entries a minute apart."""
    return lambda minutes: spec.clock(minutes, seconds=True)


loaded = state.sidebar()
st.title("Run explorer")
state.prose("explorer_intro")
picked = pick(loaded)
if picked is not None:
    explore(*picked)
