"""The responder pool never loses a person, even when interrupts race with grants."""

from __future__ import annotations

import simpy

from sim.engine.responders import Pool
from sim.spec.scenario import RespondersSpec


def _pool(env: simpy.Environment, count: int) -> Pool:
    return Pool(
        env, RespondersSpec.model_validate({"roster": [{"role": "oncall", "count": count}]})
    )


def test_interrupt_in_the_same_instant_as_the_grant_gives_the_slot_back() -> None:
    env = simpy.Environment()
    pool = _pool(env, 1)
    holder: dict[str, object] = {}

    def first():
        person, claim, _ = yield from pool.acquire(0)
        yield env.timeout(10)
        pool.release(person, claim)

    def second():
        try:
            person, claim, _ = yield from pool.acquire(0)
            holder["got"] = (person, claim)
        except simpy.Interrupt:
            holder["interrupted"] = True

    env.process(first())
    waiter = env.process(second())

    def interrupter():
        # Scheduled after the first user's release at t=10, so the grant to the waiter
        # is already triggered when the interrupt arrives in the same instant.
        yield env.timeout(5)
        yield env.timeout(5)
        yield env.timeout(0)  # after the Release event, before the waiter resumes
        waiter.interrupt("healed")

    env.process(interrupter())
    env.run()
    assert holder == {"interrupted": True}
    assert pool.resource.count == 0
    assert len(pool.free) == 1


def test_priority_serves_the_most_severe_first() -> None:
    env = simpy.Environment()
    pool = _pool(env, 1)
    order: list[str] = []

    def user(name: str, rank: int, start: float):
        yield env.timeout(start)
        person, claim, _ = yield from pool.acquire(rank)
        order.append(name)
        yield env.timeout(5)
        pool.release(person, claim)

    env.process(user("busy", 3, 0))
    env.process(user("p2", 2, 1))
    env.process(user("p0", 0, 2))
    env.run()
    assert order == ["busy", "p0", "p2"]
