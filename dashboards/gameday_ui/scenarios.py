"""Scenarios for the dashboard: the shipped ones, or an uploaded YAML checked safely.

No Streamlit here: these functions are tested directly.

An uploaded scenario is written to a private temporary folder laid out like the
repository (``scenarios/<name>.yaml`` beside a ``runbooks`` link and a
``scenarios/triage`` link to the shipped folders), so its relative references resolve
*against the shipped folders*: ``runbooks: [../runbooks]`` and
``triage: triage/standard.yaml`` work as in the shipped scenarios, and inline runbooks
and triage rules work anywhere. A reference that would leave the shipped folders
(``/etc/...``, ``../../x``) is refused before anything is loaded. The file is loaded
by ``sim.spec`` (its YAML reader caps size, nesting and aliases and never builds
objects from tags) and every problem is reported as ``upload.yaml:line:col: message``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sim.spec import Diagnostic, ScenarioSpec, SpecError, check_paths, load_scenario
from sim.spec.yaml_source import read_yaml

__all__ = [
    "MAX_HORIZON_MINUTES",
    "MAX_REPLICATIONS",
    "MAX_UPLOAD_BYTES",
    "REPO",
    "Checked",
    "check_text",
    "digest",
    "load_shipped",
    "shipped_folder",
    "shipped_scenarios",
]

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
RUNBOOKS = REPO / "runbooks"
#: Folders under ``scenarios/`` whose files the dashboard offers; a scenario is checked
#: in a copy of its own folder so its relative references (``../../runbooks``) resolve.
SHIPPED_FOLDERS = ("", "library")
#: Guard rails of the UI (the command line has none of these).
MAX_UPLOAD_BYTES = 256 * 1024
MAX_REPLICATIONS = 200
MAX_HORIZON_MINUTES = 365 * 1440


@dataclass
class Checked:
    """The outcome of checking a scenario text: a spec, or diagnostics (or both:
    warnings do not stop a run)."""

    name: str
    spec: ScenarioSpec | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return self.spec is not None and not self.errors

    def lines(self) -> list[str]:
        """One ``file:line:col: message [rule]`` line per diagnostic."""
        return [str(d) for d in self.diagnostics]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def shipped_scenarios() -> dict[str, Path]:
    """Name -> path of the shipped scenarios: ``scenarios/*.yaml`` by file stem, then the
    library (``scenarios/library/*.yaml``) as ``library/<stem>``."""
    found: dict[str, Path] = {}
    for folder in SHIPPED_FOLDERS:
        where = SCENARIOS / folder if folder else SCENARIOS
        if where.is_dir():
            prefix = f"{folder}/" if folder else ""
            found |= {prefix + p.stem: p for p in sorted(where.glob("*.yaml"))}
    return found


def shipped_folder(path: Path) -> str:
    """The shipped folder (``""`` or ``"library"``) a shipped scenario lives in."""
    parent = path.resolve().parent
    for folder in SHIPPED_FOLDERS:
        if parent == (SCENARIOS / folder if folder else SCENARIOS).resolve():
            return folder
    raise KeyError(f"{path} is not in a shipped scenario folder")


def _allowed_roots() -> tuple[Path, ...]:
    """Where an upload's references may lead: the shipped runbooks and triage rules."""
    return (RUNBOOKS.resolve(), (SCENARIOS / "triage").resolve(), SCENARIOS.resolve())


def _reference_problems(path: Path, name: str, folder: str = "") -> list[Diagnostic]:
    """Refuse ``runbooks``/``triage`` references that leave the shipped folders.

    Read with ``sim.spec``'s reader, so YAML merge keys (``<<: {triage: /etc/x}``) are
    applied before the references are looked at, and deep nesting is an error, not a
    crash. Syntax errors are left to the full check, which reports them in place.
    """
    try:
        doc = read_yaml(path, display_name=name)
    except SpecError:
        return []
    if not isinstance(doc.data, dict):
        return []
    allowed = _allowed_roots()
    refs: list[tuple[tuple[str | int, ...], object]] = []
    runbooks, triage = doc.data.get("runbooks"), doc.data.get("triage")
    if isinstance(runbooks, list):
        refs += [(("runbooks", i), ref) for i, ref in enumerate(runbooks)]
    refs.append((("triage",), triage))
    problems = []
    for where, ref in refs:
        if not isinstance(ref, str):
            continue  # an inline runbook or triage document (or nothing)
        try:
            target = (SCENARIOS / folder / ref).resolve()
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
            target = Path("/")
        if not any(target == a or a in target.parents for a in allowed):
            line, col = doc.where_value(where)
            problems.append(
                Diagnostic(
                    name,
                    line,
                    col,
                    f"{ref[:200]!r} is outside the shipped scenarios/ and runbooks/ "
                    "folders; an uploaded scenario may reference only those "
                    "(e.g. ../runbooks, triage/standard.yaml) or inline documents",
                    "upload-reference",
                )
            )
    return problems


def _rename(
    diagnostics: list[Diagnostic], temp: Path, name: str, folder: str = ""
) -> list[Diagnostic]:
    """Show the uploaded file under its own name and shipped files relative to the repo."""
    upload = str(temp / "scenarios" / folder / name)
    out = []
    for d in diagnostics:
        file = d.file
        if file == upload or (file.endswith(os.sep + name) and file.startswith(str(temp))):
            file = name
        elif file.startswith(str(temp)):
            file = file[len(str(temp)) + 1 :]
        out.append(Diagnostic(file, d.line, d.col, d.message, d.rule, d.severity))
    return out


def check_text(text: str | bytes, name: str = "upload.yaml", folder: str = "") -> Checked:
    """Validate a scenario given as text (an upload); never raises for bad input.

    ``folder`` places it in a shipped folder (one of ``SHIPPED_FOLDERS``) for its
    relative references; uploads stay at the top of ``scenarios/``.
    """
    if folder not in SHIPPED_FOLDERS:
        raise ValueError(f"folder must be one of {SHIPPED_FOLDERS}, not {folder!r}")
    name = Path(name).name or "upload.yaml"
    if not name.endswith((".yaml", ".yml")):
        name += ".yaml"
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > MAX_UPLOAD_BYTES:
        msg = f"file is {len(raw):,} bytes; the dashboard accepts at most {MAX_UPLOAD_BYTES:,}"
        return Checked(name, None, [Diagnostic(name, 1, 1, msg, "too-large")])
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        return Checked(name, None, [Diagnostic(name, 1, 1, msg, "encoding")])
    with tempfile.TemporaryDirectory(prefix="gameday-upload-") as tmp:
        temp = Path(tmp)
        (temp / "scenarios").mkdir()
        (temp / "runbooks").symlink_to(RUNBOOKS, target_is_directory=True)
        (temp / "scenarios" / "triage").symlink_to(SCENARIOS / "triage", target_is_directory=True)
        path = temp / "scenarios" / folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(raw)
        refused = _reference_problems(path, name, folder)
        if refused:
            return Checked(name, None, refused)
        # The loader itself reads nothing outside these (symlinks resolved), whatever
        # the references say: the pre-check above only words the refusal well.
        roots = (path, *_allowed_roots())
        _, found = check_paths([path], roots=roots)
        diagnostics = _rename(list(found), temp, name, folder)
        spec = None
        if not any(d.severity == "error" for d in diagnostics):
            try:
                spec = load_scenario(path, roots=roots)
            except SpecError as exc:
                diagnostics += _rename(list(exc.diagnostics), temp, name, folder)
    if spec is not None and spec.horizon > MAX_HORIZON_MINUTES:
        msg = (
            f"horizon is {spec.horizon / 1440:,.0f} days; the dashboard runs at most 365 days "
            "per replication (use `gameday compare` for longer)"
        )
        diagnostics.append(Diagnostic(name, _line_of(decoded, "horizon"), 1, msg, "ui-limit"))
        spec = None
    return Checked(name, spec, diagnostics)


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def load_shipped(name: str) -> Checked:
    """A shipped scenario, checked like an upload (same limits)."""
    path = shipped_scenarios()[name]
    return check_text(path.read_bytes(), path.name, shipped_folder(path))
