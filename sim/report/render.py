"""Charts to static images for a report that opens offline.

A report must open on a laptop with no internet, so it cannot load vega-embed from a
CDN. Charts are rendered here to inline SVG with ``vl-convert-python`` (Vega-Lite
compiled and rendered by an embedded engine, no browser, no network). If that package
is missing, the chart's Vega-Lite JSON is embedded instead, with a note saying how to
view it: the data are never lost.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

__all__ = ["chart_html", "svg_available", "to_svg"]

_SVG_PREFIX = re.compile(r"^\s*(<\?xml[^>]*>)?\s*")


def svg_available() -> bool:
    """True if ``vl-convert-python`` can be imported."""
    try:
        import vl_convert  # noqa: F401
    except ImportError:
        return False
    return True


def to_svg(chart: Any) -> str:
    """The chart (an Altair chart or a Vega-Lite dict) as an SVG document string."""
    import vl_convert as vlc

    spec = chart if isinstance(chart, dict) else chart.to_dict()
    svg: str = vlc.vegalite_to_svg(spec)
    return _SVG_PREFIX.sub("", svg, count=1)


def chart_html(chart: Any, caption: str = "") -> str:
    """A ``<figure>`` with the chart as inline SVG, or as embedded Vega-Lite JSON."""
    note = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    if svg_available():
        return f'<figure class="chart">{to_svg(chart)}{note}</figure>'
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    text = html.escape(json.dumps(spec, indent=1, default=str))
    return (
        '<figure class="chart vega-lite"><p class="note">This chart could not be drawn here '
        "(the <code>vl-convert-python</code> package is not installed). Its Vega-Lite "
        "specification, with its data, follows: paste it into any Vega-Lite viewer.</p>"
        f"<details><summary>Vega-Lite JSON</summary><pre>{text}</pre></details>{note}</figure>"
    )
