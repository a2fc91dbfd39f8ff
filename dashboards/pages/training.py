"""Training: play the responder in a training scenario, then read the debrief.

The page is a face of ``sim.training`` (the terminal's ``gameday train`` is the other):
every button is a command of the session, every number shown comes from the session's
observation or debrief. Each command is saved in the training store at once, and the
session's id is in the page's URL, so a refreshed browser resumes where it stopped.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import streamlit as st
from gameday_ui import state
from gameday_ui.scenarios import load_shipped, shipped_scenarios

from sim.report import training_charts
from sim.spec import SEVERITIES
from sim.training import (
    STORE_ENV,
    CommandError,
    Debrief,
    Observation,
    Session,
    TrainingStore,
    debrief,
    observe,
    postmortem,
)
from sim.training.views import HISTORY_MINUTES, HISTORY_STEP

KEY = "training"  # st.session_state[KEY] = (session id, Session)


def store() -> TrainingStore:
    return TrainingStore(os.environ.get(STORE_ENV) or state.results_root() / "training.sqlite")


def training_scenarios() -> dict[str, Path]:
    found = {}
    for name, path in shipped_scenarios().items():
        if "/" in name:
            continue  # training scenarios live at the top; loading the library is slow
        spec = load_shipped(name).spec
        if spec is not None and spec.training is not None:
            found[name] = path
    return found


def current() -> tuple[str, Session] | None:
    """The session of this browser tab: in memory, else rebuilt from the URL's id."""
    held = st.session_state.get(KEY)
    sid = st.query_params.get("session")
    if held is not None and (sid is None or held[0] == sid):
        return held  # type: ignore[no-any-return]
    if sid is None:
        return None
    row = store().row(sid)
    spec = load_shipped(row.scenario).spec if row is not None else None
    if row is None or spec is None:
        st.warning(f"No training session {sid!r} here.")
        return None
    st.session_state[KEY] = (sid, store().load(sid, spec))
    return st.session_state[KEY]  # type: ignore[no-any-return]


def start(name: str, seed: int, player: str) -> None:
    spec = load_shipped(name).spec
    assert spec is not None
    session = Session(spec, seed)
    found = store().unfinished(spec.name, seed, session.role, player)
    sid = found or store().create(session, player)
    if found:
        session = store().load(found, spec)
    st.session_state[KEY] = (sid, session)
    st.session_state.pop("training_debrief", None)
    st.query_params["session"] = sid


def act(line: str) -> None:
    """A button's command: applied, saved, and the outcome shown on the next run."""
    held = st.session_state.get(KEY)
    if held is None or not line.strip():
        return
    sid, session = held
    try:
        session.act(line)
    except CommandError as exc:
        st.session_state["training_error"] = str(exc)
        return
    store().sync(sid, session)
    if session.finished:
        st.session_state["training_debrief"] = debrief(session)
        store().finish(sid, st.session_state["training_debrief"].score)


def act_with(prefix: str, key: str) -> None:
    """A command built from an input's value; a text box is emptied once used."""
    value = st.session_state.get(key) or ""
    act(f"{prefix} {value}".strip())
    if key in ("t-command", "t-status", "t-page"):
        st.session_state[key] = ""


def picker() -> None:
    scenarios = training_scenarios()
    if not scenarios:
        st.info("No shipped scenario has a `training:` block.")
        return
    with st.form("start"):
        name = st.selectbox("Training scenario", list(scenarios))
        seed = st.number_input("Seed", min_value=1, max_value=10_000, value=1, step=1)
        player = st.text_input("Your name (for the leaderboard)", value="trainee")
        if st.form_submit_button("Start or resume", type="primary"):
            start(str(name), int(seed), player.strip() or "trainee")
            st.rerun()


def situation(obs: Observation) -> None:
    if obs.prompt is not None:
        p = obs.prompt
        step = f" — step `{p.runbook}/{p.step}`" if p.step else ""
        st.info(f"**{obs.clock}** · incident {p.incident} on **{p.service}**{step}\n\n{p.question}")
    else:
        st.info(f"**{obs.clock}** · the shift is over: write the review, then end the session.")
    if obs.message:
        st.caption(obs.message.replace("\n", "  \n"))
    error = st.session_state.pop("training_error", None)
    if error:
        st.error(error)
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Pages")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "time": p.clock,
                        "alert": p.alert,
                        "service": p.service,
                        "incident": p.incident,
                        "labels": ", ".join(f"{k}={v}" for k, v in p.labels),
                    }
                    for p in obs.pages
                ],
                columns=["time", "alert", "service", "incident", "labels"],
            ),
            hide_index=True,
        )
    with right:
        st.subheader("Incidents")
        st.dataframe(pd.DataFrame([vars_of(i) for i in obs.incidents]), hide_index=True)
    st.subheader("Service health")
    st.caption(", ".join(f"**{h.service}** {h.state}" for h in obs.health))
    minutes = [HISTORY_MINUTES - k * HISTORY_STEP for k in range(HISTORY_MINUTES // HISTORY_STEP)]
    frame = training_charts.health_frame(
        [(h.service, h.signals) for h in obs.health], [*minutes, 0]
    )
    state.altair(training_charts.health_chart(frame))


def vars_of(item: object) -> dict[str, object]:
    return {name: getattr(item, name) for name in item.__slots__}  # type: ignore[attr-defined]


def controls(obs: Observation) -> None:
    allowed = set(obs.commands)
    st.subheader("Act")
    row = st.columns(6)
    simple = [
        ("ack", "Acknowledge"),
        ("do", "Do next step"),
        ("approve", "Approve"),
        ("dismiss", "Dismiss as false positive"),
        ("escalate", "Escalate to specialists"),
        ("declare", "Declare and take command"),
        ("mitigated", "Declare mitigated"),
        ("hint", "Hint"),
        ("end", "End session"),
    ]
    shown = [(verb, label) for verb, label in simple if verb in allowed]
    for i, (verb, label) in enumerate(shown):
        row[i % 6].button(label, on_click=act, args=(verb,), key=f"b-{verb}")
    if "severity" in allowed:
        st.selectbox("Severity", SEVERITIES, key="t-severity", index=None)
        st.button("Set severity", on_click=act_with, args=("severity", "t-severity"))
    if "runbook" in allowed:
        st.selectbox(
            "Runbook",
            [r for r, _t in obs.runbooks],
            key="t-runbook",
            index=None,
            format_func=lambda r: f"{r} — {dict(obs.runbooks)[r]}",
        )
        st.button("Apply runbook", on_click=act_with, args=("runbook", "t-runbook"))
    if "inspect" in allowed:
        cols = st.columns(3)
        cols[0].button("Read logs", on_click=act, args=("inspect logs",))
        cols[1].button("Recent changes", on_click=act, args=("inspect changes",))
        if obs.prompt is not None and obs.prompt.step:
            cols[2].button("Read the step", on_click=act, args=("inspect step",))
    if "page" in allowed:
        st.text_input("Page a role", key="t-page", placeholder="secondary")
        st.button("Page", on_click=act_with, args=("page", "t-page"))
    if "status" in allowed:
        st.text_input("Status update", key="t-status", placeholder="what users see, what you do")
        st.button("Post status", on_click=act_with, args=("status", "t-status"))
    with st.expander("Any command (as in the terminal)", expanded=obs.prompt is None):
        st.text_input("Command", key="t-command", placeholder="review impact checkout down 40 min")
        st.button("Send", on_click=act_with, args=("", "t-command"))


def notes(obs: Observation) -> None:
    if obs.notes:
        st.subheader("What you found")
        for at, source, lines in obs.notes[:6]:
            st.markdown(f"**{at}** · {source}")
            st.code("\n".join(lines), language=None)
    if obs.feed:
        st.subheader("Your incidents")
        st.text("\n".join(obs.feed[:15]))


def show_debrief(session: Session, result: Debrief) -> None:
    st.subheader("Debrief")
    score = result.score
    st.metric("Score", f"{score.total:g} / 100")
    st.table(
        pd.DataFrame(
            [
                {
                    "part": p.name,
                    "points": f"{p.points:g}",
                    "of": f"{p.max_points:g}",
                    "how": p.note,
                }
                for p in score.parts
            ]
        ).set_index("part")
    )
    if score.mistakes:
        st.markdown("**Mistakes**")
        st.table(
            pd.DataFrame(
                [{"incident": m.incident, "mistake": m.what, "why": m.why} for m in score.mistakes]
            ).set_index("incident")
        )
    strategies = result.baselines.strategies
    for r in result.incidents:
        f = r.facts
        if f.noise:
            continue
        st.markdown(
            f"**Incident {f.number}** — {f.fault} ({f.kind}): {' '.join(r.root_cause.split())}"
        )
        if not math.isnan(f.ttr):
            dist, mark = training_charts.ttr_placement_frame(
                {s: result.baselines.spread[s].get(f.fault, ()) for s in strategies}, f.ttr
            )
            title = f"your time to mitigate ({f.ttr:.0f} min) on each strategy's distribution"
            state.altair(training_charts.ttr_placement_chart(dist, mark, strategies, title))
    for shown, why in result.red_herrings:
        st.markdown(f"*Not the cause:* {shown} — {' '.join(why.split())}")
    text = postmortem(session, result)
    st.download_button("Download the postmortem (Markdown)", text, file_name="postmortem.md")
    with st.expander("Postmortem"):
        st.markdown(text)
    board = store().leaderboard(session.spec.name)
    if board:
        st.markdown("**Leaderboard**")
        rows = [(player, f"{total:g}", mistakes, seed) for player, total, mistakes, seed in board]
        st.table(pd.DataFrame(rows, columns=["player", "score", "mistakes", "seed"]))


st.title("Training")
state.prose("training_intro")
held = current()
if held is None:
    picker()
else:
    sid, session = held
    st.caption(
        f"{session.spec.name} · seed {session.seed} · you are {session.role} · session {sid}"
    )
    if session.finished:
        result = st.session_state.get("training_debrief") or debrief(session)
        st.session_state["training_debrief"] = result
        show_debrief(session, result)
    else:
        obs = observe(session)
        situation(obs)
        controls(obs)
        notes(obs)
    if st.button("Leave this session"):
        st.session_state.pop(KEY, None)
        st.query_params.clear()
        st.rerun()
