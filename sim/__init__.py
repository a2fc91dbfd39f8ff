"""gameday: incident response as code that can be simulated.

Public API (dashboards, notebooks and the CLI use these, never private modules):

- ``sim.spec``: ``load``, ``load_scenario``, ``check_paths``, the spec models;
- ``sim.response``: triage, lifecycle and the runbook executor;
- ``sim.engine``: ``run_once``;
- ``sim.metrics``: ``incident_rows``, ``summarize``;
- ``sim.experiments``: ``compare``, ``sweep``, statistics;
- ``sim.calibrate``: ``calibrate`` (a scenario fitted to an incident export),
  ``run_backtest``.

"Public" means a name in the ``__all__`` of one of these modules; the notebooks in
``notebooks/`` import nothing else (``tests/test_notebooks.py`` checks it).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gameday")
except PackageNotFoundError:  # a source tree without install
    __version__ = "0+unknown"

__all__ = ["__version__"]
