"""Tests for Diagnostic/SpecError and for positioning pydantic errors in YAML."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import pytest
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)

from sim.spec.diagnostics import Diagnostic, SpecError, sort_key, sorted_diagnostics
from sim.spec.yaml_source import (
    SourceDoc,
    dotted_path,
    format_validation_error,
    read_yaml,
    yaml_path,
)

# --- Diagnostic and SpecError --------------------------------------------------


def test_error_and_warning_format() -> None:
    err = Diagnostic("a.yaml", 3, 7, "unknown key 'x'", "extra_forbidden")
    warn = Diagnostic("a.yaml", 1, 1, "unused runbook", "unused", "warning")
    assert str(err) == "a.yaml:3:7: unknown key 'x' [extra_forbidden]"
    assert str(warn) == "a.yaml:1:1: warning: unused runbook [unused]"
    assert err.severity == "error"


def test_diagnostic_is_frozen_and_hashable() -> None:
    d = Diagnostic("a", 1, 1, "m", "r")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.line = 2  # type: ignore[misc]
    assert len({d, Diagnostic("a", 1, 1, "m", "r")}) == 1


def test_ordering_is_by_file_line_col() -> None:
    ds = [
        Diagnostic("b.yaml", 1, 1, "x", "r"),
        Diagnostic("a.yaml", 10, 2, "y", "r"),
        Diagnostic("a.yaml", 2, 30, "z", "r"),
        Diagnostic("a.yaml", 2, 4, "w", "r"),
    ]
    assert [sort_key(d) for d in sorted(ds, key=sort_key)] == [
        ("a.yaml", 2, 4),
        ("a.yaml", 2, 30),
        ("a.yaml", 10, 2),
        ("b.yaml", 1, 1),
    ]


def test_sorted_diagnostics_drops_exact_duplicates_and_keeps_found_order() -> None:
    first = Diagnostic("a", 1, 1, "first", "r")
    second = Diagnostic("a", 1, 1, "second", "r")
    assert sorted_diagnostics([second, first, second]) == [second, first]


def test_spec_error_text_and_parts() -> None:
    late = Diagnostic("a.yaml", 9, 1, "late", "r")
    early = Diagnostic("a.yaml", 2, 5, "early", "r", "warning")
    exc = SpecError(iter([late, early, late]))
    assert exc.diagnostics == (early, late)
    assert str(exc) == "a.yaml:2:5: warning: early [r]\na.yaml:9:1: late [r]"
    assert exc.errors == (late,)
    assert exc.warnings == (early,)


def test_spec_error_pickles() -> None:
    exc = SpecError([Diagnostic("a.yaml", 1, 2, "bad", "r")])
    again = pickle.loads(pickle.dumps(exc))
    assert isinstance(again, SpecError)
    assert again.diagnostics == exc.diagnostics


# --- toy models ----------------------------------------------------------------


class _Base(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Step(_Base):
    name: str = Field(max_length=20)
    retries: int = Field(default=0, ge=0, le=10)
    time_limit: float | None = Field(default=None, alias="time-limit", gt=0)

    @model_validator(mode="after")
    def _not_reserved(self) -> Self:
        if self.name == "end":
            raise ValueError("'end' is reserved for the final step")
        return self


class LogNormal(_Base):
    dist: Literal["lognormal"]
    median: float = Field(gt=0)
    p90: float = Field(gt=0)


class Fixed(_Base):
    dist: Literal["fixed"]
    value: float = Field(ge=0)


class Service(_Base):
    tier: Literal["gold", "silver", "bronze"]
    replicas: int = Field(default=1, ge=1)
    ack_time: Annotated[LogNormal | Fixed, Field(discriminator="dist")]


class Page(_Base):
    via: Literal["page"]
    who: str


class Mail(_Base):
    via: Literal["mail"]
    who: str


def _positive(x: int) -> int:
    if x <= 0:
        raise ValueError("must be positive")
    return x


def _notify_tag(value: Any) -> str | None:
    via = value.get("via") if isinstance(value, dict) else None
    return via[:1] if isinstance(via, str) else None  # "page" -> tag "p"


class Scenario(_Base):
    name: str
    steps: list[Step] = []
    services: dict[str, Service] = {}
    notify: Page | Mail | None = None  # a plain (undiscriminated) union
    budget: Annotated[int, AfterValidator(_positive)] | str | None = None
    escalate: (
        Annotated[
            Annotated[Page, Tag("p")] | Annotated[Mail, Tag("m")],
            Discriminator(_notify_tag),
        ]
        | None
    ) = None


GOOD = """\
name: demo
steps:
  - name: restart
    retries: 2
services:
  checkout:
    tier: gold
    ack_time: {dist: lognormal, median: 2, p90: 9}
"""


def load(tmp_path: Path, text: str) -> SourceDoc:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path, display_name="scenario.yaml")


def diagnose(tmp_path: Path, text: str) -> list[Diagnostic]:
    doc = load(tmp_path, text)
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(doc.data)
    return format_validation_error(info.value, doc, Scenario)


def one(tmp_path: Path, text: str) -> Diagnostic:
    (d,) = diagnose(tmp_path, text)
    return d


def test_good_document_validates(tmp_path: Path) -> None:
    assert Scenario.model_validate(load(tmp_path, GOOD).data).services["checkout"].replicas == 1


def test_unknown_key_in_list_item_points_at_the_key(tmp_path: Path) -> None:
    text = "name: demo\nsteps:\n  - name: a\n  - name: b\n  - name: c\n    retires: 3\n"
    d = one(tmp_path, text)
    assert str(d) == (
        "scenario.yaml:6:5: unknown key 'retires' in steps[2]; did you mean 'retries'? "
        "[extra_forbidden]"
    )


def test_unknown_key_in_discriminated_union_member(tmp_path: Path) -> None:
    text = GOOD.replace("median: 2", "medain: 2")
    found = diagnose(tmp_path, text)
    assert [(d.rule, d.line, d.col, d.message) for d in found] == [
        ("missing", 8, 5, "missing required field 'median' in services.checkout.ack_time"),
        (
            "extra_forbidden",
            8,
            33,
            "unknown key 'medain' in services.checkout.ack_time; did you mean 'median'?",
        ),
    ]


def test_unknown_key_without_close_match_lists_allowed_keys(tmp_path: Path) -> None:
    d = one(tmp_path, "name: demo\nsteps:\n  - name: a\n    zzz: 1\n")
    assert d.message == ("unknown key 'zzz' in steps[0]; allowed keys: name, retries, time-limit")
    assert (d.line, d.col) == (4, 5)


def test_unknown_top_level_key(tmp_path: Path) -> None:
    d = one(tmp_path, "name: demo\nservice: {}\n")
    assert d.message == "unknown key 'service' at top level; did you mean 'services'?"
    assert (d.line, d.col) == (2, 1)


def test_alias_is_the_yaml_key(tmp_path: Path) -> None:
    d = one(tmp_path, "name: demo\nsteps:\n  - name: a\n    time_limt: 4\n")
    assert d.message == "unknown key 'time_limt' in steps[0]; did you mean 'time-limit'?"
    d = one(tmp_path, "name: demo\nsteps:\n  - name: a\n    time-limit: -1\n")
    assert d.message == "steps[0].time-limit: Input should be greater than 0 (got -1)"
    assert (d.rule, d.line, d.col) == ("greater_than", 4, 17)


def test_missing_field_points_at_the_parent_key(tmp_path: Path) -> None:
    text = "name: demo\nservices:\n  checkout:\n    ack_time: {dist: fixed, value: 1}\n"
    d = one(tmp_path, text)
    assert (d.rule, d.line, d.col) == ("missing", 3, 3)
    assert d.message == "missing required field 'tier' in services.checkout"


def test_missing_field_in_list_item_and_at_top_level(tmp_path: Path) -> None:
    found = diagnose(tmp_path, "steps:\n  - retries: 1\n")
    assert [(d.line, d.col, d.message) for d in found] == [
        (1, 1, "missing required field 'name' at top level"),
        (2, 5, "missing required field 'name' in steps[0]"),
    ]


def test_out_of_range_value_names_field_and_value(tmp_path: Path) -> None:
    d = one(tmp_path, GOOD.replace("    tier: gold\n", "    tier: gold\n    replicas: 0\n"))
    assert (d.rule, d.line, d.col) == ("greater_than_equal", 8, 15)
    assert d.message == (
        "services.checkout.replicas: Input should be greater than or equal to 1 (got 0)"
    )


def test_literal_error_suggests(tmp_path: Path) -> None:
    d = one(tmp_path, GOOD.replace("tier: gold", "tier: gld"))
    assert (d.rule, d.line, d.col) == ("literal_error", 7, 11)
    assert d.message == (
        "services.checkout.tier: Input should be 'gold', 'silver' or 'bronze', got 'gld'; "
        "did you mean 'gold'?"
    )


def test_unknown_discriminator_value(tmp_path: Path) -> None:
    d = one(tmp_path, GOOD.replace("dist: lognormal", "dist: lognorml"))
    assert (d.rule, d.line, d.col) == ("union_tag_invalid", 8, 22)
    assert d.message.startswith(
        "services.checkout.ack_time.dist: unknown dist 'lognorml'; did you mean 'lognormal'?"
    )


def test_missing_discriminator(tmp_path: Path) -> None:
    d = one(tmp_path, GOOD.replace("dist: lognormal, ", ""))
    assert (d.rule, d.line, d.col) == ("union_tag_not_found", 8, 5)
    assert d.message == "services.checkout.ack_time: missing key 'dist' that selects the kind"


def test_model_validator_message_is_clean(tmp_path: Path) -> None:
    d = one(tmp_path, "name: demo\nsteps:\n  - name: end\n")
    assert (d.rule, d.line, d.col) == ("value_error", 3, 5)
    assert d.message == "steps[0]: 'end' is reserved for the final step"


def test_long_values_are_truncated(tmp_path: Path) -> None:
    d = one(tmp_path, "name: demo\nsteps:\n  - name: " + "x" * 200 + "\n")
    got = d.message.split("(got ", 1)[1]
    assert got.endswith("...)") and len(got) <= 62


def test_plain_union_member_names_are_not_yaml_keys(tmp_path: Path) -> None:
    found = diagnose(tmp_path, "name: demo\nnotify: {via: sms}\n")
    # Each member rejects 'via' (and misses 'who'); no message names Page or Mail.
    literal = [d for d in found if d.rule == "literal_error"]
    assert [(d.line, d.col) for d in literal] == [(2, 15), (2, 15)]
    assert {d.message.split(":")[0] for d in literal} == {"notify.via"}
    assert not any("Page" in d.message or "Mail" in d.message for d in found)


def test_identical_messages_are_deduplicated(tmp_path: Path) -> None:
    found = diagnose(tmp_path, "name: demo\nnotify: {via: page}\n")
    # Page and Mail both miss 'who': one diagnostic, not two.
    assert [d.message for d in found if d.rule == "missing"] == [
        "missing required field 'who' in notify"
    ]


def test_function_validator_labels_are_skipped(tmp_path: Path) -> None:
    found = diagnose(tmp_path, "name: demo\nbudget: [1]\n")
    assert {d.message.split(":")[0] for d in found} == {"budget"}
    assert {d.rule for d in found} == {"int_type", "string_type"}


def test_callable_discriminator_tags_are_skipped(tmp_path: Path) -> None:
    found = diagnose(tmp_path, "name: demo\nescalate: {via: mail, whom: x}\n")
    assert [(d.rule, d.line, d.col, d.message) for d in found] == [
        ("missing", 2, 1, "missing required field 'who' in escalate"),
        ("extra_forbidden", 2, 23, "unknown key 'whom' in escalate; did you mean 'who'?"),
    ]


def test_prefix_for_validated_subtree(tmp_path: Path) -> None:
    doc = load(tmp_path, GOOD.replace("tier: gold", "tier: gld"))
    subtree = doc.data["services"]["checkout"]  # type: ignore[index]
    with pytest.raises(ValidationError) as info:
        Service.model_validate(subtree)
    (d,) = format_validation_error(info.value, doc, Service, prefix=("services", "checkout"))
    assert (d.line, d.col) == (7, 11)
    assert d.message.startswith("services.checkout.tier: ")


def test_yaml_path_drops_union_labels() -> None:
    loc = ("services", "checkout", "ack_time", "lognormal", "median")
    assert yaml_path(loc, Scenario) == ("services", "checkout", "ack_time", "median")
    assert yaml_path(("notify", "Page", "who"), Scenario) == ("notify", "who")
    assert yaml_path(("budget", "function-after[_positive(), int]"), Scenario) == ("budget",)
    assert yaml_path(("escalate", "m", "who"), Scenario) == ("escalate", "who")
    assert yaml_path(("steps", 3, "time-limit"), Scenario) == ("steps", 3, "time-limit")
    assert yaml_path(("unknown", "deeper", 1), Scenario) == ("unknown", "deeper", 1)


def test_dotted_path() -> None:
    assert dotted_path(()) == ""
    assert dotted_path(("steps", 2, "retries")) == "steps[2].retries"
    assert dotted_path(("services", "a.b", "tier")) == "services['a.b'].tier"
    assert dotted_path((0, "x")) == "[0].x"
