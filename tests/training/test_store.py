"""Sessions in SQLite: resumed from their inputs, refused on a changed scenario, ranked."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.eventlog import digest
from sim.training import ReplayError, Score, Session, TrainingStore, read_actions

from .helpers import actions_path, spec_of


def test_a_half_played_session_resumes_where_it_stopped(tmp_path: Path) -> None:
    name = "training-02-cascade"
    spec = spec_of(name)
    lines = [line for _n, line in read_actions(actions_path(name, "expert"))]
    store = TrainingStore(tmp_path / "t.sqlite")
    session = Session(spec, 1)
    sid = store.create(session, "ann")
    for line in lines[:9]:
        session.act(line)
        store.sync(sid, session)  # as the terminal and the page do after every command
    assert store.unfinished(spec.name, 1, session.role, "ann") == sid
    resumed = store.load(sid, spec)
    assert resumed.now == session.now and resumed.prompt == session.prompt
    assert digest(resumed.events) == digest(session.events)
    for line in lines[9:]:
        resumed.act(line)
    complete = Session(spec, 1)
    for line in lines:
        complete.act(line)
    assert digest(resumed.events) == digest(complete.events)


def test_a_session_of_a_changed_scenario_is_not_resumed(tmp_path: Path) -> None:
    spec = spec_of("training-01-crash")
    store = TrainingStore(tmp_path / "t.sqlite")
    session = Session(spec, 1)
    session.act("ack")
    sid = store.create(session, "ann")
    store.sync(sid, session)
    changed = spec.model_copy(update={"start_hour": 11})
    with pytest.raises(ReplayError, match="another version"):
        store.load(sid, changed)


def test_inputs_given_at_another_minute_do_not_replay() -> None:
    from sim.training import Input

    spec = spec_of("training-01-crash")
    with pytest.raises(ReplayError, match="minute"):
        Session.replay(spec, 1, None, [Input(3.0, "ack")])


def test_the_leaderboard_ranks_finished_sessions_best_first(tmp_path: Path) -> None:
    spec = spec_of("training-01-crash")
    store = TrainingStore(tmp_path / "t.sqlite")
    for player, total in (("ann", 55.0), ("bob", 91.5), ("cy", 70.0)):
        session = Session(spec, 1)
        sid = store.create(session, player)
        store.finish(sid, Score(total, (), ()))
    store.create(Session(spec, 1), "dee")  # unfinished: not ranked
    assert [(p, s) for p, s, _m, _seed in store.leaderboard(spec.name)] == [
        ("bob", 91.5),
        ("cy", 70.0),
        ("ann", 55.0),
    ]
