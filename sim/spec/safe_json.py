"""JSON from outside (alert payloads, results documents) parsed within bounds.

Python's ``json`` accepts what is not JSON (``NaN``, ``Infinity``), parses integers of
thousands of digits (slowly, then refuses past 4,300 with a ``ValueError`` that is not
a ``JSONDecodeError``), hands back lone surrogates (``"\\ud800"``) that no UTF-8 output
can print, and recurses on nesting until ``RecursionError``. :func:`parse_json` refuses
all of those with :class:`JsonRefused`, whose message says what and, where JSON syntax
is concerned, where (``line:col``).
"""

from __future__ import annotations

from typing import Any

from .limits import MAX_JSON_DEPTH

__all__ = ["MAX_INT_DIGITS", "JsonRefused", "parse_json"]

#: Integers in payloads are counts and timestamps: 40 digits is plenty.
MAX_INT_DIGITS = 40


class JsonRefused(ValueError):
    """Text that is not acceptable JSON; ``where`` is ``line:col`` when known."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.message, self.where = message, where


def _constant(token: str) -> Any:
    raise JsonRefused(f"{token} is not a JSON number (JSON has no NaN or infinity)")


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonRefused(
            f"an integer of {len(text.lstrip('-')):,} digits (at most {MAX_INT_DIGITS})"
        )
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise JsonRefused(f"the number {text[:20]} is too large for a float")
    return value


def _check(doc: Any, max_depth: int) -> None:
    """Depth and strings of the parsed document, without recursion."""
    todo: list[tuple[Any, int]] = [(doc, 1)]
    while todo:
        node, depth = todo.pop()
        if isinstance(node, dict):
            items: list[Any] = [*node.keys(), *node.values()]
        elif isinstance(node, list):
            items = node
        else:
            if isinstance(node, str):
                _utf8(node)
            continue
        if depth > max_depth:
            raise JsonRefused(f"nesting deeper than {max_depth} levels")
        todo.extend((item, depth + 1) for item in items)


def _utf8(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        raise JsonRefused(
            f"a string holds a lone surrogate (\\u{code:04x}), which is not a character"
        ) from None


def parse_json(raw: bytes | str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The document in ``raw`` (UTF-8 bytes or text); raise :class:`JsonRefused`."""
    import json

    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JsonRefused(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    else:
        text = raw
    try:
        doc = json.loads(text, parse_constant=_constant, parse_int=_integer, parse_float=_float)
    except json.JSONDecodeError as exc:
        raise JsonRefused(exc.msg, f"{exc.lineno}:{exc.colno}") from None
    except RecursionError:
        raise JsonRefused(f"nesting deeper than {max_depth} levels") from None
    _check(doc, max_depth)
    return doc
