"""The benchmark workload as a bare SimPy model: the floor the engine is measured against.

The same process as ``sim.engine`` on a ``Workload`` (``bench/workload.py``), written the way a
SimPy tutorial would: plain generator processes, one ``random.Random``, a
``PriorityResource`` of responders, and nothing else — no event log, no alert objects,
no triage engine, no lifecycle state machine, no runbook executor, no pydantic objects
on the hot path. It keeps every *timed* thing the engine does, so both models schedule
about the same SimPy events per incident:

* faults arrive per fault definition as renewal processes (exponential ``tbf``);
* each breached alert rule fires at the evaluation tick after ``for`` and is delivered a
  detection delay later; the first delivery opens the service's incident, later ones join
  it (or are dropped if the fault cleared before the rule fired);
* the incident waits for a free responder (priority = severity rank), pages through the
  escalation levels until someone acknowledges (night slows acknowledgement down);
* triage is automated (``auto_triage``); diagnosis takes time and picks a fitting
  runbook, or a wrong one with ``wrong_runbook_p``; a runbook whose mitigating step
  failed verification (it does not fit) is ruled out, one that failed by mistakes may
  be tried again;
* the runbook's steps run in order, automated where the coverage says so, each with its
  duration, timeout, error probability, manual take-over of a failed automated attempt,
  retries, approvals and escalation; the mitigating step ends the faults it fixes;
* after ``max_attempts`` runbooks that did not mitigate, specialists fix it;
* the responder is released when the incident closes.

What it leaves out on purpose: severity re-evaluation on later alerts (it only matters
for queue priority) and everything the engine records rather than simulates.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import simpy
from workload import Dist, Workload

__all__ = ["BareProgram", "BareResult", "compile_bare", "run_bare"]

Sample = Callable[[random.Random], float]
_Z90 = 1.2815515655446004  # standard normal 90th percentile: links median and p90


def _sampler(d: Dist) -> Sample:
    """A sampler of ``d`` with ``random.Random``'s own variates (the cheapest way)."""
    if d.kind == "fixed":
        value = d.a
        return lambda rng: value
    if d.kind == "exponential":
        rate = 1.0 / d.a
        return lambda rng: rng.expovariate(rate)
    if d.kind == "lognormal":
        mu, sigma = math.log(d.a), math.log(d.b / d.a) / _Z90
        return lambda rng: rng.lognormvariate(mu, sigma)
    low, span = d.a, d.b - d.a
    return lambda rng: low + span * rng.random()


@dataclass(slots=True)
class _Step:
    manual: Sample
    p_manual: float
    auto: Sample | None  # None: a human performs it (not automatable or not covered)
    p_auto: float
    timeout: float | None
    retries: int  # retries after a manual failure (on_failure: retry); 0 = escalate
    approval: bool
    mitigates: bool


@dataclass(slots=True)
class _FaultDef:
    service: str
    tbf: Sample
    watches: tuple[tuple[float, float, Sample, int], ...]  # interval, for, delay, rank
    fixes: frozenset[int]


@dataclass(slots=True)
class _FaultRun:
    fault: _FaultDef
    onset: float
    ended: float | None = None
    attached: bool = False


@dataclass(slots=True)
class _Incident:
    service: str
    rank: int
    faults: list[_FaultRun]
    mitigated: float | None = None  # when its last active fault ended


@dataclass(frozen=True, slots=True)
class BareResult:
    """What one run of the bare model did (for checking the workloads match)."""

    incidents: int
    faults: int
    step_attempts: int
    ttr_sum: float  # sum over incidents of (mitigated - onset of their first fault)
    ttr_count: int

    @property
    def mttr(self) -> float:
        return self.ttr_sum / self.ttr_count if self.ttr_count else math.nan


def _fire_time(onset: float, interval: float, pending: float) -> float:
    # The evaluation tick at which a rule whose condition became true at ``onset`` fires.
    first = math.ceil(onset / interval - 1e-9) * interval
    return first + math.ceil(pending / interval - 1e-9) * interval


@dataclass(frozen=True, slots=True)
class BareProgram:
    """What does not change between runs of one workload (like the engine's compiled
    scenario): samplers, the steps of each runbook, each fault's alert rules."""

    workload: Workload
    runbooks: tuple[tuple[_Step, ...], ...]
    faults: tuple[_FaultDef, ...]
    ack: Sample
    diagnosis: Sample
    approval: Sample
    expert: Sample


def compile_bare(w: Workload) -> BareProgram:
    """Precompute everything a run of ``w`` reads but never changes."""
    runbooks = []
    for rb in w.runbooks:
        automated = w.automated(rb)
        runbooks.append(
            tuple(
                _Step(
                    manual=_sampler(s.manual),
                    p_manual=s.p_manual,
                    auto=_sampler(s.auto) if s.auto is not None and s.id in automated else None,
                    p_auto=s.p_auto,
                    timeout=s.timeout,
                    retries=s.retries if s.on_failure == "retry" else 0,
                    approval=s.approval,
                    mitigates=s.mitigates,
                )
                for s in rb.steps
            )
        )
    faults = tuple(
        _FaultDef(
            service=f.target,
            tbf=_sampler(Dist("exponential", f.tbf_mean)),
            watches=tuple(
                (r.interval, r.for_, _sampler(r.delay), rank) for r, rank in w.watches(f)
            ),
            fixes=frozenset(w.fixes(f)),
        )
        for f in w.faults
    )
    return BareProgram(
        workload=w,
        runbooks=tuple(runbooks),
        faults=faults,
        ack=_sampler(w.ack),
        diagnosis=_sampler(w.diagnosis),
        approval=_sampler(w.approval),
        expert=_sampler(w.expert),
    )


def run_bare(program: BareProgram, seed: int) -> BareResult:
    """Simulate the workload up to its horizon with ``seed``; return counts, not a log."""
    w = program.workload
    rng = random.Random(seed)
    env = simpy.Environment()
    horizon = w.horizon
    timeout = env.timeout
    runbooks, fault_defs = program.runbooks, program.faults
    ack, diagnosis = program.ack, program.diagnosis
    approval, expert = program.approval, program.expert
    night_start, night_end, night_factor = w.night
    start_minute = w.start_hour * 60.0
    windows = w.escalation
    last_page = (w.loops + 1) * len(windows) - 1
    skills = w.skills
    n_runbooks = len(runbooks)

    pool = simpy.PriorityResource(env, capacity=len(skills))
    free = list(range(len(skills)))
    open_incidents: dict[str, _Incident] = {}
    stats = {"incidents": 0, "faults": 0, "steps": 0, "ttr_sum": 0.0, "ttr_count": 0}

    def night(t: float) -> float:
        hour = int(((start_minute + t) // 60) % 24)
        if night_start < night_end:
            return night_factor if night_start <= hour < night_end else 1.0
        return night_factor if hour >= night_start or hour < night_end else 1.0

    def active(inc: _Incident) -> list[_FaultRun]:
        return [f for f in inc.faults if f.ended is None]

    def end_faults(inc: _Incident, runbook: int | None) -> None:
        now = env.now
        for f in inc.faults:
            if f.ended is None and (runbook is None or runbook in f.fault.fixes):
                f.ended = now
        if not active(inc):
            inc.mitigated = now

    # -- processes ------------------------------------------------------------------------

    def arrivals(fd: _FaultDef) -> Generator[simpy.Event, Any, None]:
        t = fd.tbf(rng)
        while t < horizon:
            yield timeout(t - env.now)
            run = _FaultRun(fd, t)
            stats["faults"] += 1
            deliveries = sorted(
                (fire + delay(rng), fire, rank)
                for interval, pending, delay, rank in fd.watches
                for fire in (_fire_time(t, interval, pending),)
            )
            env.process(alerts(run, deliveries))
            t += fd.tbf(rng)

    def alerts(
        run: _FaultRun, deliveries: list[tuple[float, float, int]]
    ) -> Generator[simpy.Event, Any, None]:
        for deliver_at, fired_at, rank in deliveries:
            yield timeout(deliver_at - env.now)
            if run.ended is not None and run.ended <= fired_at:
                continue  # the condition cleared before the rule fired
            inc = open_incidents.get(run.fault.service)
            if inc is None:
                stats["incidents"] += 1
                inc = open_incidents[run.fault.service] = _Incident(run.fault.service, rank, [])
                env.process(incident(inc))
            if not run.attached and run.ended is None:
                run.attached = True
                inc.faults.append(run)

    def incident(inc: _Incident) -> Generator[simpy.Event, Any, None]:
        claim = pool.request(priority=inc.rank)
        yield claim
        person = min(free)
        free.remove(person)
        skill = skills[person]
        # Page through the escalation levels until someone acknowledges.
        start, slow, offset = env.now, night(env.now), 0.0
        for page in range(last_page + 1):
            if offset > 0:
                yield timeout(start + offset - env.now)
            answer = ack(rng) * slow
            window = windows[page % len(windows)]
            if answer <= window or page == last_page:
                yield timeout(start + offset + answer - env.now)
                break
            offset += window
        ruled_out: set[int] = set()  # runbooks seen not to fix it (verification failed)
        for _ in range(w.max_attempts):
            if not active(inc):
                break
            yield timeout(diagnosis(rng) * night(env.now) / skill)
            fixes: set[int] = set()
            for f in active(inc):
                fixes |= f.fault.fixes
            right = [i for i in range(n_runbooks) if i in fixes and i not in ruled_out]
            wrong = [i for i in range(n_runbooks) if i not in fixes and i not in ruled_out]
            u, v = rng.random(), rng.random()
            if wrong and (u < w.wrong_runbook_p or not right):
                choice = wrong[int(v * len(wrong))]
            elif right:
                choice = right[0]
            else:
                break
            # The runbook: steps in order; retry, manual take-over, escalate.
            steps = runbooks[choice]
            pc, fallback, failures = 0, False, [0] * len(steps)
            while pc < len(steps):
                step = steps[pc]
                if step.approval:
                    yield timeout(approval(rng) * night(env.now) / skill)
                auto = step.auto is not None and not fallback
                if auto:
                    assert step.auto is not None
                    minutes, p_error = step.auto(rng), step.p_auto
                else:
                    minutes = step.manual(rng) * night(env.now) / skill
                    p_error = min(1.0, step.p_manual / skill)
                stats["steps"] += 1
                u = rng.random()
                if step.timeout is not None and minutes > step.timeout:
                    yield timeout(step.timeout)
                    ok = False
                else:
                    yield timeout(minutes)
                    if u < p_error:
                        ok = False
                    elif step.mitigates and not any(choice in f.fault.fixes for f in active(inc)):
                        ok = False
                        ruled_out.add(choice)  # a wrong runbook: not tried again
                    else:
                        ok = True
                if ok:
                    fallback = False
                    if step.mitigates:
                        end_faults(inc, choice)
                    pc += 1
                elif auto:
                    fallback = True  # a human takes over the failed automated attempt
                else:
                    fallback = False
                    failures[pc] += 1
                    if failures[pc] > step.retries:
                        break  # escalated: the runbook is over
        if active(inc):
            yield timeout(expert(rng) * night(env.now) / skill)
            end_faults(inc, None)
        if inc.mitigated is not None and inc.faults:
            stats["ttr_sum"] += inc.mitigated - inc.faults[0].onset
            stats["ttr_count"] += 1
        del open_incidents[inc.service]
        free.append(person)
        pool.release(claim)

    for fd in fault_defs:
        env.process(arrivals(fd))
    env.run(until=horizon)
    return BareResult(
        incidents=stats["incidents"],
        faults=stats["faults"],
        step_attempts=stats["steps"],
        ttr_sum=stats["ttr_sum"],
        ttr_count=stats["ttr_count"],
    )
