"""Streamlit glue of the live game-day pages: the one registry of this server process.

Every browser session of the dashboard reads the same ``Registry`` (``st.cache_resource``),
so the facilitator and every player see one shared game day. Game days run only on the
shipped scenarios (a game day's scenario is a file the server reloads after a restart).
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from sim.live.registry import Registry
from sim.live.store import STORE_ENV, GameDayStore
from sim.spec import ScenarioSpec, load_scenario

from .scenarios import shipped_scenarios
from .state import results_root

__all__ = ["ERROR", "live_registry", "load_shipped_file", "pop_error", "store_path"]

ERROR = "live_error"  # st.session_state key of the last refused request's message


def store_path() -> Path:
    return Path(os.environ.get(STORE_ENV) or results_root() / "gamedays.sqlite")


def load_shipped_file(path: str) -> ScenarioSpec:
    """A shipped scenario by path; any other path is refused (``KeyError``)."""
    shipped = {str(p.resolve()) for p in shipped_scenarios().values()}
    if str(Path(path).resolve()) not in shipped:
        raise KeyError(f"{path} is not a shipped scenario")
    return load_scenario(path)


@st.cache_resource
def live_registry() -> Registry:
    """The registry of live game days of this server process."""
    return Registry(GameDayStore(store_path()), load_shipped_file)


def pop_error() -> None:
    """Show (once) the message of a request the registry refused."""
    message = st.session_state.pop(ERROR, None)
    if message:
        st.error(message)
