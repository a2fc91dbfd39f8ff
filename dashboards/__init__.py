"""The Streamlit dashboard (``gameday dashboard``): ``app.py``, its ``pages`` and the
``gameday_ui`` helpers. Streamlit runs ``app.py`` as a script with this folder on the
path, so the pages import ``gameday_ui`` by its own name; as a package the folder is
seen by the import contracts (``pyproject.toml``)."""
