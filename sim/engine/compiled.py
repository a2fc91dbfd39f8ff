"""Everything about a scenario that does not change between replications.

Built once per (scenario, strategy) and reused by every replication in a process:
samplers, alert watches, impacts, compiled runbooks, the triage engine and which
steps each strategy automates. Replications then only create state.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.response import RunbookProgram, TriageEngine, compile_runbook, select_automated
from sim.spec.fault_kinds import CATALOGUE
from sim.spec.runbook import RunbookSpec
from sim.spec.scenario import ScenarioSpec, StrategySpec

from .monitoring import NoiseSource, Watch, noise_sources, watches_for_faults
from .reviews import CompiledReviews
from .sampling import Sampler, sampler
from .teams import CompiledTeams
from .topology import Impact, Topology
from .uniform_slots import STEP_SLOTS, incident_uniforms

__all__ = [
    "CompiledFault",
    "CompiledRunbook",
    "CompiledScenario",
    "CompiledStep",
    "compile_scenario",
]


@dataclass(frozen=True, slots=True)
class CompiledFault:
    name: str
    index: int
    kind: str
    target: str
    effect: str
    tbf: Sampler | None
    at: tuple[float, ...]
    self_heal: Sampler | None
    watches: tuple[Watch, ...]
    impact: Impact
    fixes: frozenset[str]  # ids of runbooks that fix this fault
    from_recovery: bool  # ``interval_from: recovery``: tbf counts from the last end


@dataclass(frozen=True, slots=True)
class CompiledStep:
    """What the per-step hot path needs about one step of one runbook, looked up once.

    ``block`` is where the step's uniforms start in ``IncidentNumbers.step_block``
    (position x attempts x purposes); ``mitigating``: it is the runbook's mitigating
    step (main phase only). ``auto``/``p_auto`` are None/0 for a step that cannot be
    automated.
    """

    manual: Sampler
    p_manual: float
    auto: Sampler | None
    p_auto: float
    block: int
    mitigating: bool
    id: str
    timeout: float | None


@dataclass(frozen=True, slots=True)
class CompiledRunbook:
    """A runbook's steps by position: main steps, then rollback steps, as numbered by
    ``StepRequest.position`` (an id may appear in both phases)."""

    by_position: tuple[CompiledStep, ...]

    @property
    def size(self) -> int:
        """Step positions: the size of a step block."""
        return len(self.by_position)


@dataclass(frozen=True, slots=True)
class CompiledScenario:
    spec: ScenarioSpec
    strategy_name: str
    strategy: StrategySpec
    faults: tuple[CompiledFault, ...]
    noise: tuple[NoiseSource, ...]
    programs: dict[str, RunbookProgram]
    runbook_order: tuple[str, ...]
    automated: dict[str, frozenset[str]]
    triage: TriageEngine
    ack: Sampler
    triage_time: Sampler
    diagnosis_time: Sampler
    approval_time: Sampler
    noise_time: Sampler
    expert_time: Sampler
    runbooks: dict[str, CompiledRunbook]  # per-step facts: samplers, error rates, ...
    step_block_width: int  # uniforms per runbook application, for the widest runbook
    wrong_runbook_p: float  # chance that diagnosis picks a runbook that does not fit
    teams: CompiledTeams | None  # None: no ``teams:``, the roster is one pool
    reviews: CompiledReviews | None  # None: reviews take no time (see ``reviews``)

    @property
    def incident_uniforms(self) -> int:
        """Uniforms a fault occurrence takes at its onset for its incident."""
        return incident_uniforms(self.step_block_width)


def _fixing(spec: ScenarioSpec, kind: str, allowed: list[str] | None) -> frozenset[str]:
    return frozenset(
        rb.id
        for rb in spec.runbook_index.values()
        if kind in rb.fixes and (allowed is None or rb.id in allowed)
    )


def _compile_runbook_steps(rb: RunbookSpec) -> CompiledRunbook:
    mitigating = rb.mitigating_step
    positions = [(0, s) for s in rb.steps] + [(1, s) for s in rb.rollback]
    return CompiledRunbook(
        by_position=tuple(
            CompiledStep(
                manual=sampler(step.manual.duration),
                p_manual=step.manual.failure_probability,
                auto=sampler(step.automated.duration) if step.automated is not None else None,
                p_auto=step.automated.failure_probability if step.automated is not None else 0.0,
                block=pos * STEP_SLOTS,
                mitigating=phase == 0 and step.id == mitigating,
                id=step.id,
                timeout=step.timeout,
            )
            for pos, (phase, step) in enumerate(positions)
        )
    )


def _compile(spec: ScenarioSpec, strategy_name: str) -> CompiledScenario:
    strategy = spec.strategies[strategy_name]
    topology = Topology(spec)
    watches = watches_for_faults(spec)
    faults = []
    for index, (name, fault) in enumerate(spec.faults.items()):
        effect = fault.effect or CATALOGUE[fault.kind].effect
        faults.append(
            CompiledFault(
                name=name,
                index=index,
                kind=fault.kind,
                target=fault.target,
                effect=effect,
                tbf=sampler(fault.tbf) if fault.tbf is not None else None,
                at=tuple(sorted(t for t in fault.at if t < spec.horizon)),
                self_heal=sampler(fault.self_heal) if fault.self_heal is not None else None,
                watches=watches[name],
                impact=topology.impact(fault.target, effect),
                fixes=_fixing(spec, fault.kind, fault.runbooks),
                from_recovery=fault.interval_from == "recovery",
            )
        )
    runbooks = spec.runbook_index
    responders = spec.responders
    return CompiledScenario(
        spec=spec,
        strategy_name=strategy_name,
        strategy=strategy,
        faults=tuple(faults),
        noise=tuple(noise_sources(spec)),
        programs={rid: compile_runbook(rb) for rid, rb in runbooks.items()},
        runbook_order=tuple(runbooks),
        automated={
            rid: select_automated(rb, strategy.automation_coverage) for rid, rb in runbooks.items()
        },
        triage=TriageEngine(spec.triage_spec),
        ack=sampler(responders.ack_time),
        triage_time=sampler(responders.triage_time),
        diagnosis_time=sampler(responders.diagnosis_time, scale=1.0 - strategy.assist),
        approval_time=sampler(responders.approval_time),
        noise_time=sampler(responders.noise_handling_time),
        expert_time=sampler(responders.expert_fix_time),
        runbooks={rid: _compile_runbook_steps(rb) for rid, rb in runbooks.items()},
        step_block_width=STEP_SLOTS
        * max((len(rb.steps) + len(rb.rollback) for rb in runbooks.values()), default=0),
        wrong_runbook_p=responders.wrong_runbook_probability * (1.0 - strategy.assist),
        teams=CompiledTeams(spec) if spec.teams else None,
        reviews=CompiledReviews.build(spec, strategy_name),
    )


# A cache, not state: compiled objects are immutable and a pure function of the key.
_CACHE: dict[tuple[str, str], CompiledScenario] = {}
_CACHE_SIZE = 32


def compile_scenario(spec: ScenarioSpec, strategy: str) -> CompiledScenario:
    """The compiled form of ``spec`` under ``strategy`` (cached by the spec's digest)."""
    if strategy not in spec.strategies:
        known = ", ".join(spec.strategies)
        raise KeyError(f"scenario {spec.name!r} has no strategy {strategy!r} (known: {known})")
    key = (spec.digest, strategy)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        found = _CACHE[key] = _compile(spec, strategy)
    return found
