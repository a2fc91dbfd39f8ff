"""Mermaid diagrams (as ``sim.response`` writes them) translated to Graphviz DOT.

The dashboard must work offline, and Mermaid needs its JavaScript library from a CDN;
Graphviz DOT is drawn by Streamlit's bundled renderer (``st.graphviz_chart``). The
translation covers exactly the Mermaid subset gameday generates: ``flowchart TD`` with
``id["label"]``, ``id(["label"])``, ``id((label))`` nodes, ``-->`` and ``-.->`` edges with
``|label|``, ``class`` lines; ``stateDiagram-v2`` with ``a --> b: label`` and ``[*]``.
The Mermaid text itself stays the source of truth and is shown next to the drawing.
"""

from __future__ import annotations

import re
from collections.abc import Collection

__all__ = ["mermaid_to_dot"]

_NODE = re.compile(r"^(?P<id>[\w-]+)(?P<shape>\(\[|\(\(|\[)\"?(?P<label>.*?)\"?(\]\)|\)\)|\])$")
_EDGE = re.compile(
    r"^(?P<src>\S+)\s+(?P<arrow>-->|-\.->)\s*"
    r"(?:\|(?P<label>[^|]*)\|\s*)?(?P<dst>[^\s:]+)\s*(?::\s*(?P<tail>.*))?$"
)
_ENTITIES = {"#lt;": "<", "#gt;": ">", "#quot;": '"', "#amp;": "&", "#35;": "#"}


def _text(label: str) -> str:
    label = re.sub(r"<br\s*/?>", "\n", label)
    label = re.sub(r"</?[a-z]+>", "", label)
    for entity, char in _ENTITIES.items():
        label = label.replace(entity, char)
    return label.strip()


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _node_id(name: str, *, source: bool) -> str:
    if name == "[*]":
        return "__start" if source else "__end"
    return name


def _declare(token: str, declared: set[str], out: list[str], brief: bool) -> str | None:
    """Declare the node ``token`` if it has a shape (``id["label"]``); return its id."""
    node = _NODE.match(token)
    if node is None:
        return None
    ident, shape = node["id"], node["shape"]
    text = _text(node["label"])
    if brief:  # the first line (step id) and the tags line ("[auto, mitigates]") only
        lines = text.split("\n")
        text = "\n".join([lines[0], *[ln for ln in lines[1:] if ln.startswith("[")]])
    label = _quote(text)
    if shape == "((":
        attrs = f'shape=circle, label={label}, fillcolor="#ffffff"'
    elif shape == "([":
        attrs = f'shape=box, style="rounded,filled", label={label}, fillcolor="#eef6ff"'
    else:
        attrs = f"label={label}"
    declared.add(ident)
    out.append(f"  {_quote(ident)} [{attrs}];")
    return ident


def mermaid_to_dot(
    text: str,
    *,
    highlight: Collection[tuple[str, str]] = (),
    color: str = "#0072B2",
    brief: bool = False,
) -> str:
    """DOT for a gameday Mermaid flowchart or state diagram.

    ``highlight``: ``(from, to)`` pairs of node/state ids drawn bold in ``color`` (for
    example the transitions one incident took). ``brief``: node labels keep their first
    line and tag line only (the step id and ``[auto, mitigates]``), for a compact chart.
    """
    lines = [ln.strip() for ln in text.strip().splitlines()]
    header = lines[0] if lines else ""
    state = header.startswith("stateDiagram")
    out = [
        "digraph G {",
        '  graph [rankdir=TB, fontname="Helvetica", nodesep=0.35, ranksep=0.4];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f6f8fa", color="#57606a", '
        'fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10, color="#57606a"];',
    ]
    declared: set[str] = set()
    bold: set[str] = set()
    edges: list[str] = []
    for line in lines[1:]:
        if not line or line.startswith("%%") or line.startswith("classDef"):
            continue
        if line.startswith("class "):
            bold.update(line.split()[1].split(","))
            continue
        if "-->" not in line and "-.->" not in line:
            _declare(line, declared, out, brief)
            continue
        edge = _EDGE.match(line)
        if not edge:
            continue
        raw_src = _declare(edge["src"], declared, out, brief) or edge["src"]
        raw_dst = _declare(edge["dst"], declared, out, brief) or edge["dst"]
        src = _node_id(raw_src, source=True)
        dst = _node_id(raw_dst, source=False)
        label = _text(edge["label"] or edge["tail"] or "")
        key = (raw_src, raw_dst)
        attrs = [f"label={_quote(label)}"] if label else []
        if edge["arrow"] == "-.->":
            attrs.append("style=dashed")
        if key in highlight:
            attrs.append(f'color="{color}", penwidth=2.6, fontcolor="{color}"')
        edges.append(f"  {_quote(src)} -> {_quote(dst)} [{', '.join(attrs)}];")
        for ident in (src, dst):
            if ident not in declared:
                declared.add(ident)
                if ident in ("__start", "__end"):
                    shape = "circle" if ident == "__start" else "doublecircle"
                    out.append(
                        f'  {_quote(ident)} [shape={shape}, label="", width=0.18, '
                        'style=filled, fillcolor="#1f2328"];'
                    )
                elif state:
                    out.append(f"  {_quote(ident)} [label={_quote(ident)}];")
    for ident in sorted(bold):
        out.append(f"  {_quote(ident)} [penwidth=2.5];")
    if state and highlight:
        visited = {s for pair in highlight for s in pair if s != "[*]"}
        for ident in sorted(visited & declared):
            out.append(f'  {_quote(ident)} [color="{color}", penwidth=2.2];')
    out += edges
    out.append("}")
    return "\n".join(out)
