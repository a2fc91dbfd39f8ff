"""What-if: turn knobs for one strategy, compare with the scenario as written."""

from __future__ import annotations

from typing import Any

import streamlit as st
from gameday_ui import state
from gameday_ui.experiments import job_key, whatif_job

from sim.report import ResultSet, charts, sweep_axes, whatif
from sim.spec import ScenarioSpec

MAX_WHATIF_REPLICATIONS = 50


def knobs(spec: ScenarioSpec, strategy: str) -> dict[str, Any]:
    """The sliders; returns only the knobs moved away from the scenario as written."""
    written = spec.strategies[strategy]
    roster = spec.responders.roster
    others = sum(entry.count for entry in roster[1:])
    left, right = st.columns(2)
    coverage = left.slider(
        "Automation coverage (%)",
        0,
        100,
        round(written.automation_coverage * 100),
        step=5,
        key="wi_cov",
    )
    responders = left.slider(
        "Responders (people on the roster)",
        others + 1,
        max(others + 12, spec.responders.size + 4),
        spec.responders.size,
        key="wi_resp",
    )
    ack = left.slider(
        "Acknowledgement time (× as written)", 0.25, 3.0, 1.0, step=0.25, key="wi_ack"
    )
    fixed_delay = right.toggle("Fixed detection delay for every alert rule", key="wi_fixdelay")
    delay = right.slider(
        "Detection delay (minutes)", 0, 30, 2, disabled=not fixed_delay, key="wi_delay"
    )
    auto = right.toggle(
        "Auto remediation (alerts start runbooks)", value=written.auto_remediation, key="wi_auto"
    )
    changes: dict[str, Any] = {}
    if coverage != round(written.automation_coverage * 100):
        changes["automation_coverage"] = coverage / 100
    if responders != spec.responders.size:
        changes["responders"] = responders
    if ack != 1.0:
        changes["ack_scale"] = ack
    if fixed_delay:
        changes["detection_delay"] = float(delay)
    if auto != written.auto_remediation:
        changes["auto_remediation"] = auto
    return changes


def show(outcome: Any, strategies: list[str], n: int, seed: int) -> None:
    frame = whatif.whatif_table(
        outcome.baseline.summary,
        outcome.variant.summary,
        outcome.baseline.table,
        outcome.variant.table,
        strategy=outcome.strategy,
        n=n,
        seed=seed,
    )
    state.altair(charts.whatif_chart(frame, strategies, outcome.strategy))
    diff = frame[frame["side"] == "difference"].set_index("measure")
    cols = st.columns(len(diff))
    for col, (measure, row) in zip(cols, diff.iterrows(), strict=True):
        pct = row["unit"] == "share"
        base = frame[(frame["measure"] == measure) & (frame["side"] == "what-if")].iloc[0]
        value = f"{base['value']:.1%}" if pct else f"{base['value']:,.1f} min"
        delta = f"{row['value'] * 100:+.1f} pts" if pct else f"{row['value']:+,.1f} min"
        col.metric(
            measure,
            value,
            delta if row["value"] else None,
            delta_color="inverse",
            help=f"what-if − baseline, 95% CI [{row['lo']:+,.3g}, {row['hi']:+,.3g}]",
        )
    shown = frame.copy()
    share = shown["unit"] == "share"
    shown.loc[share, ["value", "lo", "hi"]] *= 100
    shown.loc[share, "unit"] = "%"
    shown.loc[share & (shown["side"] == "difference"), "unit"] = "points"
    st.dataframe(
        shown.style.format(precision=1, na_rep="—"),
        hide_index=True,
        height=35 * (len(shown) + 1) + 3,
    )
    if not outcome.changes:
        st.info("No knob moved: the what-if is the scenario as written.")


def sweep(results_set: ResultSet) -> None:
    st.subheader(f"Sweep: {results_set.name}")
    x, others = sweep_axes(results_set)
    if x is None:
        st.info("This sweep has no grid to plot.")
        return
    curves = state.cached_sweep_curves(
        state.source_key(results_set), results_set.incidents, tuple(results_set.grid)
    )
    for knob in others:
        value = st.selectbox(knob, results_set.grid[knob], key=f"sweep_{knob}")
        curves = curves[curves[knob] == value]
    order = results_set.strategies or list(dict.fromkeys(curves["strategy"]))
    curves = curves.sort_values(x)
    state.altair(charts.sweep_mttr_chart(curves, order, x))
    state.altair(charts.sweep_error_rate_chart(curves, order, x))


loaded = state.sidebar()
st.title("What-if")
state.prose("whatif_intro")
checked, text_digest = state.scenario_picker("whatif")
spec = checked.spec if checked is not None and checked.ok else None
if spec is not None:
    strategy = st.selectbox("Strategy", list(spec.strategies), key="wi_strategy")
    changes = knobs(spec, strategy)
    days_max = max(1, min(365, int(spec.horizon // 1440)))
    left, mid, right = st.columns(3)
    n = int(left.number_input("Replications", 2, MAX_WHATIF_REPLICATIONS, 6, key="wi_n"))
    days = int(
        mid.number_input(
            "Simulated days per replication", 1, days_max, min(days_max, 60), key="wi_days"
        )
    )
    seed = int(right.number_input("Seed", 0, 2**31 - 1, 1, key="wi_seed"))
    key = job_key(
        "whatif", text_digest, strategy=strategy, changes=changes, n=n, seed=seed, days=days
    )
    registry = state.registry()
    if st.button("Run what-if", type="primary", key="wi_run"):
        registry.submit(
            key,
            f"{spec.name} / {strategy}",
            2 * n,
            whatif_job(spec, strategy, changes, n, seed, days * 1440.0),
        )
    job = registry.get(key)
    if job is not None and not job.done:
        state.job_progress(job)
    elif job is not None and job.error:
        st.error(f"The what-if run failed:\n\n```\n{job.error}\n```")
    elif job is not None:
        show(job.result, list(spec.strategies), n, seed)
    else:
        st.caption("Press **Run what-if**: results are cached per knob setting.")
if loaded is not None and loaded.kind == "sweep":
    sweep(loaded)
else:
    st.caption(
        "Load a sweep folder (`gameday sweep ... --out DIR`) in the sidebar to see "
        "MTTR against the swept knob."
    )
