"""The ``console`` blocks of docs/triage-examples.md show the commands' real output.

Each block starts with ``$ gameday ...``; the rest is what the command prints (stdout,
then stderr), followed by ``[exit status N]`` when N is not 0. Set
``GAMEDAY_UPDATE_DOCS=1`` to rewrite the blocks from the current output.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent.parent
DOC = ROOT / "docs" / "triage-examples.md"
BLOCK = re.compile(r"```console\n(\$ gameday [^\n]*)\n(.*?)```", re.DOTALL)


def _render(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(shlex.split(command)[2:])
    out, err = capsys.readouterr()
    status = f"[exit status {code}]\n" if code else ""
    return f"{command}\n{out}{err}{status}"


def test_triage_examples_show_real_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # the doc uses paths relative to the repository
    monkeypatch.setenv("COLUMNS", "80")  # output wraps to the terminal: the doc shows 80
    text = DOC.read_text()
    blocks = list(BLOCK.finditer(text))
    assert len(blocks) >= 4, "expected the Alertmanager, PagerDuty and error examples"
    rendered = {m.group(1): _render(m.group(1), capsys) for m in blocks}
    if os.environ.get("GAMEDAY_UPDATE_DOCS"):
        DOC.write_text(
            BLOCK.sub(lambda m: f"```console\n{rendered[m.group(1)]}```", text), encoding="utf-8"
        )
        return
    for m in blocks:
        assert f"{m.group(1)}\n{m.group(2)}" == rendered[m.group(1)], (
            f"{DOC.name}: output of `{m.group(1)[2:]}` changed; rerun with GAMEDAY_UPDATE_DOCS=1"
        )


def test_the_rules_shown_are_the_rules_used() -> None:
    import yaml

    shown = re.search(
        r"```yaml\n(# tests/data/triage-rules.yaml.*?)```", DOC.read_text(), re.DOTALL
    )
    assert shown is not None
    used = yaml.safe_load((ROOT / "tests" / "data" / "triage-rules.yaml").read_text())
    used.pop("kind")
    assert yaml.safe_load(shown.group(1)) == used
