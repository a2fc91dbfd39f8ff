"""Read a spec YAML file into plain Python data that remembers where everything was.

``yaml.safe_load`` throws positions away and has sharp edges for untrusted input
(alias bombs, silent duplicate keys, ``!!python`` tags if someone swaps the
loader). Here PyYAML only *composes* the node tree with the safe loader; we
build the data ourselves so that we can

* record the 1-based (line, col) of every value and mapping key,
* reject duplicate keys, foreign tags and alias bombs with precise diagnostics,
* turn every failure into a :class:`SpecError` (never a traceback).

:func:`format_validation_error` (from :mod:`sim.spec.validation_errors`, re-exported
here) then maps pydantic errors back to those positions.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any, NoReturn

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from .diagnostics import Diagnostic, SpecError
from .limits import MAX_SPEC_BYTES, MAX_YAML_DEPTH
from .safe_io import UnsafePath, read_limited
from .source_doc import Position, SourceDoc
from .validation_errors import YamlPath, dotted_path, format_validation_error, yaml_path

__all__ = [
    "SourceDoc",
    "YamlPath",
    "dotted_path",
    "format_validation_error",
    "read_yaml",
    "yaml_path",
]

_CORE = "tag:yaml.org,2002:"
_MERGE = _CORE + "merge"
# Nesting this deep is never a real spec; capping it keeps our recursion far
# below Python's recursion limit (PyYAML's own composer recurses too).
_MAX_DEPTH = MAX_YAML_DEPTH


# ---------------------------------------------------------------------------
# Reading and composing


def read_yaml(
    path: str | os.PathLike[str],
    *,
    display_name: str | None = None,
    max_bytes: int = MAX_SPEC_BYTES,
    max_nodes: int = 200_000,
) -> SourceDoc:
    """Load one single-document YAML file; raise :class:`SpecError` on any problem.

    ``display_name`` is the file name used in diagnostics (default: ``path``).
    ``max_nodes`` caps the number of values after alias expansion.
    """
    name = display_name if display_name is not None else os.fsdecode(path)
    raw = _read_bytes(path, name, max_bytes)
    text = _decode(raw, name)
    root = _compose(text, name)
    return _Builder(name, max_nodes).run(root)


def _fail(file: str, message: str, rule: str, pos: Position = (1, 1)) -> NoReturn:
    raise SpecError([Diagnostic(file, pos[0], pos[1], message, rule)])


def _read_bytes(path: str | os.PathLike[str], name: str, max_bytes: int) -> bytes:
    try:
        if os.path.isdir(path):
            _fail(name, "is a directory, not a YAML file", "io")
        # A FIFO or a device is refused without blocking; an oversized file without
        # reading a byte of it.
        return read_limited(path, max_bytes)
    except UnsafePath as exc:
        _fail(name, str(exc), "too-large" if "limit" in str(exc) else "io")
    except FileNotFoundError:
        _fail(name, "file not found", "io")
    except (OSError, ValueError) as exc:  # ValueError: e.g. NUL byte in the path
        _fail(name, f"cannot read file: {getattr(exc, 'strerror', None) or exc}", "io")


def _line_col(text: str, index: int) -> Position:
    """1-based position of ``text[index]``, counting line breaks the way PyYAML does."""
    head = text[:index]
    breaks = list(re.finditer(r"\r\n|[\n\r\x85\u2028\u2029]", head))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, len(head[start:].replace("\ufeff", "")) + 1


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8")  # valid: it precedes the first bad byte
        msg = f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        _fail(name, msg, "encoding", _line_col(prefix, len(prefix)))


class _Alias(Node):
    """Stands in for ``*name`` so we know where the alias, not the anchor, was written."""

    def __init__(self, target: Node, event: Any) -> None:
        super().__init__(target.tag, target, event.start_mark, event.end_mark)


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            target = super().compose_node(parent, index)
            return None if target is None else _Alias(target, event)
        return super().compose_node(parent, index)


def _deref(node: Node) -> Node:
    while isinstance(node, _Alias):
        node = node.value
    return node


def _pos(node: Node) -> Position:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


_TAB_INDENT = re.compile(r"[ \t]*(?:[-?:][ \t]*)*")


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, text: str, name: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem, context, cmark = exc.problem or "invalid YAML", exc.context, exc.context_mark
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        # PyYAML's "found character '\t' that cannot start any token" hides the
        # real cause; say it plainly.
        before = text[mark.index - mark.column : mark.index]
        if _TAB_INDENT.fullmatch(before):
            msg = "tab character used for indentation; YAML indents with spaces"
        else:
            msg = "tab character not allowed here; separate YAML tokens with spaces"
        return Diagnostic(name, *pos, msg, "yaml-tab")
    if context and context.startswith("found duplicate anchor") and cmark is not None:
        msg = f"{context.split(';')[0]} (first defined on line {cmark.line + 1})"
    elif context:
        where = f" at line {cmark.line + 1}, column {cmark.column + 1}" if cmark else ""
        msg = f"{problem} ({context}{where})"
    else:
        msg = problem
    if problem == "mapping values are not allowed here":
        msg += "; quote the value if it contains ': '"
    return Diagnostic(name, *pos, msg, "yaml-syntax")


def _compose(text: str, name: str) -> Node:
    try:
        loader = _Loader(text)  # the reader rejects control characters right here
    except ReaderError as exc:
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        msg = f"character U+{code:04X} is not allowed in YAML ({exc.reason})"
        _fail(name, msg, "encoding", _line_col(text, exc.position))
    try:
        loader.get_event()  # type: ignore[no-untyped-call]  # StreamStartEvent
        if loader.check_event(StreamEndEvent):
            _fail(name, "file is empty (no YAML document)", "empty")
        root = loader.compose_document()
        if not loader.check_event(StreamEndEvent):
            msg = "a second YAML document starts here; spec files hold exactly one document"
            second = loader.peek_event()  # type: ignore[no-untyped-call]
            _fail(name, msg, "multi-document", _pos(second))
    except yaml.MarkedYAMLError as exc:
        raise SpecError([_syntax_diagnostic(exc, text, name)]) from None
    except yaml.YAMLError as exc:  # not expected from a str stream; never leak one
        _fail(name, f"invalid YAML: {exc}", "yaml-syntax")
    except RecursionError:
        _fail(name, f"nesting is too deep (more than {_MAX_DEPTH} levels)", "yaml-depth")
    finally:
        loader.dispose()
    if root is None or (root.tag == _CORE + "null" and root.value == ""):
        _fail(name, "file has no content", "empty")
    return root


# ---------------------------------------------------------------------------
# Building plain data from the node tree


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, SequenceNode):
        yield from node.value
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value


class _Builder:
    """Two passes over the node tree.

    Pass 1 visits every *distinct* node once (aliases share nodes): it checks
    tags, keys and merges, converts scalars, and computes how many values each
    node expands to. Only that count makes alias bombs cheap to refuse: the
    nine-level "billion laughs" document has ~100 distinct nodes but 10**9
    expanded ones. Pass 2 runs only on a clean, bounded tree and builds the data.
    """

    def __init__(self, file: str, max_nodes: int) -> None:
        self.file, self.max_nodes = file, max_nodes
        self.diagnostics: list[Diagnostic] = []
        self.sizes: dict[int, int] = {}  # id(node) -> values after alias expansion
        self.heights: dict[int, int] = {}
        self.scalars: dict[int, object] = {}
        self.active: set[int] = set()  # nodes on the current path, to spot cycles
        self.values: dict[YamlPath, Position] = {}
        self.keys: dict[YamlPath, Position] = {}
        self.ctor = SafeConstructor()

    def run(self, root: Node) -> SourceDoc:
        self._check(root, 1)
        if not self.diagnostics and self.sizes[id(_deref(root))] > self.max_nodes:
            self._report_overflow(root)
        if self.diagnostics:
            raise SpecError(self.diagnostics)
        data = self._build(root, ())
        return SourceDoc(self.file, data, self.values, self.keys)

    def _error(self, node: Node, message: str, rule: str) -> None:
        self.diagnostics.append(Diagnostic(self.file, *_pos(node), message, rule))

    def _check(self, node: Node, depth: int) -> None:
        real, key = _deref(node), id(_deref(node))
        if key in self.active:
            self._error(node, "alias refers to a node that contains it", "yaml-recursion")
            self.sizes[key], self.heights[key] = 1, 1  # let the caller finish its sums
            return
        if key in self.sizes:
            if depth + self.heights[key] - 1 > _MAX_DEPTH:
                self._error(node, f"nesting deeper than {_MAX_DEPTH} levels", "yaml-depth")
            return
        if depth > _MAX_DEPTH:
            self._error(node, f"nesting deeper than {_MAX_DEPTH} levels", "yaml-depth")
            self.sizes[key], self.heights[key] = 1, 1
            return
        self.active.add(key)
        if isinstance(real, ScalarNode):
            self._check_scalar(real)
        elif real.tag != (_CORE + "map" if isinstance(real, MappingNode) else _CORE + "seq"):
            self._bad_tag(real)
        if isinstance(real, MappingNode):
            self._check_mapping(real)
        for child in _children(real):
            self._check(child, depth + 1)
        self.active.discard(key)
        kids = [id(_deref(c)) for c in _children(real)]
        self.sizes[key] = 1 + sum(self.sizes[k] for k in kids)
        self.heights[key] = 1 + max((self.heights[k] for k in kids), default=0)

    def _bad_tag(self, node: Node) -> None:
        msg = f"YAML tag {_show_tag(node.tag)!r} is not allowed; specs use plain YAML values"
        self._error(node, msg, "yaml-tag")

    def _check_scalar(self, node: ScalarNode) -> None:
        tag, convert = node.tag.removeprefix(_CORE), None
        if tag in ("str", "timestamp", "merge", "value"):
            # Timestamps stay text; a bare '=' or '<<' outside a key is just text
            # (safe_load would crash on those two for lack of a constructor).
            self.scalars[id(node)] = node.value
            return
        convert = (
            {
                "null": self.ctor.construct_yaml_null,
                "bool": self.ctor.construct_yaml_bool,
                "int": self.ctor.construct_yaml_int,
                "float": self.ctor.construct_yaml_float,
            }.get(tag)
            if node.tag.startswith(_CORE)
            else None
        )
        if convert is None:
            self._bad_tag(node)
            return
        try:
            self.scalars[id(node)] = convert(node)
        # e.g. '!!int x', 4301-digit ints; an empty '!!int' or '!!float' is an IndexError
        except (ValueError, KeyError, IndexError, yaml.YAMLError):
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            self._error(node, f"invalid {_show_tag(node.tag)} value {shown!r}", "yaml-value")

    def _check_mapping(self, node: MappingNode) -> None:
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = _deref(key_node)
            if not isinstance(key, ScalarNode):
                msg = "mapping keys must be plain strings or numbers, not lists or mappings"
                self._error(key_node, msg, "yaml-key")
            elif key.tag == _MERGE:
                value = _deref(value_node)
                items = value.value if isinstance(value, SequenceNode) else [value]
                if not all(isinstance(_deref(i), MappingNode) for i in items):
                    msg = "merge key '<<' needs a mapping or a list of mappings"
                    self._error(value_node, msg, "yaml-merge")
            elif key.value in first_seen:
                msg = f"duplicate key {key.value!r} (first defined on line {first_seen[key.value]})"
                self._error(key_node, msg, "duplicate-key")
            else:
                first_seen[key.value] = _pos(key_node)[0]

    def _report_overflow(self, root: Node) -> None:
        # Walk in document order, skipping whole subtrees that still fit, to
        # blame the first alias whose expansion crosses the limit.
        _, culprit = self._find_overflow(root, 0)
        node = culprit or root
        if isinstance(node, _Alias) or len(self.sizes) <= self.max_nodes:
            msg = f"aliases expand to more than {self.max_nodes} values (alias bomb?)"
            self._error(node, msg, "yaml-alias-bomb")
        else:
            self._error(node, f"document has more than {self.max_nodes} values", "too-large")

    def _find_overflow(self, node: Node, count: int) -> tuple[int, Node | None]:
        size = self.sizes[id(_deref(node))]
        if count + size <= self.max_nodes:
            return count + size, None
        if isinstance(node, _Alias):
            return count, node
        count += 1
        for child in _children(node):
            count, culprit = self._find_overflow(child, count)
            if culprit is not None:
                return count, culprit
        return count, node

    def _flatten(self, node: MappingNode) -> list[tuple[Node, Node]]:
        """Key/value pairs with ``<<`` merges applied, lowest priority first.

        Mirrors PyYAML's ``flatten_mapping``: explicit keys beat merged ones and
        in ``<<: [*a, *b]`` the earlier mapping wins.
        """
        merged: list[tuple[Node, Node]] = []
        explicit: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if _deref(key_node).tag != _MERGE:
                explicit.append((key_node, value_node))
                continue
            value = _deref(value_node)
            sources = value.value if isinstance(value, SequenceNode) else [value_node]
            for source in reversed(sources):
                source = _deref(source)
                if isinstance(source, MappingNode):  # pass 1 reported anything else
                    merged.extend(self._flatten(source))
        return merged + explicit

    def _build(self, node: Node, path: YamlPath) -> object:
        real = _deref(node)
        self.values[path] = _pos(node)
        if isinstance(real, SequenceNode):
            return [self._build(child, (*path, i)) for i, child in enumerate(real.value)]
        if not isinstance(real, MappingNode):
            return self.scalars[id(real)]
        # Keys become their source text: spec formats use string keys only.
        pairs = {_deref(k).value: (k, v) for k, v in self._flatten(real)}
        result: dict[str, object] = {}
        for name, (key_node, value_node) in pairs.items():
            self.keys[(*path, name)] = _pos(key_node)
            result[name] = self._build(value_node, (*path, name))
        return result
