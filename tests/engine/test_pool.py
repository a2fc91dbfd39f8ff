"""The responder pool never loses a person, even when interrupts race with hand-overs."""

from __future__ import annotations

from pathlib import Path

import pytest
import simpy

from sim.engine.compiled import compile_scenario
from sim.engine.responders import Person, Pool
from sim.engine.world import World
from sim.spec import load_scenario
from sim.spec.scenario import RespondersSpec

SCENARIOS = sorted(Path(__file__).resolve().parents[2].joinpath("scenarios").glob("*.yaml"))


def _pool(env: simpy.Environment, count: int) -> Pool:
    return Pool(
        env, RespondersSpec.model_validate({"roster": [{"role": "oncall", "count": count}]})
    )


def _get(pool: Pool, rank: int):
    """What the engine does: claim a free person, else queue."""
    person = pool.claim_free()
    if person is None:
        person, _ = yield from pool.wait(rank)
    return person


def test_a_free_person_is_claimed_without_waiting() -> None:
    env = simpy.Environment()
    pool = _pool(env, 2)
    first, second = pool.claim_free(), pool.claim_free()
    assert first is not None and second is not None and first is not second
    assert pool.claim_free() is None
    pool.release(first)
    assert pool.claim_free() is first


def test_interrupt_in_the_same_instant_as_the_hand_over_gives_the_person_back() -> None:
    env = simpy.Environment()
    pool = _pool(env, 1)
    holder: dict[str, object] = {}

    def first():
        person = yield from _get(pool, 0)
        yield env.timeout(10)
        pool.release(person)

    def second():
        try:
            holder["got"] = yield from _get(pool, 0)
        except simpy.Interrupt:
            holder["interrupted"] = True

    env.process(first())
    waiter = env.process(second())

    def interrupter():
        # Scheduled after the first user's release at t=10, so the hand-over to the
        # waiter is already triggered when the interrupt arrives in the same instant.
        yield env.timeout(5)
        yield env.timeout(5)
        waiter.interrupt("healed")

    env.process(interrupter())
    env.run()
    assert holder == {"interrupted": True}
    assert len(pool.free) == 1 and not pool.queue


def test_the_person_an_interrupted_waiter_was_handed_goes_to_the_next_in_line() -> None:
    env = simpy.Environment()
    pool = _pool(env, 1)
    served: list[str] = []

    def user(name: str, rank: int, start: float, hold: float):
        yield env.timeout(start)
        try:
            person = yield from _get(pool, rank)
        except simpy.Interrupt:
            return
        served.append(name)
        yield env.timeout(hold)
        pool.release(person)

    env.process(user("busy", 3, 0, 10))
    doomed = env.process(user("doomed", 0, 1, 5))
    env.process(user("next", 2, 2, 5))

    def interrupter():
        yield env.timeout(10)
        doomed.interrupt("healed")

    env.process(interrupter())
    env.run()
    assert served == ["busy", "next"]
    assert len(pool.free) == 1 and not pool.queue


def test_a_waiter_interrupted_in_the_queue_leaves_it() -> None:
    env = simpy.Environment()
    pool = _pool(env, 1)
    busy = pool.claim_free()
    assert busy is not None

    def waiter():
        with pytest.raises(simpy.Interrupt):
            yield from _get(pool, 1)

    proc = env.process(waiter())
    env.run(until=1)
    assert len(pool.queue) == 1
    proc.interrupt("healed")
    env.run(until=2)
    assert not pool.queue
    pool.release(busy)
    assert pool.free == [busy]


def test_priority_serves_the_most_severe_first_then_first_come() -> None:
    env = simpy.Environment()
    pool = _pool(env, 1)
    order: list[str] = []

    def user(name: str, rank: int, start: float):
        yield env.timeout(start)
        person = yield from _get(pool, rank)
        order.append(name)
        yield env.timeout(5)
        pool.release(person)

    env.process(user("busy", 3, 0))
    env.process(user("p2-early", 2, 1))
    env.process(user("p0", 0, 2))
    env.process(user("p2-late", 2, 3))
    env.run()
    assert order == ["busy", "p0", "p2-early", "p2-late"]


def test_the_most_skilled_free_person_answers() -> None:
    env = simpy.Environment()
    pool = Pool(
        env,
        RespondersSpec.model_validate(
            {"roster": [{"role": "junior", "skill": 0.8}, {"role": "senior", "skill": 1.3}]}
        ),
    )
    first = pool.claim_free()
    assert isinstance(first, Person) and first.role == "senior"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_no_person_is_lost_in_a_whole_run(path: Path) -> None:
    """At the horizon every person is free or held by an incident still open, for every
    strategy: nobody stays claimed by a closed incident (e.g. one that healed before
    the background page under auto-remediation went out)."""
    spec = load_scenario(path)
    for strategy in spec.strategies:
        for seed in (1, 2, 3):
            world = World(compile_scenario(spec, strategy), seed)
            world.start()
            world.env.run(until=spec.horizon)
            held = [inc.person for inc in world.open_incidents.values() if inc.person]
            assert len(world.pool.free) + len(held) == len(world.pool.people), (
                strategy,
                seed,
            )
