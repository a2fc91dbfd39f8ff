"""Results as pictures and text: the HTML report and the dashboard's data and charts.

Layer: above ``sim.experiments`` (it reads what experiments write), beside
``sim.testing``; ``sim.commands.report`` and the Streamlit dashboard use it.

- ``open_results(DIR)`` checks a compare or sweep results folder -> ``ResultSet``;
- ``query``: DuckDB aggregates over the incident Parquet (histograms, ECDFs, sweep curves);
- ``tables``: the comparison document (``summary.json``) as tidy tables;
- ``charts``: pure Altair chart functions with one strategy palette;
- ``timeline``: one replication's event log as incident phases, audit log, journal;
- ``mermaid_to_dot``: gameday's Mermaid diagrams as Graphviz DOT (drawn offline);
- ``whatif``: what-if variants of a scenario and their comparison with the baseline;
- ``write_report(DIR)``: ``report.html`` (charts as inline SVG) and ``report.md``.
"""

from . import charts, query, tables, timeline, whatif
from .folder import ResultsError, ResultSet, find_result_sets, from_comparison, inside, open_results
from .mermaid import mermaid_to_dot
from .render import svg_available, to_svg
from .report import ReportFiles, build_report, sweep_axes, write_report

__all__ = [
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
    "svg_available",
    "sweep_axes",
    "tables",
    "timeline",
    "to_svg",
    "whatif",
    "write_report",
]
