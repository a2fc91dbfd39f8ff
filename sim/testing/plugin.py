"""pytest plugin (entry point ``pytest11``): scenario expectations as test items.

``pytest scenarios/`` collects one item per entry of each scenario's ``expect:`` block
(plus ``validate`` when a file does not load and ``replications run to the horizon``),
and ``pytest runbooks/`` the runbook checks, judged exactly as ``gameday test`` judges
them. Failures point at the YAML line (``reportinfo``), so ``-k``, ``-x``,
``--junitxml`` and ``pytest-xdist`` work as for Python tests. Replications of a strategy
run once per file per process (serially, in that process) and only when a selected item
needs them; with xdist, ``--dist loadgroup`` keeps a file's items on one worker (each
item carries ``xdist_group`` = its file), so no worker simulates a scenario twice.

Which YAML files are collected: a file that says ``kind: scenario`` or ``kind: runbook``
(or looks like one), found under a path given on the command line, and not inside the
project's ``testpaths`` -- so the project's own test suite (which may hold deliberately
broken specs as test data) is never collected by accident. ``--gameday`` collects such
files anywhere; ``-p no:gameday`` turns the plugin off. Nothing heavy is imported until
a file is collected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .results import CaseResult
    from .runbooks import RunbookUnderTest
    from .scenario import ScenarioUnderTest

__all__ = ["GamedayFile", "GamedayItem", "pytest_addoption", "pytest_collect_file"]

_KIND = re.compile(r"^kind:\s*['\"]?(scenario|runbook)['\"]?\s*(?:#.*)?$", re.MULTILINE)
_ANY_KIND = re.compile(r"^kind:", re.MULTILINE)  # top level only: faults have kinds too
_SCENARIO_KEY = re.compile(r"^services:", re.MULTILINE)
_RUNBOOK_KEY = re.compile(r"^steps:", re.MULTILINE)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gameday", "gameday scenario expectations and runbook checks")
    group.addoption(
        "--gameday",
        action="store_true",
        help="collect gameday scenario/runbook YAML files anywhere, testpaths included",
    )
    group.addoption(
        "--gameday-replications",
        type=int,
        default=None,
        metavar="N",
        help="replications per strategy (default: as gameday test, 30)",
    )
    group.addoption("--gameday-seed", type=int, default=1, metavar="S", help="base seed")


def _sniff(path: Path) -> str | None:
    """``scenario``, ``runbook`` or None, from the text alone (cheap, no YAML parser)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return None
    found = _KIND.search(text)
    if found:
        return found.group(1)
    if _ANY_KIND.search(text):
        return None  # another kind (triage), or not ours
    if _SCENARIO_KEY.search(text):
        return "scenario"
    if _RUNBOOK_KEY.search(text):
        return "runbook"
    return None


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


def _active(config: pytest.Config, path: Path) -> bool:
    """See the module docstring: under an explicit argument, outside testpaths."""
    if config.getoption("gameday"):
        return True
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        return False
    here = config.invocation_params.dir
    given = [(here / arg.split("::")[0]).resolve() for arg in config.args]
    tests = [(config.rootpath / p).resolve() for p in config.getini("testpaths")]
    target = path.resolve()
    return _inside(target, given) and not _inside(target, tests)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> GamedayFile | None:
    if file_path.suffix not in (".yaml", ".yml") or not _active(parent.config, file_path):
        return None
    kind = _sniff(file_path)
    if kind is None:
        return None
    node: GamedayFile = GamedayFile.from_parent(parent, path=file_path)
    node.kind = kind
    return node


class CaseFailed(Exception):
    """An expectation or check did not hold; carries the case for the report."""

    def __init__(self, case: CaseResult) -> None:
        super().__init__(case.message)
        self.case = case


class GamedayFile(pytest.File):
    """A scenario or runbook file; its items share the simulated replications."""

    kind: str = ""
    sut: ScenarioUnderTest | None = None
    rut: RunbookUnderTest | None = None

    def collect(self) -> Iterator[GamedayItem]:
        from .session import TestOptions, load_file

        config = self.config
        n = config.getoption("gameday_replications")
        options = TestOptions(
            replications=n if n is not None else TestOptions().replications,
            seed=config.getoption("gameday_seed"),
        )
        loaded = load_file(self.path, options)
        self.sut, self.rut = loaded.scenario, loaded.runbook
        validate = loaded.result.cases[0]
        if validate.status != "passed":
            yield self._item("validate", validate.line, lambda: validate)
            return
        if self.sut is not None:
            sut = self.sut
            for i in range(len(sut.spec.expect)):
                yield self._item(sut.case_name(i), sut.position(i)[0], self._expectation(i))
            if sut.all_needed():
                line = sut.doc.where_value(("expect",))[0]
                yield self._item("replications run to the horizon", line, self._replications)
        if self.rut is not None:
            rut = self.rut
            line = rut.declares_fix_case().line
            yield self._item("declares its fixing step", line, rut.declares_fix_case)
            for j, kind in enumerate(rut.spec.fixes):
                line = rut.doc.where_value(("fixes", j))[0]
                yield self._item(f"fixes {kind}", line, self._drill(kind))

    def _item(self, name: str, line: int, judge: Any) -> GamedayItem:
        item: GamedayItem = GamedayItem.from_parent(self, name=name)
        item.line, item.judge = line, judge
        if self.config.pluginmanager.hasplugin("xdist"):
            item.add_marker(pytest.mark.xdist_group(str(self.path)))
        return item

    def _expectation(self, index: int) -> Any:
        def judge() -> CaseResult:
            from sim.experiments.executors import SerialExecutor

            from .evaluate import evaluate_expectation

            assert self.sut is not None
            self.sut.ensure(self.sut.needs(self.sut.spec.expect[index]), SerialExecutor())
            return evaluate_expectation(self.sut, index)

        return judge

    def _replications(self) -> CaseResult:
        from sim.experiments.executors import SerialExecutor

        from .evaluate import replications_case

        assert self.sut is not None
        self.sut.ensure(self.sut.all_needed(), SerialExecutor())
        return replications_case(self.sut)

    def _drill(self, kind: str) -> Any:
        def judge() -> CaseResult:
            from .results import now
            from .runbooks import drill

            assert self.rut is not None
            started = now()
            seeds = self.rut.seeds(kind, self.config.getoption("gameday_seed"))
            return self.rut.fixes_case(drill(self.rut.spec, kind, seeds), started)

        return judge


class GamedayItem(pytest.Item):
    """One expectation or check; ``judge()`` returns its :class:`CaseResult`."""

    line: int = 1
    judge: Any = None

    def runtest(self) -> None:
        case: CaseResult = self.judge()
        self.user_properties.append(("yaml", f"{case.file}:{case.line}"))
        self.user_properties.append(("result", case.message))
        if case.status == "skipped":
            pytest.skip(case.message)
        if case.status != "passed":
            raise CaseFailed(case)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        if isinstance(excinfo.value, CaseFailed):
            case = excinfo.value.case
            lines = [f"{case.where}: {case.name}", f"  {case.message}"]
            lines += [f"    - {d}" for d in case.details if d != case.message]
            if case.rule:
                lines.append(f"  rule: {case.rule}")
            return "\n".join(lines)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        # pytest counts lines from 0; the YAML line of the claim is self.line.
        return self.path, self.line - 1, f"{self.path.name}:{self.line}: {self.name}"
