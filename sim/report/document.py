"""A tiny document model rendered twice: self-contained HTML and Markdown.

The report is a list of sections; a section holds paragraphs, tables, bullet lists and
charts. HTML gets inline SVG charts and inline CSS (one file, no network); Markdown gets
the same text and tables, and says that the charts are in the HTML file.
"""

from __future__ import annotations

import html
import math
import numbers
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .render import chart_html

__all__ = ["Document", "Section"]

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       margin: 2rem auto; max-width: 1100px; color: #1f2328; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem;
     border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
.meta { color: #57606a; } .note { color: #57606a; font-size: .9rem; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .88rem; }
th, td { border: 1px solid #d0d7de; padding: .25rem .55rem; text-align: right; }
th:first-child, td:first-child { text-align: left; } thead th { background: #f6f8fa; }
figure.chart { margin: 1rem 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: #57606a; font-size: .88rem; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; font-size: .8rem; }
li { margin: .25rem 0; } .table-wrap { overflow-x: auto; }
"""


@dataclass
class Section:
    title: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def text(self, paragraph: str) -> Section:
        self.blocks.append(("p", paragraph))
        return self

    def note(self, paragraph: str) -> Section:
        self.blocks.append(("note", paragraph))
        return self

    def bullets(self, items: list[str]) -> Section:
        self.blocks.append(("ul", items))
        return self

    def table(self, frame: pd.DataFrame, *, index: bool = False) -> Section:
        self.blocks.append(("table", frame.reset_index() if index else frame))
        return self

    def chart(self, chart: Any, caption: str = "") -> Section:
        self.blocks.append(("chart", (chart, caption)))
        return self


@dataclass
class Document:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)

    def section(self, title: str) -> Section:
        found = Section(title)
        self.sections.append(found)
        return found

    # ------------------------------------------------------------------ HTML

    def to_html(self) -> str:
        parts = [
            "<!doctype html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{html.escape(self.title)}</title><style>{_CSS}</style></head><body>",
            f"<h1>{html.escape(self.title)}</h1>",
        ]
        if self.subtitle:
            parts.append(f'<p class="meta">{html.escape(self.subtitle)}</p>')
        for sec in self.sections:
            parts.append(f"<h2>{html.escape(sec.title)}</h2>")
            for kind, value in sec.blocks:
                parts.append(_html_block(kind, value))
        parts.append("</body></html>\n")
        return "\n".join(parts)

    # -------------------------------------------------------------- Markdown

    def to_markdown(self) -> str:
        lines = [f"# {self.title}", ""]
        if self.subtitle:
            lines += [f"_{self.subtitle}_", ""]
        lines += ["Charts are in `report.html` next to this file.", ""]
        for sec in self.sections:
            lines += [f"## {sec.title}", ""]
            for kind, value in sec.blocks:
                if kind in ("p", "note"):
                    lines += [value, ""]
                elif kind == "ul":
                    lines += [f"- {item}" for item in value] + [""]
                elif kind == "table":
                    lines += [_md_table(value), ""]
                elif kind == "chart" and value[1]:
                    lines += [f"_Chart: {value[1]}_", ""]
        return "\n".join(lines).rstrip() + "\n"


def _cell(value: Any) -> str:
    """A table cell as text: every number in a table is formatted here."""
    if value is None:
        return ""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.2f}"
    return str(value)


def _html_block(kind: str, value: Any) -> str:
    if kind == "p":
        return f"<p>{html.escape(value)}</p>"
    if kind == "note":
        return f'<p class="note">{html.escape(value)}</p>'
    if kind == "ul":
        return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in value) + "</ul>"
    if kind == "table":
        frame: pd.DataFrame = value
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
            for row in frame.itertuples(index=False)
        )
        return (
            f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>"
        )
    chart, caption = value
    return chart_html(chart, caption)


def _md_table(frame: pd.DataFrame) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(esc(str(c)) for c in frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = [
        "| " + " | ".join(esc(_cell(v)) for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([head, rule, *rows])
