"""The teams / escalation-policies / warm-up / review schema: what loads and how members
resolve (the broken catalogue covers the errors, each at its line)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from sim.spec import load_scenario
from sim.spec.checks_teams import team_members
from sim.spec.teams import BusinessHours, EscalationPolicySpec, WeeklyRotation
from sim.spec.triage import TriageSpec

ROOT = Path(__file__).resolve().parents[2]


def test_three_team_scenario_loads_with_its_policies() -> None:
    spec = load_scenario(ROOT / "scenarios" / "three-teams.yaml")
    assert set(spec.teams) == {"platform", "payments", "dba"}
    assert isinstance(spec.teams["dba"].schedule, WeeklyRotation)
    assert isinstance(spec.teams["payments"].schedule, BusinessHours)
    dba = spec.escalation_policies["dba-policy"]
    assert [lvl.targets for lvl in dba.levels] == [["dba"], ["dora"]]
    assert [lvl.timeout for lvl in dba.levels] == [10.0, 20.0]
    assert dba.repeat == 1
    assert spec.warmup == 1440.0


def test_members_resolve_names_and_roles_in_roster_order() -> None:
    spec = load_scenario(ROOT / "scenarios" / "three-teams.yaml")
    assert team_members(spec) == {
        "platform": ["pat", "pia"],
        "payments": ["pay-1", "pay-2"],
        "dba": ["dana", "dmitri"],
    }


def test_people_are_named_as_the_pool_names_them() -> None:
    spec = load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")
    names = [name for name, _ in spec.responders.people()]
    assert len(names) == len(set(names)) == spec.responders.size


def test_policy_defaults_follow_pagerduty() -> None:
    policy = EscalationPolicySpec.model_validate({"levels": [{"targets": ["a"]}]})
    assert policy.repeat == 0 and policy.levels[0].timeout == 30.0


@pytest.mark.parametrize(("value", "ok"), [("2", True), ("unknown", True), ("two", False)])
def test_missing_impact_field_needs_a_number_or_unknown(value: str, ok: bool) -> None:
    if ok:
        assert TriageSpec.model_validate({"missing": {"tier": value}}).missing == {"tier": value}
    else:
        with pytest.raises(ValidationError, match="tier is an impact field"):
            TriageSpec.model_validate({"missing": {"tier": value}})
