"""Game day console: the facilitator runs the clock, injects faults and ends the game day.

A face of ``sim.live``: every control is a facilitator input given through the server's
one ``Registry`` (which checks the token), every number shown comes from the game day.
The game day's id and the token are in the page's URL, so a refreshed browser (or a
restarted server) comes back to the same console.
"""

from __future__ import annotations

import json
from typing import Any, get_args

import pandas as pd
import streamlit as st
from gameday_ui import state
from gameday_ui.live import ERROR, live_registry, pop_error
from gameday_ui.scenarios import shipped_scenarios

from sim.live import ROLE_TITLES, SPEEDS, GameDay, InjectError, LiveError, RoleError
from sim.live.aftergame import after_game
from sim.live.journal import journal
from sim.live.report import report_document, timeline_chart
from sim.live.views import timeline
from sim.report.document import Document
from sim.spec.runbook import FaultKind
from sim.training import CommandError, ReplayError

REFUSED = (RoleError, LiveError, InjectError, CommandError, KeyError, ReplayError)


def give(gid: str, token: str, text: str) -> None:
    try:
        live_registry().facilitate(gid, token, text)
    except REFUSED as exc:
        st.session_state[ERROR] = str(exc.args[0] if exc.args else exc)


def give_from(gid: str, token: str, verb: str, key: str) -> None:
    """An input built from a text box, emptied once given."""
    value = (st.session_state.get(key) or "").strip()
    if value:
        give(gid, token, f"{verb} {value}")
    st.session_state[key] = ""


def inject_catalogue(gid: str, token: str) -> None:
    fault, at = st.session_state.get("c-fault"), (st.session_state.get("c-at") or "").strip()
    if fault:
        give(gid, token, f"inject {fault}" + (f" at {at}" if at else ""))


def inject_adhoc(gid: str, token: str) -> None:
    s = st.session_state
    at = (s.get("a-at") or "").strip()
    text = f"inject {s.get('a-service')} {s.get('a-kind')} {(s.get('a-minutes') or '').strip()}"
    give(gid, token, text + (f" at {at}" if at else ""))


def create_or_open() -> None:
    new, existing = st.tabs(["New game day", "Open a game day"])
    with new, st.form("create"):
        names = list(shipped_scenarios())
        name = st.selectbox(
            "Scenario",
            names,
            index=names.index("training-01-crash") if "training-01-crash" in names else 0,
        )
        seed = st.number_input("Seed", min_value=1, max_value=10_000, value=1, step=1)
        title = st.text_input("Title", value="", max_chars=80)
        if st.form_submit_button("Create the game day", type="primary"):
            path = str(shipped_scenarios()[str(name)].resolve())
            made = live_registry().create(path, int(seed), title.strip())
            st.session_state["live_created"] = (made.id, made.token, made.join_code)
            st.query_params["gameday"] = made.id
            st.query_params["token"] = made.token
            st.rerun()
    with existing, st.form("open"):
        gid = st.text_input("Game day id")
        token = st.text_input("Facilitator token", type="password")
        if st.form_submit_button("Open"):
            try:
                live_registry().check_token(gid.strip(), token.strip())
            except REFUSED as exc:
                st.error(str(exc.args[0] if exc.args else exc))
                return
            st.query_params["gameday"] = gid.strip()
            st.query_params["token"] = token.strip()
            st.rerun()


def finished(gid: str, gameday: GameDay, title: str, chart: Any) -> tuple[Document, str]:
    """The report and the journal of an ended game day (made once per browser session)."""
    key = f"live-report-{gid}"
    if key not in st.session_state:
        report = report_document(after_game(gameday, title), chart)
        st.session_state[key] = (report, json.dumps(journal(gameday, title), indent=2))
    return st.session_state[key]  # type: ignore[no-any-return]


@st.fragment(run_every=2)
def console(gid: str, token: str) -> None:
    registry = live_registry()
    with registry.now(gid) as live:
        gameday, clock, row = live.gameday, live.clock, live.row
        now, moments = gameday.clock(), timeline(gameday)
        chart = timeline_chart(gameday)
        waiting = [(p.kind, p.incident, p.service) for p in gameday.prompts()]
        ended, catalogue = gameday.ended, list(gameday.spec.faults)
        services = list(gameday.spec.services)
        report, exported = finished(gid, gameday, row.title, chart) if ended else (None, "")
    players = registry.players(gid)
    st.subheader(row.title)
    cols = st.columns(4)
    cols[0].metric("Simulated clock", now)
    cols[1].metric("Clock", clock.state)
    cols[2].metric("Join code", row.join_code)
    cols[3].metric("Players", len(players))
    pop_error()
    if players:
        st.caption("Team: " + ", ".join(f"{p.name} ({ROLE_TITLES[p.role]})" for p in players))
    if not ended:
        controls(gid, token, clock.state, clock.speed, catalogue, services)
        if waiting:
            st.info(
                "Waiting for the team: "
                + "; ".join(f"{kind} on #{inc} {service}" for kind, inc, service in waiting)
            )
    st.subheader("Timeline")
    if any(m.role == "world" for m in moments):
        state.altair(chart)
    team = [m for m in reversed(moments) if m.role not in ("world", "facilitator")][:25]
    if team:
        st.markdown("**What the team did** (newest first)")
        st.table(
            pd.DataFrame(
                [{"clock": m.clock, "who": m.who, "role": m.role, "did": m.what} for m in team]
            ).set_index("clock")
        )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "clock": m.clock,
                    "wall (UTC)": m.wall,
                    "who": m.who,
                    "role": m.role,
                    "what": m.what,
                }
                for m in reversed(moments)
            ],
            columns=["clock", "wall (UTC)", "who", "role", "what"],
        ),
        hide_index=True,
        height=360,
    )
    if report is not None:
        st.subheader("After the game day")
        st.download_button("Report (Markdown)", report.to_markdown(), file_name="report.md")
        st.download_button("Report (HTML)", report.to_html(), file_name="report.html")
        st.download_button("Journal (JSON)", exported, file_name="journal.json")
        st.markdown(report.to_markdown().split("\n", 2)[2])


def controls(
    gid: str, token: str, clock: str, speed: str, catalogue: list[str], services: list[str]
) -> None:
    row = st.columns(5)
    if clock == "not started":
        row[0].button("Start", type="primary", on_click=give, args=(gid, token, "start"))
    elif clock == "paused":
        row[0].button("Resume", type="primary", on_click=give, args=(gid, token, "resume"))
    else:
        row[0].button("Pause", on_click=give, args=(gid, token, "pause"))
    row[1].button("Next event", on_click=give, args=(gid, token, "next"))
    row[2].selectbox(
        "Speed", SPEEDS, key="speed", index=SPEEDS.index(speed), format_func=_speed_label
    )
    row[3].button(
        "Set speed",
        on_click=lambda: give(gid, token, f"speed {st.session_state.get('speed')}"),
    )
    row[4].button("End game day", on_click=give, args=(gid, token, "end"))
    left, right = st.columns(2)
    with left:
        st.markdown("**Inject a fault from the catalogue**")
        st.selectbox("Fault", catalogue, key="c-fault")
        st.text_input("At (empty: now; e.g. 2h or 90m)", key="c-at")
        st.button("Inject", key="inject-c", on_click=inject_catalogue, args=(gid, token))
    with right:
        st.markdown("**Inject an ad-hoc fault**")
        st.selectbox("Service", services, key="a-service")
        st.selectbox("Kind", get_args(FaultKind), key="a-kind")
        st.text_input("Duration (e.g. 30m)", key="a-minutes", value="30m")
        st.text_input("At (empty: now)", key="a-at")
        st.button("Inject ad-hoc", on_click=inject_adhoc, args=(gid, token))
    cols = st.columns(3)
    for col, (verb, label) in zip(
        cols,
        (
            ("message", "Message to the players"),
            ("note", "Observer note"),
            ("action", "Action item"),
        ),
        strict=True,
    ):
        col.text_input(label, key=f"t-{verb}", max_chars=400)
        col.button(f"Add {verb}", on_click=give_from, args=(gid, token, verb, f"t-{verb}"))


def _speed_label(speed: str) -> str:
    return "stepped" if speed == "stepped" else f"{speed}x"


st.title("Game day console")
state.prose("gameday_console_intro")
created = st.session_state.get("live_created")
gid, token = st.query_params.get("gameday"), st.query_params.get("token")
if created and created[0] == gid:
    st.success(
        f"Game day **{created[0]}** created. Facilitator token (keep it; shown once): "
        f"`{created[1]}` · join code for players: **{created[2]}**"
    )
if not gid or not token:
    create_or_open()
else:
    try:
        live_registry().check_token(gid, token)
    except REFUSED as exc:
        st.error(str(exc.args[0] if exc.args else exc))
        st.query_params.clear()
    else:
        console(gid, token)
        if st.button("Leave the console"):
            st.query_params.clear()
            st.session_state.pop("live_created", None)
            st.rerun()
