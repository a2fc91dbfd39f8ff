"""A ``gameday test`` session: discover files, load them, simulate, judge, report.

Two phases so the caller can size a progress bar and choose the executor:
:func:`prepare` discovers and loads every file (a file that does not load becomes a
failed ``validate`` case: bad input, exit 2) and counts the tasks;
:func:`execute` submits every scenario's replications and every runbook drill to one
executor before waiting for any, then judges each expectation and check in file order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path

from sim.spec import RunbookSpec, ScenarioSpec, SpecError, TriageSpec, discover, load
from sim.spec.diagnostics import Diagnostic
from sim.spec.variants import with_warmup

from .evaluate import evaluate_expectation, replications_case
from .journal import file_journal
from .options import DEFAULT_REPLICATIONS, DEFAULT_SEED, TestOptions
from .replicate import FactsFutures, gather_facts, submit_facts
from .results import CaseResult, FileResult, Report, now
from .runbooks import DrillOutcome, RunbookUnderTest
from .scenario import ScenarioUnderTest, display_path

__all__ = [
    "DEFAULT_REPLICATIONS",
    "DEFAULT_SEED",
    "Loaded",
    "Plan",
    "TestOptions",
    "execute",
    "load_file",
    "prepare",
]

Advance = Callable[[int], None]


@dataclass
class Loaded:
    """A discovered file after loading: its result so far (the ``validate`` case) and
    what is under test, if it loaded."""

    result: FileResult
    scenario: ScenarioUnderTest | None = None
    runbook: RunbookUnderTest | None = None


@dataclass
class Plan:
    """Loaded files, ready to run; ``tasks`` counts what :func:`execute` will wait for."""

    options: TestOptions
    files: list[Loaded]
    problems: list[str] = field(default_factory=list)
    started: float = 0.0

    @property
    def tasks(self) -> int:
        """Strategies to simulate plus runbook drills (units of the progress bar)."""
        count = 0
        for f in self.files:
            if f.scenario is not None:
                count += len(f.scenario.all_needed())
            if f.runbook is not None:
                count += len(f.runbook.spec.fixes)
        return count


_VALID_RULE = "loads and passes every cross-check (as gameday validate)"


def _validate_case(path: Path, kind: str | None, name: str, error: SpecError | None) -> CaseResult:
    """The implicit first case of every file: it loads (else every diagnostic, and the
    position of the first one in this file)."""
    file = display_path(path)
    started = now()
    if error is None:
        return CaseResult(
            name="validate",
            classname=name,
            file=file,
            line=1,
            col=1,
            kind="validate",
            status="passed",
            message=f"valid {kind} file",
            rule=_VALID_RULE,
            started=started,
            ended=started,
        )
    diagnostics = list(error.diagnostics)
    # A scenario may be invalid because a runbook it references is: point at this file.
    mine = [d for d in diagnostics if d.file == file]
    shown = mine or diagnostics
    first = shown[0] if shown else None
    return CaseResult(
        name="validate",
        classname=name,
        file=file,
        line=mine[0].line if mine else 1,
        col=mine[0].col if mine else 1,
        kind="validate",
        status="error",
        message=f"{len(diagnostics)} error(s); first: {first}" if first else "invalid file",
        rule=_VALID_RULE,
        details=[str(d) for d in diagnostics],
        started=started,
        ended=now(),
    )


def load_file(path: Path, options: TestOptions) -> Loaded:
    """Load one file of any kind; a file that does not load gets a failed ``validate``."""
    file = display_path(path)
    try:
        spec = load(path)
    except SpecError as exc:
        result = FileResult(file, None, path.stem)
        result.cases.append(_validate_case(path, None, path.stem, exc))
        return Loaded(result)
    if isinstance(spec, ScenarioSpec):
        try:
            spec = with_warmup(spec, options.warmup)
        except ValueError as exc:
            error = SpecError([Diagnostic(file, 1, 1, f"--{exc}", "warmup")])
            result = FileResult(file, None, path.stem)
            result.cases.append(_validate_case(path, None, path.stem, error))
            return Loaded(result)
        sut = ScenarioUnderTest.from_spec(path, spec, options.replications, options.seed)
        sut.only = options.strategies
        result = FileResult(file, "scenario", spec.name)
        result.cases.append(_validate_case(path, "scenario", spec.name, None))
        return Loaded(result, scenario=sut)
    if isinstance(spec, RunbookSpec):
        rut = RunbookUnderTest.from_spec(path, spec)
        result = FileResult(file, "runbook", spec.id)
        result.cases.append(_validate_case(path, "runbook", spec.id, None))
        return Loaded(result, runbook=rut)
    assert isinstance(spec, TriageSpec)
    result = FileResult(file, "triage", path.stem)
    result.cases.append(_validate_case(path, "triage", path.stem, None))
    return Loaded(result)


def prepare(paths: Sequence[str | os.PathLike[str]], options: TestOptions) -> Plan:
    """Discover YAML files under ``paths`` and load each (see the module docstring)."""
    plan = Plan(options, [], started=now())
    if options.replications < 2:
        plan.problems.append(
            f"-n must be at least 2 (a confidence interval needs replications), "
            f"got {options.replications}"
        )
    for raw in paths:
        if not Path(raw).exists():
            plan.problems.append(f"{raw}: no such file or folder")
    files = [p for p in discover([p for p in paths if Path(p).exists()]) if p.is_file()]
    if not files and not plan.problems:
        plan.problems.append(f"no YAML files found in {', '.join(map(str, paths)) or '.'}")
    if plan.problems:
        return plan
    plan.files = [load_file(p, options) for p in files]
    # A --strategy no scenario has would skip every expectation and pass: bad input.
    known = {s for f in plan.files if f.scenario is not None for s in f.scenario.spec.strategies}
    unknown = [s for s in dict.fromkeys(options.strategies) if s not in known]
    if unknown:
        plan.problems.append(
            f"--strategy {', '.join(unknown)}: no scenario under test has "
            f"{'this strategy' if len(unknown) == 1 else 'these strategies'}"
            f" (known: {', '.join(sorted(known)) or 'none'})"
        )
    return plan


def execute(
    plan: Plan, executor: Executor, *, workers: int = 1, advance: Advance | None = None
) -> Report:
    """Simulate what the plan needs on ``executor``, judge everything, return the report."""
    options = plan.options
    step = advance or (lambda k: None)
    submitted = now()
    facts: list[tuple[ScenarioUnderTest, list[str], FactsFutures]] = []
    drills: list[tuple[RunbookUnderTest, list[tuple[str, Future[DrillOutcome]]]]] = []
    for f in plan.files:
        if f.scenario is not None:
            todo = f.scenario.missing(f.scenario.all_needed())
            jobs = [(f.scenario.spec, s) for s in todo]
            futures = submit_facts(
                executor, jobs, options.replications, options.seed, workers=workers
            )
            facts.append((f.scenario, todo, futures))
        if f.runbook is not None:
            drills.append((f.runbook, f.runbook.submit(executor, options.seed)))
    for sut, todo, futures in facts:
        for strategy, part in zip(todo, futures, strict=True):
            sut.facts[strategy] = gather_facts([part])[0]
            sut.simulated[strategy] = (submitted, now())
            step(1)
    by_runbook = {id(rut): pending for rut, pending in drills}
    for f in plan.files:
        f.result.started = submitted
        if f.scenario is not None:
            sut = f.scenario
            f.result.cases += [evaluate_expectation(sut, i) for i in range(len(sut.spec.expect))]
            if sut.facts:
                f.result.cases.append(replications_case(sut))
        if f.runbook is not None:
            rut = f.runbook
            f.result.cases.append(rut.declares_fix_case())
            for _kind, future in by_runbook[id(rut)]:
                outcome = future.result()
                f.result.cases.append(rut.fixes_case(outcome, submitted))
                step(1)
        f.result.ended = now()
        f.result.journal = file_journal(f.result, f.scenario, options)
    return Report(
        [f.result for f in plan.files],
        options.replications,
        options.seed,
        plan.started,
        now(),
        list(plan.problems),
    )
