"""Load spec files: YAML with positions -> pydantic models -> cross-checks.

Every problem in every file is collected and reported at once as a
``file:line:col: message [rule]`` diagnostic; nothing is half-loaded. A scenario's
runbook and triage references are resolved relative to the scenario file, so the
``ScenarioSpec`` returned is self-contained.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar, cast

from pydantic import BaseModel, ValidationError

from .checks import Finding, check_runbook, check_scenario, check_triage, suggest
from .diagnostics import Diagnostic, SpecError
from .runbook import RunbookSpec
from .scenario import ScenarioSpec
from .training_checks import check_training
from .triage import TriageSpec
from .workload import work_findings
from .yaml_source import SourceDoc, format_validation_error, read_yaml

__all__ = [
    "KINDS",
    "Kind",
    "Spec",
    "check_paths",
    "discover",
    "load",
    "load_runbook",
    "load_scenario",
    "load_triage",
]

Kind = Literal["scenario", "runbook", "triage"]
KINDS: dict[str, type[BaseModel]] = {
    "scenario": ScenarioSpec,
    "runbook": RunbookSpec,
    "triage": TriageSpec,
}
Spec = ScenarioSpec | RunbookSpec | TriageSpec
_YAML_SUFFIXES = (".yaml", ".yml")
_M = TypeVar("_M", bound=BaseModel)


def _display(path: Path) -> str:
    """A short, stable name for messages: relative to the working directory if inside."""
    absolute = Path(os.path.normpath(path.absolute()))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


@dataclass
class _Parsed:
    doc: SourceDoc | None
    kind: str | None
    spec: BaseModel | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.spec is not None and not any(d.severity == "error" for d in self.diagnostics)


class _Loader:
    """One loading session; caches files so a runbook shared by scenarios loads once."""

    def __init__(self, roots: Sequence[str | os.PathLike[str]] | None = None) -> None:
        self._cache: dict[Path, _Parsed] = {}
        self._active: set[Path] = set()  # scenarios whose references are being resolved
        # With roots, no file or folder outside them is read, even through a symlink.
        self._roots = None if roots is None else tuple(Path(r).resolve() for r in roots)

    def allowed(self, path: Path) -> bool:
        if self._roots is None:
            return True
        real = path.resolve()
        return any(real == r or r in real.parents for r in self._roots)

    def parse(self, path: Path) -> _Parsed:
        key = Path(os.path.normpath(path.absolute()))
        if not self.allowed(key):
            msg = "outside the folders this check may read; not opened"
            diag = Diagnostic(_display(key), 1, 1, msg, "outside-roots")
            return _Parsed(None, None, None, [diag])
        if key in self._active:
            # Only a scenario resolves references: one that reaches itself (``runbooks:
            # [.]``, or two scenarios naming each other's folders) is a scenario, which
            # a runbook folder skips and a triage reference reports as the wrong kind.
            return _Parsed(None, "scenario", None)
        if key not in self._cache:
            self._active.add(key)
            try:
                self._cache[key] = self._parse(key)
            finally:
                self._active.discard(key)
        return self._cache[key]

    def all_diagnostics(self) -> list[Diagnostic]:
        unique = {d: None for p in self._cache.values() for d in p.diagnostics}
        return sorted(unique, key=lambda d: (d.file, d.line, d.col, d.rule))

    # ------------------------------------------------------------------ parse

    def _parse(self, path: Path) -> _Parsed:
        name = _display(path)
        try:
            doc = read_yaml(path, display_name=name)
        except SpecError as exc:
            return _Parsed(None, None, None, list(exc.diagnostics))
        data = doc.data
        if not isinstance(data, dict):
            got = type(data).__name__
            diag = Diagnostic(name, 1, 1, f"top level must be a mapping of keys, got {got}", "type")
            return _Parsed(doc, None, None, [diag])
        kind, problem = _kind_of(data, doc)
        if problem is not None:
            return _Parsed(doc, None, None, [problem])
        assert kind is not None
        model = KINDS[kind]
        try:
            spec = model.model_validate(data)
        except ValidationError as exc:
            return _Parsed(doc, kind, None, format_validation_error(exc, doc, model))
        parsed = _Parsed(doc, kind, spec)
        if isinstance(spec, RunbookSpec):
            parsed.diagnostics += _located(doc, check_runbook(spec))
        elif isinstance(spec, TriageSpec):
            parsed.diagnostics += _located(doc, check_triage(spec))
        elif isinstance(spec, ScenarioSpec):
            parsed.spec = self._resolve(spec, doc, path, parsed.diagnostics)
        return parsed

    def _resolve(
        self, spec: ScenarioSpec, doc: SourceDoc, path: Path, out: list[Diagnostic]
    ) -> ScenarioSpec:
        """Replace file references by documents, then run the scenario cross-checks."""
        base = path.parent
        findings: list[Finding] = []
        complete = True
        runbooks: list[RunbookSpec] = []
        origin: dict[str, tuple[str | int, ...]] = {}
        for i, ref in enumerate(spec.runbooks):
            where: tuple[str | int, ...] = ("runbooks", i)
            if isinstance(ref, RunbookSpec):
                findings += check_runbook(ref, prefix=where)
                found = [ref]
            else:
                found, ok = self._runbooks_at(base / ref, where, findings)
                complete &= ok
            for rb in found:
                if rb.id in origin:
                    findings.append(
                        Finding(where, f"runbook id {rb.id!r} is loaded twice", "duplicate-id")
                    )
                    continue
                origin[rb.id] = where
                runbooks.append(rb)

        triage = spec.triage
        if isinstance(triage, TriageSpec):
            findings += check_triage(triage, prefix=("triage",))
        else:
            target = base / triage
            parsed = self.parse(target) if self.allowed(target) and target.is_file() else None
            if parsed is None:
                findings.append(
                    Finding(("triage",), f"triage rules file {triage!r} not found", "io")
                )
                complete = False
            elif parsed.kind not in (None, "triage"):
                findings.append(
                    Finding(("triage",), f"{triage!r} is a {parsed.kind} file", "wrong-kind")
                )
                complete = False
            elif not parsed.ok:
                complete = False
            else:
                triage = cast(TriageSpec, parsed.spec)

        resolved = spec.model_copy(update={"runbooks": runbooks, "triage": triage})
        findings += work_findings(resolved)
        if complete:
            findings += check_scenario(
                resolved, shared_triage=not isinstance(spec.triage, TriageSpec)
            )
            findings += check_training(resolved)
        out += _located(doc, findings)
        return resolved

    def _runbooks_at(
        self, target: Path, where: tuple[str | int, ...], findings: list[Finding]
    ) -> tuple[list[RunbookSpec], bool]:
        if not self.allowed(target):
            msg = f"{_display(target)} is outside the folders this check may read"
            findings.append(Finding(where, msg, "outside-roots"))
            return [], False
        if target.is_dir():
            files = sorted(p for p in target.iterdir() if p.suffix in _YAML_SUFFIXES)
            wanted = [p for p in files if self.parse(p).kind in (None, "runbook")]
        elif target.is_file():
            wanted = [target]
        else:
            findings.append(Finding(where, f"no such file or folder: {_display(target)}", "io"))
            return [], False
        result: list[RunbookSpec] = []
        ok = True
        for p in wanted:
            parsed = self.parse(p)
            if parsed.kind not in (None, "runbook"):
                findings.append(
                    Finding(
                        where, f"{_display(p)} is a {parsed.kind} file, not a runbook", "wrong-kind"
                    )
                )
                ok = False
            elif parsed.ok:
                result.append(cast(RunbookSpec, parsed.spec))
            else:
                ok = False
        return result, ok


def _kind_of(data: dict[str, object], doc: SourceDoc) -> tuple[str | None, Diagnostic | None]:
    """The document's kind: its ``kind:`` key, else guessed from its keys."""
    kind = data.get("kind")
    if kind is not None:
        if isinstance(kind, str) and kind in KINDS:
            return kind, None
        line, col = doc.where_value(("kind",))
        msg = f"kind must be scenario, runbook or triage, got {kind!r}{suggest(str(kind), KINDS)}"
        return None, Diagnostic(doc.file, line, col, msg, "kind")
    if "services" in data:
        return "scenario", None
    if "steps" in data:
        return "runbook", None
    if "rules" in data or "severities" in data:
        return "triage", None
    msg = "cannot tell what this file is: add 'kind: scenario', 'kind: runbook' or 'kind: triage'"
    return None, Diagnostic(doc.file, 1, 1, msg, "kind")


def _yaml_path(data: object, path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """The YAML path of a model path.

    A shorthand such as ``depends_on: [db, cache]`` is a mapping in the model but a
    list in the YAML, so the model's key ``db`` is the list index of ``db`` there.
    """
    out: list[str | int] = []
    node = data
    for item in path:
        if isinstance(node, list) and isinstance(item, str) and item in node:
            item = node.index(item)
        out.append(item)
        if isinstance(node, dict) and isinstance(item, str):
            node = node.get(item)
        elif isinstance(node, list) and isinstance(item, int) and 0 <= item < len(node):
            node = node[item]
        else:
            node = None
    return tuple(out)


def _located(doc: SourceDoc, findings: Iterable[Finding]) -> list[Diagnostic]:
    out = []
    for f in findings:
        path = _yaml_path(doc.data, f.path)
        line, col = doc.where_key(path) if f.at_key else doc.where_value(path)
        out.append(Diagnostic(doc.file, line, col, f.message, f.rule, f.severity))
    return out


# ------------------------------------------------------------------------ public API


def discover(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """YAML files named directly or found (recursively) under the folders given."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found += sorted(q for q in p.rglob("*") if q.suffix in _YAML_SUFFIXES and q.is_file())
        else:
            found.append(p)
    return found


def check_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    roots: Sequence[str | os.PathLike[str]] | None = None,
) -> tuple[int, list[Diagnostic]]:
    """Validate files and folders; return (files checked, every error and warning).

    With ``roots``, files and folders outside them (symlinks resolved) are not read."""
    loader = _Loader(roots)
    files = discover(paths)
    for p in files:
        loader.parse(p)
    return len(files), loader.all_diagnostics()


def _load_as(
    path: str | os.PathLike[str],
    model: type[_M] | None,
    roots: Sequence[str | os.PathLike[str]] | None = None,
) -> _M:
    loader = _Loader(roots)
    parsed = loader.parse(Path(path))
    errors = [d for d in loader.all_diagnostics() if d.severity == "error"]
    if errors:
        raise SpecError(errors)
    if model is not None and not isinstance(parsed.spec, model):
        name = _display(Path(path))
        kind = parsed.kind or "unknown"
        expected = next(k for k, m in KINDS.items() if m is model)
        raise SpecError(
            [Diagnostic(name, 1, 1, f"expected a {expected} file, got {kind}", "wrong-kind")]
        )
    return cast(_M, parsed.spec)


def load(path: str | os.PathLike[str]) -> Spec:
    """Load any spec file; raise ``SpecError`` listing every error (warnings ignored)."""
    return cast(Spec, _load_as(path, None))


def load_scenario(
    path: str | os.PathLike[str], *, roots: Sequence[str | os.PathLike[str]] | None = None
) -> ScenarioSpec:
    """Load a scenario and resolve its runbooks and triage rules (only inside ``roots``,
    when given)."""
    return _load_as(path, ScenarioSpec, roots)


def load_runbook(path: str | os.PathLike[str]) -> RunbookSpec:
    return _load_as(path, RunbookSpec)


def load_triage(path: str | os.PathLike[str]) -> TriageSpec:
    return _load_as(path, TriageSpec)
