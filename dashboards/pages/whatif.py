"""What-if: turn knobs for one strategy, compare with the scenario as written."""

from __future__ import annotations

from typing import Any

import streamlit as st
from gameday_ui import knobs as knob_model
from gameday_ui import state, widget_state
from gameday_ui.experiments import job_key, whatif_job

from sim.report import ResultSet, charts, run_charts, sweep_axes, whatif
from sim.spec import ScenarioSpec

MAX_WHATIF_REPLICATIONS = 50


def knobs(spec: ScenarioSpec, strategy: str, text_digest: str) -> dict[str, Any]:
    """The controls, each starting from ``strategy`` as written; returns their values
    (knob -> control value). They reset when the scenario or the strategy changes."""
    written = knob_model.written_values(spec, strategy)
    defaults = {f"wi_{knob}": value for knob, value in written.items()}
    defaults["wi_fixdelay"] = False
    defaults["wi_delay_minutes"] = 2
    widget_state.follow(st.session_state, "whatif_knobs", (text_digest, strategy), defaults)
    values: dict[str, Any] = {}
    columns = st.columns(2)
    for control in knob_model.CONTROLS:
        where = columns[0 if control.widget == "slider" else 1]
        key = f"wi_{control.knob}"
        if control.widget == "slider":
            low, high, step = control.bounds(spec)
            values[control.knob] = where.slider(
                control.label, low, high, step=step, key=key, help=control.help
            )
        elif control.widget == "toggle":
            values[control.knob] = where.toggle(control.label, key=key, help=control.help)
        else:  # a fixed delay replaces each rule's own, only when switched on
            fixed = where.toggle(control.label.split(" (")[0], key="wi_fixdelay", help=control.help)
            low, high, step = control.bounds(spec)
            minutes = where.slider(
                "Detection delay (minutes)",
                low,
                high,
                step=step,
                disabled=not fixed,
                key="wi_delay_minutes",
            )
            values[control.knob] = minutes if fixed else None
    return values


def moved_note(spec: ScenarioSpec, strategy: str, values: dict[str, Any]) -> None:
    """Which knobs differ from the strategy as written (or that none does)."""
    lines = knob_model.describe(spec, strategy, values)
    if lines:
        st.markdown(
            f"**Knobs that differ from `{strategy}` as written:**\n"
            + "\n".join(f"- {line}" for line in lines)
        )
    else:
        st.info(f"No knob moved: the what-if is `{strategy}` as written.")


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
    state.altair(run_charts.whatif_chart(frame, strategies, outcome.strategy))
    diff = frame[frame["side"] == "difference"].set_index("measure")
    cols = st.columns(len(diff))
    for col, (measure, row) in zip(cols, diff.iterrows(), strict=True):
        pct = row["unit"] == "share"
        base = frame[(frame["measure"] == measure) & (frame["side"] == "what-if")].iloc[0]
        value = f"{base['value']:.1%}" if pct else f"{base['value']:,.1f} min"
        delta = f"{row['value'] * 100:+.1f} pp" if pct else f"{row['value']:+,.1f} min"
        col.metric(
            measure,
            value,
            delta if row["value"] else None,
            delta_color="inverse",
            help=f"what-if − baseline, 95% CI [{row['lo']:+,.3g}, {row['hi']:+,.3g}]",
        )
    if (diff["value"] == 0).all() and (diff["lo"] == 0).all() and (diff["hi"] == 0).all():
        st.success(
            f"Every difference is exactly 0: the what-if ran `{outcome.strategy}` as written "
            "on the same seeds as the baseline."
        )
    shown = frame.copy()
    share = shown["unit"] == "share"
    shown.loc[share, ["value", "lo", "hi"]] *= 100
    shown.loc[share, "unit"] = "%"
    shown.loc[share & (shown["side"] == "difference"), "unit"] = "pp"
    st.dataframe(
        shown.style.format(precision=1, na_rep="—"),
        hide_index=True,
        height=35 * (len(shown) + 1) + 3,
    )


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
    names = list(spec.strategies)
    days_max = max(1, min(365, int(spec.horizon // 1440)))
    widget_state.follow(
        st.session_state,
        "whatif_scenario",
        text_digest,
        {"wi_strategy": names[0], "wi_days": min(days_max, 60)},
    )
    strategy = st.selectbox("Strategy", names, key="wi_strategy")
    values = knobs(spec, strategy, text_digest)
    changes = knob_model.moved(spec, strategy, values)
    moved_note(spec, strategy, values)
    left, mid, right = st.columns(3)
    n = int(left.number_input("Replications", 2, MAX_WHATIF_REPLICATIONS, 6, key="wi_n"))
    days = int(mid.number_input("Simulated days per replication", 1, days_max, key="wi_days"))
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
        show(job.result, names, n, seed)
    else:
        st.caption("Press **Run what-if**: results are cached per knob setting.")
if loaded is not None and loaded.kind == "sweep":
    sweep(loaded)
else:
    st.caption(
        "Load a sweep folder (`gameday sweep ... --out DIR`) in the sidebar to see "
        "MTTR against the swept knob."
    )
