"""Tests for sim.spec.yaml_source.read_yaml: data, positions and every rejection path."""

from __future__ import annotations

import itertools
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.spec.diagnostics import Diagnostic, SpecError
from sim.spec.yaml_source import SourceDoc, read_yaml


def write(tmp_path: Path, text: str | bytes, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def load(tmp_path: Path, text: str | bytes, **kwargs: object) -> SourceDoc:
    return read_yaml(write(tmp_path, text), **kwargs)  # type: ignore[arg-type]


def failures(tmp_path: Path, text: str | bytes, **kwargs: object) -> list[Diagnostic]:
    with pytest.raises(SpecError) as info:
        load(tmp_path, text, **kwargs)
    assert info.value.diagnostics, "a SpecError must carry diagnostics"
    return list(info.value.diagnostics)


def only(tmp_path: Path, text: str | bytes, **kwargs: object) -> Diagnostic:
    (diag,) = failures(tmp_path, text, **kwargs)
    return diag


# --- data and positions ------------------------------------------------------

DOC = """\
name: checkout
services:
  api:
    tier: gold
    replicas: 3
steps:
  - id: restart
    retries: 2
  - {id: page, retries: 0}
"""


def test_data_is_plain_python(tmp_path: Path) -> None:
    doc = load(tmp_path, DOC)
    assert doc.data == yaml.safe_load(DOC)
    assert doc.file == str(tmp_path / "spec.yaml")


def test_value_and_key_positions_are_exact(tmp_path: Path) -> None:
    doc = load(tmp_path, DOC)
    assert doc.values[()] == (1, 1)
    assert doc.keys[("name",)] == (1, 1)
    assert doc.values[("name",)] == (1, 7)
    assert doc.keys[("services", "api")] == (3, 3)
    assert doc.values[("services", "api")] == (4, 5)
    assert doc.keys[("services", "api", "replicas")] == (5, 5)
    assert doc.values[("services", "api", "replicas")] == (5, 15)
    assert doc.values[("steps", 0)] == (7, 5)
    assert doc.values[("steps", 1)] == (9, 5)
    assert doc.keys[("steps", 1, "retries")] == (9, 16)
    assert doc.values[("steps", 1, "retries")] == (9, 25)
    assert ("steps", 0) not in doc.keys  # list items have no key


def test_where_falls_back_to_the_nearest_ancestor(tmp_path: Path) -> None:
    doc = load(tmp_path, DOC)
    assert doc.where_value(("services", "api", "tier")) == (4, 11)
    assert doc.where_key(("services", "api", "tier")) == (4, 5)
    assert doc.where(("services", "api", "tier")) == (4, 11)
    assert doc.where_key(("steps", 1)) == (9, 5)  # no key: the item itself
    assert doc.where_value(("services", "api", "nope", 3)) == (4, 5)
    assert doc.where_key(("services", "api", "nope")) == (3, 3)
    assert doc.where_value(("missing",)) == (1, 1)
    assert doc.where_key(()) == (1, 1)


def test_diagnostic_helper_uses_positions(tmp_path: Path) -> None:
    doc = load(tmp_path, DOC, display_name="x.yaml")
    d = doc.diagnostic(("services", "api"), "unknown team", "ref", at_key=True)
    assert str(d) == "x.yaml:3:3: unknown team [ref]"
    w = doc.diagnostic(("steps", 0, "retries"), "odd", "style", severity="warning")
    assert str(w) == "x.yaml:8:14: warning: odd [style]"


def test_scalars_resolve_like_safe_load(tmp_path: Path) -> None:
    text = (
        "a: yes\nb: ~\nc: 0x1F\nd: 1_000\ne: .inf\nf: -1.5\ng: '012'\nh: 012\n"
        "i: null\nj: Off\nk: 1.0e+3\nl: 1e3\nm: !!str 123\nn: !!float 1\no: !!int '7'\n"
    )
    assert load(tmp_path, text).data == yaml.safe_load(text)


def test_timestamps_stay_text(tmp_path: Path) -> None:
    doc = load(tmp_path, "day: 2024-03-01\nat: 2024-03-01T10:00:00Z\n")
    assert doc.data == {"day": "2024-03-01", "at": "2024-03-01T10:00:00Z"}


def test_keys_become_strings(tmp_path: Path) -> None:
    doc = load(tmp_path, "1: a\ntrue: b\nnull: c\n1.5: d\n")
    assert doc.data == {"1": "a", "true": "b", "null": "c", "1.5": "d"}
    assert doc.keys[("true",)] == (2, 1)


def test_bare_equals_and_merge_markers_are_text(tmp_path: Path) -> None:
    assert load(tmp_path, "op: =\nm: <<\n").data == {"op": "=", "m": "<<"}


def test_crlf_line_endings(tmp_path: Path) -> None:
    doc = load(tmp_path, "a: 1\r\nb:\r\n  c: 2\r\n")
    assert doc.values[("b", "c")] == (3, 6)


# --- merge keys and aliases ---------------------------------------------------

MERGE_DOC = """\
base: &base {timeout: 5, retries: 1}
extra: &extra {retries: 9, owner: sre}
one:
  <<: *base
  retries: 3
both:
  <<: [*base, *extra]
nested:
  <<: {<<: *extra, owner: ops}
  id: x
"""


def test_merge_keys(tmp_path: Path) -> None:
    data = load(tmp_path, MERGE_DOC).data
    assert isinstance(data, dict)
    assert data["one"] == {"timeout": 5, "retries": 3}  # explicit keys win
    assert data["nested"] == {"retries": 9, "owner": "ops", "id": "x"}
    # The merge spec says the earlier mapping of a list wins. PyYAML 6.0.4
    # lets the later one win for keys longer than one character (a regression,
    # yaml/pyyaml#953), so this one is checked against the spec, not safe_load.
    assert data["both"] == {"timeout": 5, "retries": 1, "owner": "sre"}
    expected = yaml.safe_load(MERGE_DOC)
    del expected["both"], data["both"]
    assert data == expected


def test_merge_bomb_is_rejected(tmp_path: Path) -> None:
    lines = ["m0: &m0 {k: v}"]
    lines += [f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 9)}]}}" for i in range(1, 12)]
    start = time.perf_counter()
    d = only(tmp_path, "\n".join(lines) + "\n")
    assert d.rule == "yaml-alias-bomb"
    assert time.perf_counter() - start < 0.5


def test_merged_entries_point_into_the_anchor(tmp_path: Path) -> None:
    doc = load(tmp_path, MERGE_DOC)
    assert doc.keys[("one", "timeout")] == (1, 14)  # merged: the key inside the anchor
    assert doc.keys[("one", "retries")] == (5, 3)  # explicit override
    assert doc.values[("one", "retries")] == (5, 12)
    assert doc.values[("both", "owner")] == (2, 35)


def test_alias_value_points_at_the_alias(tmp_path: Path) -> None:
    doc = load(tmp_path, "limit: &lim 5\nother: *lim\nlist: &l [a, b]\ncopy: *l\n")
    assert doc.data == {"limit": 5, "other": 5, "list": ["a", "b"], "copy": ["a", "b"]}
    assert doc.values[("other",)] == (2, 8)
    assert doc.values[("copy",)] == (4, 7)
    assert doc.values[("copy", 1)] == (3, 14)  # inside the alias: where it was written


@pytest.mark.parametrize("value", ["1", "[1, 2]", "[{a: 1}, 2]"])
def test_merge_needs_mappings(tmp_path: Path, value: str) -> None:
    d = only(tmp_path, f"a:\n  <<: {value}\n")
    assert (d.rule, d.line, d.col) == ("yaml-merge", 2, 7)


def billion_laughs(levels: int = 9) -> str:
    names = "abcdefghij"[: levels + 1]
    lines = [f'{names[0]}: &{names[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in itertools.pairwise(names):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_rejected_fast_and_small(tmp_path: Path) -> None:
    path = write(tmp_path, billion_laughs())
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(SpecError) as info:
        read_yaml(path)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 0.5
    assert peak < 20_000_000
    (d,) = info.value.diagnostics
    assert d.rule == "yaml-alias-bomb"
    # The second *e in f's list is where the running total first passes 200 000.
    assert (d.line, d.col) == (6, 11)


def test_small_alias_fanout_is_fine(tmp_path: Path) -> None:
    doc = load(tmp_path, billion_laughs(3))
    assert len(doc.data["d"]) == 9  # type: ignore[index]


def test_node_limit_without_aliases(tmp_path: Path) -> None:
    d = only(tmp_path, "[" + ", ".join(["1"] * 50) + "]\n", max_nodes=20)
    assert d.rule == "too-large"


def test_recursive_alias(tmp_path: Path) -> None:
    d = only(tmp_path, "a: &a [1, *a]\n")
    assert (d.rule, d.line, d.col) == ("yaml-recursion", 1, 11)


def test_undefined_alias(tmp_path: Path) -> None:
    d = only(tmp_path, "a: 1\nb: *nope\n")
    assert (d.rule, d.line, d.col) == ("yaml-syntax", 2, 4)
    assert "undefined alias 'nope'" in d.message


@pytest.mark.parametrize("depth", [150, 3000])
def test_deep_nesting(tmp_path: Path, depth: int) -> None:
    assert only(tmp_path, "[" * depth + "]" * depth).rule == "yaml-depth"


# --- duplicate and odd keys ---------------------------------------------------


def test_every_duplicate_key_is_reported(tmp_path: Path) -> None:
    text = """\
name: a
steps:
  - id: x
    id: y
name: b
services:
  api: {tier: gold, tier: silver}
name: c
"""
    found = failures(tmp_path, text)
    assert [(d.rule, d.line, d.col) for d in found] == [
        ("duplicate-key", 4, 5),
        ("duplicate-key", 5, 1),
        ("duplicate-key", 7, 21),
        ("duplicate-key", 8, 1),
    ]
    assert found[0].message == "duplicate key 'id' (first defined on line 3)"
    assert found[3].message == "duplicate key 'name' (first defined on line 1)"


def test_keys_equal_after_string_conversion_are_duplicates(tmp_path: Path) -> None:
    assert only(tmp_path, "1: a\n'1': b\n").rule == "duplicate-key"


def test_non_scalar_key(tmp_path: Path) -> None:
    d = only(tmp_path, "ok: 1\n? [a, b]\n: 2\n")
    assert (d.rule, d.line, d.col) == ("yaml-key", 2, 3)


# --- tags ----------------------------------------------------------------------


def test_python_tags_are_rejected_and_nothing_runs(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"
    text = (
        'echo: !!python/object/apply:os.system ["echo hi"]\n'
        f'touch: !!python/object/apply:os.system ["touch {marker}"]\n'
    )
    found = failures(tmp_path, text)
    assert [(d.rule, d.line, d.col) for d in found] == [("yaml-tag", 1, 7), ("yaml-tag", 2, 8)]
    assert "'!!python/object/apply:os.system' is not allowed" in found[0].message
    assert not marker.exists()
    assert "hi" not in capfd.readouterr().out


def test_every_foreign_tag_is_reported(tmp_path: Path) -> None:
    text = "a: !custom 1\nb: !!set {x}\nc: !!binary aGk=\nd:\n  - !!python/name:os.system\n"
    found = failures(tmp_path, text)
    assert [(d.line, d.col) for d in found] == [(1, 4), (2, 4), (3, 4), (5, 5)]
    assert {d.rule for d in found} == {"yaml-tag"}
    assert "'!custom'" in found[0].message


def test_bad_value_for_core_tag(tmp_path: Path) -> None:
    d = only(tmp_path, "n: !!int twelve\n")
    assert (d.rule, d.line, d.col) == ("yaml-value", 1, 4)


def test_huge_integer_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    assert only(tmp_path, "n: " + "9" * 5000 + "\n").rule == "yaml-value"


# --- files, encodings and syntax -----------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        read_yaml(tmp_path / "nope.yaml", display_name="nope.yaml")
    assert str(info.value) == "nope.yaml:1:1: file not found [io]"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        read_yaml(tmp_path)
    assert info.value.diagnostics[0].rule == "io"


def test_oversized_file_is_rejected_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:
        fh.truncate(6_000_000)  # sparse: 6 MB on paper

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr("sim.spec.yaml_source.open", no_reading, raising=False)
    with pytest.raises(SpecError) as info:
        read_yaml(path, display_name="big.yaml")
    (d,) = info.value.diagnostics
    assert (d.rule, d.line, d.col) == ("too-large", 1, 1)
    assert "6.0 MB" in d.message and "5.0 MB" in d.message


def test_bad_utf8_position(tmp_path: Path) -> None:
    d = only(tmp_path, b"a: 1\nb: caf\xc3\xa9 \xff\n")  # the bad byte is the 9th character
    assert (d.rule, d.line, d.col) == ("encoding", 2, 9)
    assert "UTF-8" in d.message


def test_utf16_is_rejected(tmp_path: Path) -> None:
    assert only(tmp_path, "a: 1\n".encode("utf-16")).rule == "encoding"


def test_utf8_bom_is_fine(tmp_path: Path) -> None:
    doc = load(tmp_path, "\ufeffa: 1\n")
    assert doc.data == {"a": 1}
    assert doc.values[("a",)] == (1, 4)


def test_control_character(tmp_path: Path) -> None:
    d = only(tmp_path, "a: 1\nb: x\x00y\n")
    assert (d.rule, d.line, d.col) == ("encoding", 2, 5)


def test_syntax_error_position_and_context(tmp_path: Path) -> None:
    d = only(tmp_path, "a: 1\nb: [1, 2\nc: 3\n")
    assert d.rule == "yaml-syntax"
    assert "while parsing a flow sequence at line 2, column 4" in d.message
    assert (d.line, d.col) == (3, 2)


def test_mapping_value_hint(tmp_path: Path) -> None:
    d = only(tmp_path, "msg: error: disk full\n")
    assert (d.rule, d.line, d.col) == ("yaml-syntax", 1, 11)
    assert "quote the value" in d.message


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [("a:\n\tb: 1\n", 2, 1), ("a:\n  b: 1\n  \tc: 2\n", 3, 3), ("- x\n-\ty\n", 2, 2)],
)
def test_tab_indentation(tmp_path: Path, text: str, line: int, col: int) -> None:
    d = only(tmp_path, text)
    assert (d.rule, d.line, d.col) == ("yaml-tab", line, col)
    assert d.message == "tab character used for indentation; YAML indents with spaces"


def test_tab_as_separator(tmp_path: Path) -> None:
    d = only(tmp_path, "a:\tb\n")
    assert (d.rule, d.line, d.col) == ("yaml-tab", 1, 3)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    d = only(tmp_path, text)
    assert (d.rule, d.line, d.col) == ("empty", 1, 1)


def test_multi_document(tmp_path: Path) -> None:
    d = only(tmp_path, "a: 1\n---\nb: 2\n")
    assert (d.rule, d.line, d.col) == ("multi-document", 2, 1)


def test_single_explicit_document_is_fine(tmp_path: Path) -> None:
    assert load(tmp_path, "---\na: 1\n...\n").data == {"a": 1}


# --- robustness ----------------------------------------------------------------

YAMLISH = st.text(alphabet=st.sampled_from(list(" \t\n\r:-?[]{},&*!#|>'\"%@`~<=ab01.\\xé")))


def _must_not_crash(path: Path, payload: bytes) -> None:
    path.write_bytes(payload)
    try:
        doc = read_yaml(path, max_nodes=5_000)
    except SpecError as exc:
        assert exc.diagnostics
        assert all(d.line >= 1 and d.col >= 1 for d in exc.diagnostics)
    else:
        assert isinstance(doc, SourceDoc)


_ROBUST = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_ROBUST
@given(text=st.one_of(st.text(), YAMLISH))
def test_any_text_loads_or_raises_spec_error(tmp_path: Path, text: str) -> None:
    _must_not_crash(tmp_path / "fuzz.yaml", text.encode("utf-8", "surrogatepass"))


@_ROBUST
@given(payload=st.binary())
def test_any_bytes_load_or_raise_spec_error(tmp_path: Path, payload: bytes) -> None:
    _must_not_crash(tmp_path / "fuzz.yaml", payload)
