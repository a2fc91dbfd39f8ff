"""gameday dashboard: the entry point (``gameday dashboard [DIR]`` runs this file).

A thin shell over the public ``sim`` API: every number comes from ``sim.experiments``
and every chart from ``sim.report.charts``. This file only sets up the page and the
navigation; each page lives in ``pages/`` and draws the shared sidebar
(``gameday_ui.state.sidebar``: the results-folder picker) itself.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

# A local image, served by the dashboard itself: an emoji or ":material/..." icon would be
# fetched from a font CDN, and the dashboard is meant to run offline.
FAVICON = Path(__file__).parent / "assets" / "favicon.png"
st.set_page_config(page_title="gameday", page_icon=str(FAVICON), layout="wide")

pages = [
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:", default=True),
    st.Page("pages/whatif.py", title="What-if", icon=":material/tune:"),
    st.Page("pages/explorer.py", title="Run explorer", icon=":material/timeline:"),
    st.Page("pages/runbooks.py", title="Runbooks", icon=":material/account_tree:"),
    st.Page("pages/training.py", title="Training", icon=":material/school:"),
    st.Page("pages/gameday_console.py", title="Game day console", icon=":material/sports:"),
    st.Page("pages/gameday_player.py", title="Game day player", icon=":material/groups:"),
]
st.navigation(pages).run()
