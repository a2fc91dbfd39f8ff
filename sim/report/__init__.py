"""Results as pictures and text: the HTML report and the dashboard's data and charts.

Layer: above ``sim.experiments`` (it reads what experiments write), beside
``sim.testing``; ``sim.commands.report`` and the Streamlit dashboard use it.

- ``open_results(DIR)`` checks a compare or sweep results folder -> ``ResultSet``;
- ``query``: DuckDB aggregates over the incident Parquet (histograms, ECDFs, sweep curves);
- ``tables``: the comparison document (``summary.json``) as tidy tables;
- ``charts``: pure Altair chart functions with one strategy palette (``run_charts``: the
  run explorer's timeline on the scenario's clock and the what-if panels;
  ``training_charts``: a training session's health panel and the trainee's TTR on the
  strategies' spread);
- ``timeline``: one replication's event log as incident phases, audit log, journal;
- ``mermaid_to_dot``: gameday's Mermaid diagrams as Graphviz DOT (drawn offline);
- ``whatif``: what-if variants of a scenario and their comparison with the baseline;
- ``write_report(DIR)``: ``report.html`` (charts as inline SVG) and ``report.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import charts, query, run_charts, tables, timeline, training_charts, whatif
    from .folder import (
        RESULTS_DIR_ENV,
        ResultsError,
        ResultSet,
        find_result_sets,
        from_comparison,
        inside,
        open_results,
    )
    from .mermaid import mermaid_to_dot
    from .render import svg_available, to_svg
    from .report import ReportFiles, build_report, sweep_axes, write_report

#: Name -> the submodule that defines it (a submodule itself when the value is None).
#: Imported on first use (PEP 562): ``sim.report.tables`` needs pandas and ``sim.spec``,
#: not Altair, DuckDB and the engine, so ``gameday compare`` can word its power verdict with it.
_WHERE: dict[str, str | None] = {
    "charts": None,
    "query": None,
    "run_charts": None,
    "tables": None,
    "timeline": None,
    "training_charts": None,
    "whatif": None,
    "RESULTS_DIR_ENV": ".folder",
    "ResultsError": ".folder",
    "ResultSet": ".folder",
    "find_result_sets": ".folder",
    "from_comparison": ".folder",
    "inside": ".folder",
    "open_results": ".folder",
    "mermaid_to_dot": ".mermaid",
    "svg_available": ".render",
    "to_svg": ".render",
    "ReportFiles": ".report",
    "build_report": ".report",
    "sweep_axes": ".report",
    "write_report": ".report",
}

__all__ = [
    "RESULTS_DIR_ENV",
    "ReportFiles",
    "ResultSet",
    "ResultsError",
    "build_report",
    "charts",
    "find_result_sets",
    "from_comparison",
    "inside",
    "mermaid_to_dot",
    "open_results",
    "query",
    "run_charts",
    "svg_available",
    "sweep_axes",
    "tables",
    "timeline",
    "to_svg",
    "training_charts",
    "whatif",
    "write_report",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    where = _WHERE[name]
    if where is None:
        return importlib.import_module(f".{name}", __name__)
    return getattr(importlib.import_module(where, __name__), name)
