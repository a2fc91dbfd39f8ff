"""Turn pydantic validation errors into positioned diagnostics.

Pydantic reports *where* in the validated data a problem is as a ``loc`` tuple,
but that tuple is not quite a path into the YAML: inside unions pydantic adds
the discriminator tag or the member type's name, and it knows nothing about
lines and columns. This module walks the model types alongside the ``loc`` to
drop those extra items, to learn the allowed keys for "did you mean" hints,
and then looks up the position in the :class:`~sim.spec.yaml_source.SourceDoc` (``Located``).
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal, Protocol, TypeGuard, Union, get_args, get_origin

import pydantic

from .diagnostics import Diagnostic, sorted_diagnostics

__all__ = ["Located", "YamlPath", "dotted_path", "format_validation_error", "yaml_path"]

YamlPath = tuple[str | int, ...]


class Located(Protocol):
    """Where values and keys of one YAML file are (``yaml_source.SourceDoc``)."""

    @property
    def file(self) -> str: ...

    @property
    def values(self) -> Mapping[YamlPath, tuple[int, int]]: ...

    def where_value(self, path: Iterable[str | int]) -> tuple[int, int]: ...

    def where_key(self, path: Iterable[str | int]) -> tuple[int, int]: ...


_UNKNOWN: object = object()  # a type we cannot follow any further
_NO_VALUE = {"missing", "extra_forbidden", "union_tag_invalid", "union_tag_not_found"}


def _unwrap(tp: object) -> object:
    """Strip ``Annotated[...]``, ``X | None`` and type aliases."""
    while True:
        if type(tp).__name__ == "TypeAliasType":
            tp = getattr(tp, "__value__", _UNKNOWN)
        elif get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif get_origin(tp) in (Union, types.UnionType):
            members = [m for m in get_args(tp) if m is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def _is_model(tp: object) -> TypeGuard[type[pydantic.BaseModel]]:
    return isinstance(tp, type) and issubclass(tp, pydantic.BaseModel)


def _field_keys(model: type[pydantic.BaseModel], *, primary: bool = False) -> dict[str, object]:
    """YAML key -> field annotation, in field order.

    The primary key of a field is its (validation) alias when it has one, which
    is what the YAML must say; with ``primary=False`` field names and alias
    choices are accepted too, since pydantic's loc may use any of them.
    """
    keys: dict[str, object] = {}
    for name, info in model.model_fields.items():
        alias = info.validation_alias
        choices = alias.choices if isinstance(alias, pydantic.AliasChoices) else [alias]
        names = [c for c in (*choices, info.alias, name) if c and isinstance(c, str)]
        for key in names[:1] if primary else names:
            keys.setdefault(key, info.annotation)
    return keys


def _union_labels(member: object) -> set[object]:
    """Loc items pydantic may use for ``member``: its Tag, class name or Literal tags."""
    labels: set[object] = set()
    if get_origin(member) is Annotated:  # Annotated[Model, Tag("x")] (callable discriminators)
        labels.update(m.tag for m in get_args(member)[1:] if isinstance(m, pydantic.Tag))
    member = _unwrap(member)
    labels.add(getattr(member, "__name__", _UNKNOWN))
    if _is_model(member):
        for field in member.model_fields.values():
            literal = _unwrap(field.annotation)
            if get_origin(literal) is Literal:
                labels.update(get_args(literal))
    return labels


def _step(tp: object, item: str | int) -> tuple[object, bool]:
    """Follow one loc item; returns (next type, whether the item is a YAML path item)."""
    tp = _unwrap(tp)
    if get_origin(tp) in (Union, types.UnionType):
        # Pydantic labels errors inside a multi-member union with the member's
        # tag (discriminated) or type name (plain); neither exists in the YAML.
        matches = [m for m in get_args(tp) if item in _union_labels(m)]
        return (matches[0] if matches else _UNKNOWN), False
    if _is_model(tp):
        return _field_keys(tp).get(str(item), _UNKNOWN), True
    origin, args = get_origin(tp) or tp, get_args(tp)
    if isinstance(origin, type) and issubclass(origin, Mapping):
        if item == "[key]":  # pydantic's marker for an invalid dict key
            return (args[0] if args else _UNKNOWN), False
        return (args[1] if len(args) == 2 else _UNKNOWN), True
    if isinstance(item, int) and isinstance(origin, type) and issubclass(origin, Iterable):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return (args[item] if item < len(args) else _UNKNOWN), True
        return (args[0] if args else _UNKNOWN), True
    return _UNKNOWN, True


def _walk(loc: Sequence[str | int], model: object) -> tuple[YamlPath, object]:
    path: list[str | int] = []
    tp = model
    for item in loc:
        tp, in_yaml = _step(tp, item)
        if in_yaml:
            path.append(item)
    return tuple(path), _unwrap(tp)


def yaml_path(loc: Sequence[str | int], model: type[pydantic.BaseModel]) -> YamlPath:
    """The YAML data path for a pydantic ``loc``, without union tag/member items."""
    return _walk(loc, model)[0]


def dotted_path(path: Iterable[str | int]) -> str:
    """``('steps', 2, 'retries')`` -> ``steps[2].retries``; the root is ``''``."""
    out = ""
    for item in path:
        if isinstance(item, int):
            out += f"[{item}]"
        elif re.fullmatch(r"[\w-]+", item):
            out += f".{item}" if out else item
        else:
            out += f"[{item!r}]"
    return out


def _in(path: YamlPath) -> str:
    return f" in {dotted_path(path)}" if path else " at top level"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _quoted(text: object) -> list[str]:
    """The values in pydantic's ``"'a', 'b' or 'c'"`` style expectation strings."""
    return re.findall(r"'((?:[^'\\]|\\.)*)'", str(text or ""))


def _did_you_mean(word: object, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _message(error: Any, path: YamlPath, parent_tp: object) -> tuple[str, YamlPath, bool]:
    """(message, path to point at, point at the key?) for one pydantic error."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    msg = re.sub(r"^(Value error|Assertion failed), ", "", error["msg"])
    where = dotted_path(path)
    if kind == "extra_forbidden" and path:
        text = f"unknown key {path[-1]!r}{_in(path[:-1])}"
        if _is_model(parent_tp):
            allowed = list(_field_keys(parent_tp, primary=True))
            hint = _did_you_mean(path[-1], allowed)
            text += hint or f"; allowed keys: {', '.join(allowed)}"
        return text, path, True
    if kind == "missing" and path:
        return f"missing required field {path[-1]!r}{_in(path[:-1])}", path[:-1], True
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        disc = (_quoted(ctx.get("discriminator")) or [""])[0]
        expected = _quoted(ctx.get("expected_tags"))
        if kind == "union_tag_not_found":
            need = f"missing key {disc!r} that selects the kind" if disc else msg
            return f"{where}: {need}" if where else need, path, True
        tag_path = (*path, disc) if disc else path
        text = f"{dotted_path(tag_path)}: unknown {disc or 'tag'} {ctx.get('tag')!r}"
        text += _did_you_mean(ctx.get("tag"), expected) + f" (expected {ctx.get('expected_tags')})"
        return text, tag_path, False
    text = f"{where}: {msg}" if where else msg
    if kind in ("literal_error", "enum"):
        return (
            f"{text}, got {_short(value)}{_did_you_mean(value, _quoted(ctx.get('expected')))}",
            path,
            False,
        )
    # A mapping or list is shown only for type mismatches ("expected a list, got
    # {...}"); elsewhere the path already says which one and the dump is noise. A
    # validator message that already says "got <value>" needs no second copy.
    if (
        kind not in _NO_VALUE
        and (not isinstance(value, dict | list) or kind.endswith("_type"))
        and f"got {_short(value)}" not in msg
        and not (isinstance(value, str) and _short(value) in msg)
    ):
        text += f" (got {_short(value)})"
    return text, path, False


def format_validation_error(
    err: pydantic.ValidationError,
    doc: Located,
    model: type[pydantic.BaseModel],
    *,
    prefix: YamlPath = (),
) -> list[Diagnostic]:
    """Position each error of ``err`` in ``doc``; sorted, without duplicates.

    ``model`` is what was validated; ``prefix`` is the YAML path of the validated
    sub-tree when that is not the whole document. Unknown keys point at the key,
    missing fields at the key of the mapping that lacks them, all else at the value.
    """
    found: dict[tuple[int, int, str], Diagnostic] = {}
    for error in err.errors(include_url=False):
        loc = tuple(error["loc"])
        rel_path, _ = _walk(loc, model)
        _, parent_tp = _walk(loc[:-1], model)
        path = (*prefix, *rel_path)
        if error["type"] not in _NO_VALUE:
            # A shorthand the model expanded (``tbf: 7d`` is {dist: fixed, value: 7d})
            # adds keys the YAML never had: name the value the author wrote.
            while path and path not in doc.values:
                path = path[:-1]
        message, at, on_key = _message(error, path, parent_tp)
        line, col = doc.where_key(at) if on_key else doc.where_value(at)
        found.setdefault(
            (line, col, message), Diagnostic(doc.file, line, col, message, error["type"])
        )
    return sorted_diagnostics(found.values())
