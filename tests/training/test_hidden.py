"""The trainee never sees the fault kind, the fault's name or the root cause before
the debrief: everything a session exposes is walked at every step."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest

from sim.training import COMMANDS, Session, debrief, observe, postmortem, read_actions

from .helpers import SCENARIOS, actions_path, spec_of


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _secrets(name: str) -> list[re.Pattern[str]]:
    spec = spec_of(name)
    training = spec.training
    assert training is not None
    words = {f.kind for f in spec.faults.values()} | set(spec.faults)
    words |= {rule.name for rule in spec.triage_spec.rules}  # the rule decides the severity
    patterns = [re.compile(rf"(?<![\w-]){re.escape(w)}(?![\w-])", re.IGNORECASE) for w in words]
    texts = [*training.root_cause.values(), *(h.why for h in training.red_herrings)]
    patterns += [re.compile(re.escape(" ".join(t.split())[:60]), re.IGNORECASE) for t in texts]
    return patterns


def _exposed(name: str, persona: str) -> Iterator[str]:
    """Every string the session shows, from the start to the moment before 'end'."""
    session = Session(spec_of(name), 1)
    yield from _strings(observe(session))
    for _n, line in read_actions(actions_path(name, persona)):
        if line == "end":
            return
        yield session.act(line)
        yield from _strings(observe(session))
        # the help text of every command possible now
        yield from (COMMANDS[verb].usage for verb in session.allowed())


@pytest.mark.parametrize("persona", ["expert", "careless"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_nothing_exposed_names_the_fault_or_its_cause(name: str, persona: str) -> None:
    secrets = _secrets(name)
    seen = 0
    for text in _exposed(name, persona):
        flat = " ".join(text.split())
        seen += 1
        for secret in secrets:
            assert not secret.search(flat), f"{secret.pattern!r} shown before the debrief: {flat!r}"
    assert seen > 50


def test_the_walk_would_see_a_secret_in_the_debrief() -> None:
    """The same walk finds the kind and the root cause once the debrief reveals them."""
    name = "training-02-cascade"
    session = Session(spec_of(name), 1)
    for _n, line in read_actions(actions_path(name, "expert")):
        session.act(line)
    text = " ".join(" ".join(_strings(debrief(session, spread=2))).split())
    text += postmortem(session, debrief(session, spread=2))
    assert any(secret.search(text) for secret in _secrets(name))
    assert re.search(r"(?<![\w-])saturation(?![\w-])", text)
