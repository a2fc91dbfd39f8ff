"""The catalogue of broken spec files: every mistake is reported where it was made.

Each ``tests/spec/broken/*.yaml`` file starts with one or more header lines::

    # expect: [FILE:]LINE:COL RULE "MESSAGE FRAGMENT"

``gameday validate <file>`` must exit 2, print each expected diagnostic as
``FILE:LINE:COL: ...FRAGMENT... [RULE]`` (FILE defaults to the broken file itself; it
is relative to ``tests/spec/broken``), print no other error, and never a traceback.
Fixture files the broken scenarios reference live in ``broken/support/`` and are valid.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli import gameday

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "spec" / "broken"
SUPPORT = BROKEN / "support"

_EXPECT = re.compile(
    r'^# expect: (?:(?P<file>[^\s:]+):)?(?P<line>\d+):(?P<col>\d+) (?P<rule>[\w-]+) "(?P<frag>.+)"$'
)
_DIAGNOSTIC = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<warning>warning: )?(?P<message>.*) "
    r"\[(?P<rule>[\w-]+)\]$"
)


@dataclass(frozen=True)
class Expected:
    file: str  # as displayed by the CLI run from ROOT
    line: int
    col: int
    rule: str
    fragment: str


@dataclass(frozen=True)
class Reported:
    file: str
    line: int
    col: int
    rule: str
    message: str
    warning: bool


def expectations(path: Path) -> list[Expected]:
    """The ``# expect:`` lines of the file's leading comment block."""
    found = []
    for raw in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        if not raw.startswith("#"):
            break
        if not raw.startswith("# expect:"):
            continue
        match = _EXPECT.match(raw)
        assert match, f"{path.name}: malformed expectation header {raw!r}"
        target = BROKEN / match["file"] if match["file"] else path
        found.append(
            Expected(
                file=target.relative_to(ROOT).as_posix(),
                line=int(match["line"]),
                col=int(match["col"]),
                rule=match["rule"],
                fragment=match["frag"].replace('\\"', '"'),
            )
        )
    return found


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return gameday(*args, timeout=120)


def reported(stderr: str) -> list[Reported]:
    out = []
    for line in stderr.splitlines():
        match = _DIAGNOSTIC.match(line)
        if match:
            out.append(
                Reported(
                    file=match["file"],
                    line=int(match["line"]),
                    col=int(match["col"]),
                    rule=match["rule"],
                    message=match["message"],
                    warning=bool(match["warning"]),
                )
            )
    return out


def matches(exp: Expected, rep: Reported) -> bool:
    return (
        (rep.file, rep.line, rep.col, rep.rule) == (exp.file, exp.line, exp.col, exp.rule)
        and exp.fragment in rep.message
        and not rep.warning
    )


CATALOGUE = sorted(BROKEN.glob("*.yaml"))


# --- the catalogue itself ---------------------------------------------------------


def test_catalogue_is_large_and_every_file_states_its_expectation() -> None:
    assert len(CATALOGUE) >= 30
    for path in CATALOGUE:
        assert expectations(path), f"{path.name} has no '# expect:' header"
    # Support files are fixtures, not catalogue entries: they carry no expectation.
    for path in SUPPORT.rglob("*.yaml"):
        assert not expectations(path), f"{path} is a fixture and must not expect errors"


def test_support_fixtures_are_valid() -> None:
    result = run_cli("validate", "--strict", SUPPORT.relative_to(ROOT).as_posix())
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("path", CATALOGUE, ids=[p.stem for p in CATALOGUE])
def test_broken_file_is_reported_precisely(path: Path) -> None:
    expected = expectations(path)
    result = run_cli("validate", path.relative_to(ROOT).as_posix())
    output = result.stdout + result.stderr

    assert "Traceback" not in output
    assert result.returncode == 2, output
    got = reported(result.stderr)
    for exp in expected:
        assert any(matches(exp, rep) for rep in got), (
            f"expected {exp.file}:{exp.line}:{exp.col} [{exp.rule}] containing "
            f"{exp.fragment!r}; got:\n{result.stderr}"
        )
    # Nothing else: each file demonstrates its mistakes and no knock-on noise.
    assert len(got) == len(expected), result.stderr
    assert f"{len(expected)} error(s), 0 warning(s)" in result.stderr


def test_python_tag_file_does_not_execute(tmp_path: Path) -> None:
    """The !!python tag would run a shell command under yaml.unsafe_load; check it never runs."""
    marker = tmp_path / "pwned"
    text = (BROKEN / "yaml-python-object-tag.yaml").read_text()
    text = text.replace("touch /tmp/gameday-pwned", f"touch {marker}")
    broken = tmp_path / "tagged.yaml"
    broken.write_text(text)
    result = run_cli("validate", str(broken))
    assert result.returncode == 2
    assert "[yaml-tag]" in result.stderr
    assert not marker.exists()


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    """Generated here, never committed: a real (valid-looking) 50 MB runbook."""
    big = tmp_path / "huge-runbook.yaml"
    head = b"kind: runbook\nid: huge\ntitle: Huge\nfixes: [crash]\ndescription: |\n"
    line = b"  " + b"x" * 97 + b"\n"  # 100 bytes
    with big.open("wb") as fh:
        fh.write(head)
        fh.write(line * ((50_000_000 - len(head)) // len(line)))
        fh.write(b"\n" * (50_000_000 - fh.tell()))
    assert big.stat().st_size == 50_000_000

    result = run_cli("validate", str(big))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 2
    (rep,) = reported(result.stderr)
    assert (rep.file, rep.line, rep.col, rep.rule) == (str(big), 1, 1, "too-large")
    assert "file is 50.0 MB, over the 5.0 MB limit" in rep.message


# --- several mistakes, one run ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "positions"),
    [
        ("scenario-five-mistakes.yaml", [(12, 5), (15, 11), (18, 11), (20, 10), (26, 30)]),
        ("runbook-five-graph-mistakes.yaml", [(15, 17), (19, 17), (21, 9), (27, 9), (30, 11)]),
    ],
)
def test_five_distinct_mistakes_are_all_reported_in_one_run(
    name: str, positions: list[tuple[int, int]]
) -> None:
    path = BROKEN / name
    result = run_cli("validate", path.relative_to(ROOT).as_posix())
    assert result.returncode == 2
    got = reported(result.stderr)
    assert [(r.line, r.col) for r in got] == positions
    assert len({r.rule for r in got}) == 5, "five *distinct* mistakes"
    assert all(r.file == path.relative_to(ROOT).as_posix() for r in got)


def test_whole_catalogue_in_one_run_reports_every_expectation() -> None:
    """Validating many files at once loses nothing (shared runbooks load once)."""
    result = run_cli("validate", *(p.relative_to(ROOT).as_posix() for p in CATALOGUE))
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    got = reported(result.stderr)
    for path in CATALOGUE:
        for exp in expectations(path):
            assert any(matches(exp, rep) for rep in got), (path.name, exp)


# --- the shipped files ------------------------------------------------------------------


def test_shipped_scenarios_and_runbooks_validate() -> None:
    result = run_cli("validate", "scenarios", "runbooks")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stderr
    assert "0 error(s)" in result.stdout
