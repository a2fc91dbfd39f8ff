"""Game day player: join a live game day with its code and respond in a role.

A face of ``sim.live``: the page shows the player's observation (``player_view``: pages,
incidents, the decisions waiting for the role, the facilitator's messages, what the team
did) and every button is a command given through the server's one ``Registry``, which
checks the player's role. The player's key is in the page's URL, so a refreshed browser
(or a restarted server) comes back to the same seat.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from gameday_ui import state
from gameday_ui.live import ERROR, live_registry, pop_error

from sim.live import PERMITS, ROLE_TITLES, ROLES, LiveError, RoleError
from sim.live.views import PlayerView, PromptView, player_view
from sim.spec import SEVERITIES
from sim.training import CommandError, ReplayError

REFUSED = (RoleError, LiveError, CommandError, KeyError, ReplayError)


def act(key: str, text: str) -> None:
    try:
        live_registry().act(key, text)
    except REFUSED as exc:
        st.session_state[ERROR] = str(exc.args[0] if exc.args else exc)


def act_with(key: str, verb: str, field: str, clear: bool = False) -> None:
    value = (st.session_state.get(field) or "").strip()
    if value:
        act(key, f"{verb} {value}")
    if clear:
        st.session_state[field] = ""


def join() -> None:
    with st.form("join"):
        code = st.text_input("Join code", max_chars=12)
        name = st.text_input("Your name", max_chars=40)
        role = st.selectbox("Role", ROLES, format_func=lambda r: ROLE_TITLES[r])
        if st.form_submit_button("Join", type="primary"):
            try:
                _gid, key = live_registry().join(code, name, str(role))
            except REFUSED as exc:
                st.error(str(exc.args[0] if exc.args else exc))
                return
            st.query_params["player"] = key
            st.rerun()


def decision(key: str, prompt: PromptView, view: PlayerView) -> None:
    step = f" — step `{prompt.runbook}/{prompt.step}`" if prompt.step else ""
    st.warning(f"**Incident {prompt.incident} on {prompt.service}**{step}: {prompt.question}")
    n = prompt.number
    if prompt.kind == "page":
        st.button("Acknowledge", key=f"ack-{n}", type="primary", on_click=act, args=(key, "ack"))
    elif prompt.kind == "triage":
        st.selectbox("Severity", SEVERITIES, key=f"sev-{n}", index=1)
        st.button(
            "Set severity",
            key=f"set-sev-{n}",
            on_click=act_with,
            args=(key, "severity", f"sev-{n}"),
        )
    elif prompt.kind == "runbook":
        titles = dict(view.runbooks)
        st.selectbox(
            "Runbook", list(titles), key=f"rb-{n}", format_func=lambda r: f"{r} — {titles[r]}"
        )
        cols = st.columns(2)
        cols[0].button(
            "Apply runbook", key=f"apply-{n}", on_click=act_with, args=(key, "runbook", f"rb-{n}")
        )
        cols[1].button(
            "Escalate to specialists", key=f"esc-{n}", on_click=act, args=(key, "escalate")
        )
    elif prompt.kind == "step":
        st.button("Do the step", key=f"do-{n}", type="primary", on_click=act, args=(key, "do"))
    elif prompt.kind == "approve":
        st.button("Approve", key=f"approve-{n}", on_click=act, args=(key, "approve"))
    elif prompt.kind == "noise":
        st.button(
            "Dismiss as a false positive", key=f"dismiss-{n}", on_click=act, args=(key, "dismiss")
        )


def role_actions(key: str, role: str) -> None:
    permits = PERMITS[role]
    if "status" in permits:
        st.text_input("Status update", key="p-status", max_chars=300)
        st.button("Post status", on_click=act_with, args=(key, "status", "p-status", True))
    simple = [
        ("declare", "Declare the incident"),
        ("mitigated", "Declare mitigated"),
        ("resolve", "Declare resolved"),
    ]
    shown = [(verb, label) for verb, label in simple if verb in permits]
    if shown:
        cols = st.columns(len(shown))
        for col, (verb, label) in zip(cols, shown, strict=True):
            col.button(label, key=f"b-{verb}", on_click=act, args=(key, verb))


@st.fragment(run_every=2)
def seat(key: str, name: str, role: str, gid: str) -> None:
    registry = live_registry()
    with registry.now(gid) as live:
        view = player_view(live.gameday, role)
        clock, title = live.clock.state, live.row.title
    st.subheader(f"{title} · {view.clock}")
    st.caption(f"You are **{name}**, {ROLE_TITLES[role]} · clock {clock}")
    pop_error()
    for at, text in view.messages[:1]:
        st.info(f"**Message from the facilitator** ({at}): {text}")
    if view.ended:
        st.success("The game day is over. Thank you!")
    elif view.prompts:
        st.markdown("**Waiting for you**")
        for prompt in view.prompts:
            decision(key, prompt, view)
    else:
        st.caption("Nothing waits for your role right now.")
    if not view.ended:
        role_actions(key, role)
    left, right = st.columns(2)
    with left:
        st.markdown("**Pages**")
        st.dataframe(
            pd.DataFrame(view.pages, columns=["time", "alert", "service"]), hide_index=True
        )
    with right:
        st.markdown("**Incidents**")
        incidents = pd.DataFrame(
            view.incidents, columns=["incident", "service", "opened", "state", "severity"]
        )
        st.table(incidents.set_index("incident"))
    st.markdown("**What the team did** (newest first)")
    st.table(pd.DataFrame(view.feed, columns=["time", "who", "role", "did"]).set_index("time"))


st.title("Game day player")
state.prose("gameday_player_intro")
player_key = st.query_params.get("player")
if not player_key:
    join()
else:
    try:
        player = live_registry().player(player_key)
    except RoleError as exc:
        st.error(str(exc))
        st.query_params.clear()
    else:
        seat(player_key, player.name, player.role, player.gameday)
        if st.button("Leave"):
            st.query_params.clear()
            st.rerun()
