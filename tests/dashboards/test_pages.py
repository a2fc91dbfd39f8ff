"""Every dashboard page under ``streamlit.testing.v1.AppTest`` (no browser).

Each page renders without an exception over a results folder; a comparison and a
what-if run to completion from the UI; an invalid upload shows every problem with its
line number and keeps Run disabled.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import APP, ROOT

PAGES = [
    "pages/compare.py",
    "pages/whatif.py",
    "pages/explorer.py",
    "pages/runbooks.py",
    "pages/training.py",
]
UPLOAD = "Upload a scenario YAML…"


@pytest.fixture
def app(results_root: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("GAMEDAY_RESULTS_DIR", str(results_root))
    return AppTest.from_file(str(APP), default_timeout=120)


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def goto(at: AppTest, page: str) -> AppTest:
    if page != PAGES[0]:
        at.switch_page(page)
    return at.run()


def wait_for(at: AppTest, text: str, timeout: float = 180) -> None:
    """Rerun until ``text`` is on the page (a job runs on a worker thread meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        at.run()
        no_exceptions(at)
        found = [*at.success, *at.markdown, *at.caption, *at.subheader]
        labels = [m.label for m in at.metric]
        if any(text in str(el.value) for el in found) or any(text in lb for lb in labels):
            return
        time.sleep(0.5)
    pytest.fail(f"{text!r} did not appear within {timeout} s")


@pytest.mark.parametrize("page", PAGES)
def test_page_renders(app: AppTest, page: str) -> None:
    at = goto(app, page)
    no_exceptions(at)
    assert at.title, "every page has a title"


def test_compare_shows_a_results_folder(app: AppTest, results_root: Path) -> None:
    at = app.run()
    folders = at.sidebar.selectbox(key="results_folder")
    folders.set_value("seed-benchmark").run()
    no_exceptions(at)
    assert any("seed-benchmark: manual, semi, full" in s.value for s in at.subheader)
    table = at.table[0].value
    assert "MTTR median (min)" in table.index
    assert list(table.columns) == ["manual", "semi", "full"]
    # the censored count and the Kaplan–Meier median shown are the ones computed
    summary = json.loads((results_root / "seed-benchmark" / "summary.json").read_text())
    for name in ("manual", "semi", "full"):
        block = summary["strategies"][name]
        assert table.at["open at the horizon (censored)", name] == f"{block['censored']['ttr']:,}"
        km = block["ttr_km"]["median"]
        shown = str(table.at["TTR median, Kaplan–Meier (min)", name])
        assert shown.startswith(f"{km['value']:,.1f} [")
    # costs are named in the scenario's currency (seed-benchmark counts in USD)
    assert any("costs in USD" in c.value for c in at.caption)


def test_a_comparison_runs_to_the_end(app: AppTest) -> None:
    at = app.run()
    at.radio[0].set_value("Run a comparison").run()
    at.multiselect(key="compare_strategies").set_value(["manual", "full"])
    at.number_input[0].set_value(2)
    at.run()
    run = at.button(key="compare_run")
    assert not run.disabled
    run.click().run()
    wait_for(at, "Done: 4 replications")
    assert any("seed-benchmark: manual, full" in s.value for s in at.subheader)
    no_exceptions(at)


def test_invalid_upload_shows_line_numbers_and_disables_run(app: AppTest) -> None:
    at = app.run()
    at.radio[0].set_value("Run a comparison").run()
    at.selectbox(key="compare_scenario").set_value(UPLOAD).run()
    bad = (ROOT / "scenarios" / "saas-small-team.yaml").read_text()
    bad = bad.replace("horizon: 182d", "horizon: 182d\nbogus_key: 1", 1)
    bad = bad.replace("tier: 2", "tier: two", 1)
    at.get("file_uploader")[0].upload("broken.yaml", bad.encode(), "application/x-yaml")
    at.run()
    no_exceptions(at)
    (error,) = at.error
    assert "broken.yaml:15:1: unknown key 'bogus_key'" in error.value
    assert "broken.yaml:35:11:" in error.value and "tier" in error.value
    assert at.button(key="compare_run").disabled


def test_a_reference_outside_the_shipped_folders_is_refused(app: AppTest) -> None:
    at = app.run()
    at.radio[0].set_value("Run a comparison").run()
    at.selectbox(key="compare_scenario").set_value(UPLOAD).run()
    text = "kind: scenario\nname: escape\nrunbooks: [../../../etc]\nservices: {}\n"
    at.get("file_uploader")[0].upload("escape.yaml", text.encode(), "application/x-yaml")
    at.run()
    assert "escape.yaml:3:12:" in at.error[0].value
    assert at.button(key="compare_run").disabled


def test_whatif_runs_and_draws_the_sweep(app: AppTest) -> None:
    at = goto(app, "pages/whatif.py")
    at.slider(key="wi_automation_coverage").set_value(50)
    at.number_input(key="wi_n").set_value(2)
    at.number_input(key="wi_days").set_value(14)
    at.run()
    at.button(key="wi_run").click().run()
    wait_for(at, "MTTR mean")
    assert len(at.metric) == 4
    folders = at.sidebar.selectbox(key="results_folder")
    folders.set_value("coverage-sweep").run()
    no_exceptions(at)
    assert any("Sweep: seed-benchmark" in s.value for s in at.subheader)


def test_explorer_replays_a_replication_of_the_folder(app: AppTest) -> None:
    at = goto(app, "pages/explorer.py")
    at.sidebar.selectbox(key="results_folder").set_value("seed-benchmark").run()
    no_exceptions(at)
    assert any("re-simulated exactly" in c.value for c in at.caption)
    assert next(s for s in at.selectbox if s.label == "Incident").options
    audit = at.table[0].value  # the lifecycle audit log, clock times first
    assert list(audit.columns)[:3] == ["time", "from", "to"]
    assert len(at.table) >= 2 or any("No runbook ran" in c.value for c in at.caption)


def test_runbooks_show_test_results(app: AppTest) -> None:
    at = goto(app, "pages/runbooks.py")
    at.selectbox(key="rb_choice").set_value("restart-service").run()
    no_exceptions(at)
    assert at.metric[0].value.endswith("passed") or "/" in at.metric[0].value


def test_runbooks_page_shows_every_step_in_full_with_its_numbers(app: AppTest) -> None:
    from sim.spec import load_runbook
    from sim.spec.clock import format_span

    spec = load_runbook(ROOT / "runbooks" / "restart-service.yaml")
    at = goto(app, "pages/runbooks.py")
    at.selectbox(key="rb_choice").set_value("restart-service").run()
    no_exceptions(at)
    steps = next(t.value for t in at.table if "by hand (mean)" in t.value.columns)
    assert list(steps.index) == [s.id for s in spec.steps]
    for step in spec.steps:
        row = steps.loc[step.id]
        assert row["by hand (mean)"] == format_span(step.manual.duration.mean)
        assert row["fails by hand"] == f"{step.manual.failure_probability:.0%}"
        if step.automatable and step.automated is not None:
            assert row["fails automated"] == f"{step.automated.failure_probability:.0%}"
    shown = [c.value for c in at.code]
    for step in spec.steps:  # the instructions in full, not cut
        assert step.action.strip() in shown, step.id
