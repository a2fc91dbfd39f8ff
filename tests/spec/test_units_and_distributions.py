"""Durations, distributions, kind inference and did-you-mean hints of the spec language."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError
from scipy import stats

from sim.spec import (
    Distribution,
    RunbookSpec,
    ScenarioSpec,
    SpecError,
    TriageSpec,
    load,
    parse_duration,
)
from sim.spec.checks import suggest
from sim.spec.distributions import (
    Z90,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    LogNormal,
    Triangular,
    Uniform,
)
from sim.spec.units import Duration, PositiveDuration, format_duration

DIST: TypeAdapter[Any] = TypeAdapter(Distribution)
DURATION: TypeAdapter[float] = TypeAdapter(Duration)
POSITIVE: TypeAdapter[float] = TypeAdapter(PositiveDuration)

# --- durations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90s", 1.5),
        ("15m", 15.0),
        ("2h", 120.0),
        ("30d", 43_200.0),
        ("1w", 10_080.0),
        ("1h30m", 90.0),
        ("1d2h3m30s", 1440 + 120 + 3 + 0.5),
        ("1.5h", 90.0),
        ("2.5h", 150.0),
        ("2H", 120.0),  # units are case-insensitive
        (" 15m ", 15.0),
        ("1h 30m", 90.0),
        ("45", 45.0),  # a bare number in a string is minutes too
        ("2.5", 2.5),
        (45, 45.0),
        (2.5, 2.5),
        (0, 0.0),
    ],
)
def test_parse_duration(text: object, minutes: float) -> None:
    assert parse_duration(text) == pytest.approx(minutes)
    assert isinstance(parse_duration(text), float)


@pytest.mark.parametrize(
    "bad", ["-5m", "abc", "5x", "m", "", "15 minutes", "1h-30m", "h1", True, False, None, [5], {}]
)
def test_parse_duration_rejects(bad: object) -> None:
    with pytest.raises(ValueError, match="expected a duration such as '90s', '15m'"):
        parse_duration(bad)


@pytest.mark.parametrize("bad", [-5, -0.5, "-5", float("inf"), "inf", "nan", float("nan"), "1e400"])
def test_duration_field_rejects_negative_and_non_finite(bad: object) -> None:
    with pytest.raises(ValidationError):
        DURATION.validate_python(bad)


def test_duration_field_accepts_zero_but_positive_duration_does_not() -> None:
    assert DURATION.validate_python("0m") == 0.0
    with pytest.raises(ValidationError, match="greater than zero"):
        POSITIVE.validate_python(0)
    assert POSITIVE.validate_python("1s") == pytest.approx(1 / 60)


# --- distributions: parameterisations and means ----------------------------------------------


def test_bare_duration_is_a_fixed_distribution() -> None:
    for value in ("5m", 5, 5.0, "300s"):
        dist = DIST.validate_python(value)
        assert dist == Fixed(value=5.0)
        assert dist.mean == 5.0
    with pytest.raises(ValidationError):
        DIST.validate_python(True)


def test_lognormal_from_median_and_p90() -> None:
    dist = DIST.validate_python({"dist": "lognormal", "median": "20m", "p90": "1h"})
    assert isinstance(dist, LogNormal)
    assert dist.mu == pytest.approx(math.log(20))
    assert dist.sigma == pytest.approx(math.log(3) / Z90)
    ref = stats.lognorm(s=dist.sigma, scale=math.exp(dist.mu))
    assert ref.median() == pytest.approx(20)
    assert ref.ppf(0.9) == pytest.approx(60)
    assert dist.mean == pytest.approx(ref.mean())
    assert dist.mean > dist.median  # right-skewed


def test_z90_is_the_normal_90th_percentile() -> None:
    assert abs(Z90 - stats.norm.ppf(0.9)) < 1e-12


def test_lognormal_from_mean_and_cv() -> None:
    dist = DIST.validate_python({"dist": "lognormal", "mean": "2h", "cv": 1.5})
    assert isinstance(dist, LogNormal)
    assert dist.mean == pytest.approx(120)
    assert dist.sigma == pytest.approx(math.sqrt(math.log(1 + 1.5**2)))
    ref = stats.lognorm(s=dist.sigma, scale=math.exp(dist.mu))
    assert ref.mean() == pytest.approx(120)
    assert ref.std() / ref.mean() == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"median": "20m", "p90": "10m"}, "p90 (10 min) must be greater than median (20 min)"),
        ({"median": "20m", "p90": "20m"}, "must be greater than median"),
        ({"median": "20m"}, "needs both 'median' and 'p90'"),
        ({"mean": "20m"}, "needs both 'mean' and 'cv'"),
        ({"median": "20m", "p90": "1h", "cv": 1}, "not both"),
        ({}, "needs 'median' and 'p90'"),
        ({"mean": "20m", "cv": 0}, "greater than 0"),
        ({"mean": "20m", "cv": 25}, "less than or equal to 20"),
        ({"median": 0, "p90": 5}, "greater than zero"),
    ],
)
def test_lognormal_rejects(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        DIST.validate_python({"dist": "lognormal", **params})


def test_gamma_from_shape_and_scale() -> None:
    dist = DIST.validate_python({"dist": "gamma", "shape": 2.5, "scale": "4m"})
    assert isinstance(dist, Gamma)
    assert (dist.k, dist.theta) == (2.5, 4.0)
    assert dist.mean == pytest.approx(10)
    assert dist.mean == pytest.approx(stats.gamma(a=2.5, scale=4).mean())


def test_gamma_from_mean_and_cv() -> None:
    dist = DIST.validate_python({"dist": "gamma", "mean": "30m", "cv": 0.5})
    assert isinstance(dist, Gamma)
    assert dist.k == pytest.approx(4.0)
    assert dist.theta == pytest.approx(7.5)
    ref = stats.gamma(a=dist.k, scale=dist.theta)
    assert ref.mean() == pytest.approx(30)
    assert ref.std() / ref.mean() == pytest.approx(0.5)
    assert dist.mean == pytest.approx(30)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"shape": 2, "mean": "10m"}, "not both"),
        ({"shape": 2}, "needs 'shape' and 'scale'"),
        ({"cv": 0.5}, "needs 'shape' and 'scale'"),
        ({"shape": 0, "scale": 5}, "greater than 0"),
        ({"shape": 2, "scale": "-5m"}, "expected a duration"),
    ],
)
def test_gamma_rejects(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        DIST.validate_python({"dist": "gamma", **params})


def test_other_distributions_and_their_means() -> None:
    assert DIST.validate_python({"dist": "exponential", "mean": "30d"}) == Exponential(mean=43_200)
    assert DIST.validate_python({"dist": "exponential", "mean": "30d"}).mean == 43_200
    assert DIST.validate_python({"dist": "fixed", "value": "90s"}).mean == 1.5
    uni = DIST.validate_python({"dist": "uniform", "low": "10m", "high": "20m"})
    assert isinstance(uni, Uniform) and uni.mean == 15
    tri = DIST.validate_python({"dist": "triangular", "low": 1, "mode": 2, "high": 6})
    assert isinstance(tri, Triangular) and tri.mean == pytest.approx(3)
    emp = DIST.validate_python({"dist": "empirical", "values": ["1m", "2m", "1h"]})
    assert isinstance(emp, Empirical) and emp.mean == pytest.approx(21)


@pytest.mark.parametrize(
    "doc",
    [
        {"dist": "uniform", "low": "20m", "high": "10m"},
        {"dist": "triangular", "low": 1, "mode": 7, "high": 6},
        {"dist": "triangular", "low": 5, "mode": 5, "high": 5},
        {"dist": "empirical", "values": []},
        {"dist": "exponential", "mean": 0},
        {"dist": "exponential", "mean": "30d", "sd": 1},  # unknown key
        {"dist": "normal", "mean": 5},
        {"mean": 5},  # no dist tag
    ],
)
def test_distribution_rejects(doc: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        DIST.validate_python(doc)


# --- kind inference ---------------------------------------------------------------------------

RUNBOOK = """\
id: restart
title: Restart
fixes: [crash]
steps:
  - {id: restart, action: restart it, manual: {duration: 5m}}
"""
TRIAGE = "rules:\n  - {name: all, severity: P2}\n"
SEVERITIES = "severities:\n" + "".join(
    f"  P{i}: {{ack_sla: 5m, mitigate_sla: 1h}}\n" for i in range(4)
)
SCENARIO = """\
name: mini
horizon: 1d
services: {api: {}}
faults: {api-crash: {kind: crash, target: api, at: [1h]}}
alert_rules: {down: {signal: availability, op: "<", threshold: 0.99}}
responders: {roster: [{role: primary}]}
strategies: {manual: {}}
runbooks:
  - kind: runbook
""" + textwrap.indent(RUNBOOK, "    ")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "model"),
    [
        (RUNBOOK, RunbookSpec),
        (TRIAGE, TriageSpec),
        (SEVERITIES, TriageSpec),
        (SCENARIO, ScenarioSpec),
    ],
    ids=["steps-means-runbook", "rules-means-triage", "severities-means-triage", "services"],
)
def test_kind_is_inferred_from_keys(tmp_path: Path, text: str, model: type) -> None:
    assert "kind:" not in text.splitlines()[0]
    spec = load(_write(tmp_path, text))
    assert type(spec) is model


def test_explicit_kind_wins_over_inference(tmp_path: Path) -> None:
    # 'steps' suggests a runbook, but the file says triage: steps is an unknown key.
    with pytest.raises(SpecError) as info:
        load(_write(tmp_path, "kind: triage\n" + RUNBOOK))
    rules = {d.rule for d in info.value.diagnostics}
    assert rules == {"extra_forbidden"}
    assert any("unknown key 'steps'" in d.message for d in info.value.diagnostics)


def test_inference_prefers_scenario_when_keys_are_mixed(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load(_write(tmp_path, SCENARIO + "steps: []\n"))
    (diag,) = info.value.diagnostics
    assert diag.message.startswith("unknown key 'steps' at top level")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\n", "cannot tell what this file is"),
        ("kind: playbook\n", "got 'playbook'"),
        ("kind: 3\n", "got 3"),
        ("kind: [runbook]\n", "got ['runbook']"),
    ],
)
def test_kind_problems(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SpecError) as info:
        load(_write(tmp_path, text))
    (diag,) = info.value.diagnostics
    assert diag.rule == "kind"
    assert message in diag.message


# --- did you mean -----------------------------------------------------------------------------


def test_suggest_close_match() -> None:
    assert suggest("dbb", ["db", "api", "web"]) == "; did you mean 'db'?"
    assert suggest("restart-servce", ["restart-service", "scale-out"]) == (
        "; did you mean 'restart-service'?"
    )


def test_suggest_lists_known_names_when_nothing_is_close() -> None:
    assert suggest("zzz", ["web", "api", "db"]) == "; known: api, db, web"
    many = [f"svc-{i:02d}" for i in range(20)]
    hint = suggest("zzz", many)
    assert hint.startswith("; known: svc-00, svc-01") and hint.endswith(", ...")
    assert hint.count(",") == 12  # twelve names shown, then the ellipsis


def test_suggest_with_nothing_defined() -> None:
    assert suggest("anything", []) == "; none are defined"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("target: api", "target: apj", "fault 'api-crash' targets unknown service 'apj'; did you"),
        (
            "{roster: [{role: primary}]}",
            "{roster: [{role: primary}], escalation: {levels: [{role: primray}]}}",
            "pages role 'primray', which nobody in the roster has; did you mean 'primary'?",
        ),
        (
            "strategies: {manual: {}}",
            "strategies: {manual: {}}\nexpect: [{metric: mttr.mean, max: 1h, strategy: manaul}]",
            "unknown strategy 'manaul'; did you mean 'manual'?",
        ),
        ("services: {api: {}}", "services: {api: {depends_on: [apx]}, apx2: {}}", "'apx2'"),
    ],
)
def test_cross_check_references_suggest_the_close_name(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in SCENARIO
    with pytest.raises(SpecError) as info:
        load(_write(tmp_path, SCENARIO.replace(old, new, 1)))
    (diag,) = info.value.errors
    assert diag.rule == "unknown-reference"
    assert message in diag.message
    assert "did you mean" in diag.message


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(43200, "30d"), (10080, "7d"), (90, "1h30m"), (1530, "1d1h30m"), (0.5, "30s"), (0, "0m")],
)
def test_format_duration_is_compact(minutes: float, text: str) -> None:
    assert format_duration(minutes) == text


@pytest.mark.parametrize("minutes", [43200, 90, 0.5, 7.25, 1530, 0.0125, 1e-9, 123456.75])
def test_format_duration_reads_back(minutes: float) -> None:
    assert parse_duration(format_duration(minutes)) == minutes
