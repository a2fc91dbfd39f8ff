"""Helpers of the gameday Streamlit dashboard (not part of the ``sim`` package).

``scenarios``, ``jobs`` and ``experiments`` are plain Python (tested without
Streamlit); ``state`` is the Streamlit glue the pages share.
"""
