"""The source holds no way to run code from data: no eval/exec, no unsafe YAML loading,
no pickle of untrusted data, no shell strings (SECURITY.md, issue 12).

The scan reads the syntax tree of every module of ``sim`` and ``dashboards`` (comments
and strings do not count). One use is allowed and named here with the reason; any new
one fails the test until it is justified the same way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "sim").rglob("*.py"), *(ROOT / "dashboards").rglob("*.py")])

#: (file relative to the repository, call) -> why it is safe.
ALLOWED = {
    ("sim/experiments/shared_spec.py", "pickle.loads"): (
        "unpickles the scenario its own parent process pickled for a pool or Dask worker; "
        "workers trust their scheduler by design (SECURITY.md, cluster workers)"
    ),
}
FORBIDDEN_CALLS = {
    "eval",
    "exec",
    "compile",
    "__import__",
    "os.system",
    "os.popen",
    "pickle.load",
    "pickle.loads",
    "marshal.load",
    "marshal.loads",
    "shelve.open",
    "yaml.load",
    "yaml.load_all",
    "yaml.unsafe_load",
    "yaml.unsafe_load_all",
    "yaml.full_load",
    "yaml.full_load_all",
    "pd.read_pickle",
    "pandas.read_pickle",
}
UNSAFE_YAML_LOADERS = {"Loader", "UnsafeLoader", "FullLoader", "CLoader", "CUnsafeLoader"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return "?"


def findings(source: str, rel: str) -> list[str]:
    """Forbidden calls in ``source`` (the text of the module at ``rel``)."""
    tree = ast.parse(source, filename=rel)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        where = f"{rel}:{node.lineno}: {name}"
        if name in FORBIDDEN_CALLS and (rel, name) not in ALLOWED:
            found.append(where)
        for kw in node.keywords:
            value = _name(kw.value) if isinstance(kw.value, ast.expr) else ""
            if kw.arg == "Loader" and value.rsplit(".", 1)[-1] in UNSAFE_YAML_LOADERS:
                found.append(f"{where} with Loader={value}")
            if kw.arg == "shell" and isinstance(kw.value, ast.Constant) and kw.value.value:
                found.append(f"{where} with shell=True")
            if kw.arg == "allow_pickle" and isinstance(kw.value, ast.Constant) and kw.value.value:
                found.append(f"{where} with allow_pickle=True")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=[p.relative_to(ROOT).as_posix() for p in SOURCES])
def test_no_code_from_data(path: Path) -> None:
    assert findings(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix()) == []


def test_the_scan_finds_what_it_looks_for() -> None:
    probe = (
        "import pickle, yaml, subprocess\n"
        "eval('1')\n"
        "pickle.loads(b'')\n"
        "yaml.load('', Loader=yaml.Loader)\n"
        "subprocess.run('ls', shell=True)\n"
    )
    got = findings(probe, "sim/probe.py")
    assert len(got) == 5, got
    assert findings(probe, "sim/experiments/shared_spec.py") != got  # the allowance applies


def test_every_allowance_is_still_needed() -> None:
    for rel, call in ALLOWED:
        assert call.split(".")[-1] in (ROOT / rel).read_text(), (rel, call)
