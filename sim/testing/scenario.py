"""A scenario under test: its spec, where each expectation is written, and its facts.

The loader validates and resolves the scenario but does not keep positions inside the
``expect:`` list, so the same file is read again with ``read_yaml`` for the line of each
entry (and for the bounds exactly as written, ``4h`` rather than ``240.0``).

Facts are simulated per strategy and only when an expectation needs them, then kept:
the CLI asks for every strategy at once (one executor, all scenarios in parallel), the
pytest plugin one item at a time, so ``pytest -k`` runs only the strategies the selected
expectations need. Each strategy always runs on the same seeds, so an expectation gets
the same verdict whichever others run with it.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.spec import Expectation, ScenarioSpec, load_scenario
from sim.spec.expect import (
    CheckExpectation,
    FixedByExpectation,
    MaxWaitExpectation,
    MetricExpectation,
    TriagesToExpectation,
)
from sim.spec.yaml_source import SourceDoc, read_yaml

from .replicate import Facts, collect_facts

__all__ = ["ScenarioUnderTest", "display_path", "expectation_kind", "expectation_label"]


def display_path(path: str | os.PathLike[str]) -> str:
    """The name used in messages: relative to the working directory when inside it.

    The same convention as the loader's diagnostics, so report lines, JUnit ``file``
    attributes and ``gameday validate`` output name a file the same way.
    """
    absolute = Path(os.path.normpath(Path(path).absolute()))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def expectation_kind(exp: Expectation) -> str:
    """``metric`` or the check's name (``all_resolved``, ``fixed_by``, ...)."""
    if isinstance(exp, MetricExpectation):
        return "metric"
    return str(exp.check)


def _bound_text(raw: object, value: float) -> str:
    """A bound as the author wrote it (``4h``), else the number."""
    if isinstance(raw, str) and raw.strip():
        return raw.strip()
    return f"{value:g}"


def expectation_label(exp: Expectation, raw: dict[str, Any] | None = None) -> str:
    """A short readable label: ``mttr.p90 <= 4h for manual``, ``fixed_by crash -> R``.

    No brackets, ``@`` or ``::``: the label becomes a pytest node id, where brackets
    read as parameters and ``@`` as an xdist group.
    """
    raw = raw or {}
    text: str
    if isinstance(exp, MetricExpectation):
        text = exp.metric
        if exp.min is not None:
            text = f"{_bound_text(raw.get('min'), exp.min)} <= {text}"
        if exp.max is not None:
            text = f"{text} <= {_bound_text(raw.get('max'), exp.max)}"
    elif isinstance(exp, FixedByExpectation):
        text = f"fixed_by {exp.fault} -> {exp.runbook}"
    elif isinstance(exp, TriagesToExpectation):
        text = f"triages_to {exp.alert} -> {exp.severity}"
    elif isinstance(exp, MaxWaitExpectation):
        text = f"max_wait <= {_bound_text(raw.get('max'), exp.max)}"
    else:
        assert isinstance(exp, CheckExpectation)
        text = exp.check
    if exp.strategy is not None:
        text += f" for {exp.strategy}"
    return text


@dataclass
class ScenarioUnderTest:
    """One scenario file being tested, with lazily simulated facts per strategy."""

    path: Path
    file: str
    spec: ScenarioSpec
    doc: SourceDoc
    replications: int
    seed: int
    only: tuple[str, ...] = ()  # strategy filter; empty: every strategy
    facts: dict[str, list[Facts]] = field(default_factory=dict)
    simulated: dict[str, tuple[float, float]] = field(default_factory=dict)  # wall start, end

    @classmethod
    def load(cls, path: str | os.PathLike[str], replications: int, seed: int) -> ScenarioUnderTest:
        """Load and resolve the scenario; raises ``sim.spec.SpecError`` on bad input."""
        return cls.from_spec(path, load_scenario(path), replications, seed)

    @classmethod
    def from_spec(
        cls, path: str | os.PathLike[str], spec: ScenarioSpec, replications: int, seed: int
    ) -> ScenarioUnderTest:
        """Wrap a scenario already loaded from ``path`` (the file is read for positions)."""
        name = display_path(path)
        return cls(Path(path), name, spec, read_yaml(path, display_name=name), replications, seed)

    # ------------------------------------------------------------------ the YAML side

    def raw(self, index: int) -> dict[str, Any]:
        """The ``expect[index]`` mapping as written in the file."""
        data = self.doc.data
        if isinstance(data, dict):
            items = data.get("expect")
            if isinstance(items, list) and index < len(items):
                item = items[index]
                if isinstance(item, dict):
                    return item
        return {}

    def position(self, index: int) -> tuple[int, int]:
        """(line, col) of ``expect[index]`` in the file."""
        return self.doc.where_value(("expect", index))

    def case_name(self, index: int) -> str:
        """``expect 3: mttr.p90 <= 4h for manual``, with the author's ``name`` if any.
        Numbered from 1, as people count (``expect[2]`` in the file is ``expect 3``)."""
        exp = self.spec.expect[index]
        label = expectation_label(exp, self.raw(index))
        name = exp.name.replace("[", "(").replace("]", ")").replace("@", " at ") if exp.name else ""
        if name:
            return f"expect {index + 1}: {name} ({label})"
        return f"expect {index + 1}: {label}"

    # ------------------------------------------------------------------ the simulation side

    def strategies_for(self, exp: Expectation) -> list[str]:
        """The strategies an expectation is judged on: its own, else every one (within
        the strategy filter, if any; empty means the expectation is filtered out)."""
        found = [exp.strategy] if exp.strategy is not None else list(self.spec.strategies)
        return [s for s in found if not self.only or s in self.only]

    def needs(self, exp: Expectation) -> list[str]:
        """Strategies whose replications the expectation reads (none for triage)."""
        if isinstance(exp, TriagesToExpectation):
            return []
        return self.strategies_for(exp)

    def all_needed(self) -> list[str]:
        """Every strategy some expectation needs, in the scenario's order."""
        wanted = {s for exp in self.spec.expect for s in self.needs(exp)}
        return [s for s in self.spec.strategies if s in wanted]

    def missing(self, strategies: list[str]) -> list[str]:
        return [s for s in strategies if s not in self.facts]

    def ensure(self, strategies: list[str], executor: Executor, workers: int = 1) -> None:
        """Simulate the strategies not simulated yet (all replications of each)."""
        todo = self.missing(strategies)
        if not todo:
            return
        found = collect_facts(
            executor,
            [(self.spec, s) for s in todo],
            self.replications,
            self.seed,
            workers=workers,
        )
        for strategy, facts in zip(todo, found, strict=True):
            self.facts[strategy] = facts

    def completed(self, strategy: str) -> list[Facts]:
        """Replications of ``strategy`` that ran to the horizon (failed ones are a case
        of their own and would only add truncated data here)."""
        return [f for f in self.facts.get(strategy, []) if f.error is None]
