"""Widgets follow the scenario and strategy they depend on (AppTest, no browser).

What-if starts from the strategy as written, so pressing Run without moving a knob
compares the strategy with itself and reports a difference of exactly 0; switching the
scenario resets the strategies of Compare and the filters of the run explorer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sim.spec import load_scenario
from sim.spec.clock import CLOCK_PATTERN

from .conftest import ROOT
from .test_pages import goto, no_exceptions, wait_for

sys.path.insert(0, str(ROOT / "dashboards"))
from gameday_ui import knobs, widget_state

BENCHMARK = load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")


@pytest.fixture
def app(results_root: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("GAMEDAY_RESULTS_DIR", str(results_root))
    return AppTest.from_file(str(ROOT / "dashboards" / "app.py"), default_timeout=120)


# --- the rules, without Streamlit ---------------------------------------------------------


def test_follow_resets_a_group_only_when_its_context_changes() -> None:
    store: dict[str, object] = {}
    assert widget_state.follow(store, "g", ("a", "full"), {"k": 1})
    store["k"] = 5  # the user moves the control
    assert not widget_state.follow(store, "g", ("a", "full"), {"k": 1})
    assert store["k"] == 5
    assert widget_state.follow(store, "g", ("a", "semi"), {"k": 2})
    assert store["k"] == 2
    del store["k"]  # Streamlit forgot it (the user was on another page)
    widget_state.follow(store, "g", ("a", "semi"), {"k": 2})
    assert store["k"] == 2


@pytest.mark.parametrize("strategy", list(BENCHMARK.strategies))
def test_controls_start_from_the_strategy_as_written(strategy: str) -> None:
    written = knobs.written_values(BENCHMARK, strategy)
    as_written = BENCHMARK.strategies[strategy]
    assert written["automation_coverage"] == round(as_written.automation_coverage * 100)
    assert written["auto_remediation"] is as_written.auto_remediation
    assert knobs.moved(BENCHMARK, strategy, written) == {}
    assert knobs.describe(BENCHMARK, strategy, written) == []


def test_a_moved_control_is_named_with_both_values() -> None:
    values = {**knobs.written_values(BENCHMARK, "semi"), "automation_coverage": 60}
    assert knobs.moved(BENCHMARK, "semi", values) == {"automation_coverage": 0.6}
    assert knobs.describe(BENCHMARK, "semi", values) == [
        "Automation coverage: 40% as written → 60%"
    ]


# --- the pages ---------------------------------------------------------------------------


def difference_rows(at: AppTest) -> dict[str, float]:
    """The what-if table's difference rows, measure -> value, as the page shows them."""
    for frame in at.dataframe:
        table = frame.value
        if "side" in table.columns:
            rows = table[table["side"] == "difference"]
            return dict(zip(rows["measure"], rows["value"], strict=True))
    pytest.fail("no what-if table on the page")


def test_whatif_with_no_knob_moved_differs_by_exactly_zero_for_every_strategy(
    app: AppTest,
) -> None:
    at = goto(app, "pages/whatif.py")
    for strategy, spec in BENCHMARK.strategies.items():
        at.selectbox(key="wi_strategy").set_value(strategy).run()
        no_exceptions(at)
        coverage = at.slider(key="wi_automation_coverage").value
        assert coverage == round(spec.automation_coverage * 100), strategy
        assert at.toggle(key="wi_auto_remediation").value is spec.auto_remediation
        assert any(f"No knob moved: the what-if is `{strategy}`" in i.value for i in at.info)
        at.number_input(key="wi_n").set_value(2)
        at.number_input(key="wi_days").set_value(7)
        at.run()
        at.button(key="wi_run").click().run()
        wait_for(at, "MTTR mean")
        differences = difference_rows(at)
        assert set(differences) == {"MTTR mean", "MTTR median", "MTTR p90", "error rate"}
        assert all(value == 0 for value in differences.values()), (strategy, differences)
        assert any("Every difference is exactly 0" in s.value for s in at.success)


def test_whatif_lists_the_knobs_that_differ(app: AppTest) -> None:
    at = goto(app, "pages/whatif.py")
    at.selectbox(key="wi_strategy").set_value("full").run()
    at.toggle(key="wi_auto_remediation").set_value(False).run()
    no_exceptions(at)
    assert not at.info, "a moved knob is not 'no knob moved'"
    assert any("Auto remediation: on as written → off" in m.value for m in at.markdown), [
        m.value for m in at.markdown
    ]
    at.selectbox(key="wi_strategy").set_value("semi").run()  # another strategy: fresh controls
    assert at.slider(key="wi_automation_coverage").value == 40
    assert at.toggle(key="wi_auto_remediation").value is False
    assert any("No knob moved" in i.value for i in at.info)


def test_switching_scenario_resets_the_compare_strategies(app: AppTest) -> None:
    at = app.run()
    at.radio[0].set_value("Run a comparison").run()
    at.multiselect(key="compare_strategies").set_value(["manual"]).run()
    at.selectbox(key="compare_scenario").set_value("checkout-black-friday").run()
    no_exceptions(at)
    friday = load_scenario(ROOT / "scenarios" / "checkout-black-friday.yaml")
    assert at.multiselect(key="compare_strategies").value == list(friday.strategies)
    assert not at.button(key="compare_run").disabled
    at.multiselect(key="compare_strategies").set_value([]).run()
    assert at.button(key="compare_run").disabled
    assert any("Pick at least one strategy" in w.value for w in at.warning)


def test_switching_scenario_resets_the_explorer_filters(app: AppTest) -> None:
    at = goto(app, "pages/explorer.py")
    services = at.multiselect(key="ex_services")
    services.set_value([services.options[0]]).run()
    at.selectbox(key="explorer_scenario").set_value("checkout-black-friday").run()
    no_exceptions(at)
    friday = load_scenario(ROOT / "scenarios" / "checkout-black-friday.yaml")
    chosen = at.multiselect(key="ex_services").value
    assert chosen and set(chosen) <= set(friday.services)
    assert len(chosen) == len(at.multiselect(key="ex_services").options)
    at.multiselect(key="ex_services").set_value([]).run()
    assert any("No service selected" in i.value for i in at.info)


def test_every_time_in_the_explorer_is_a_clock_time(app: AppTest) -> None:
    at = goto(app, "pages/explorer.py")
    no_exceptions(at)
    shown = 0
    for frame in [*at.dataframe, *at.table]:
        table = frame.value
        for column in ("time", "started", "ended", "delivered", "fired"):
            if column in table.columns:
                for value in table[column].dropna():
                    assert CLOCK_PATTERN.match(str(value)), (column, value)
                    shown += 1
    assert shown > 0, "the explorer shows times"
    caption = " ".join(c.value for c in at.caption)
    assert "minutes since start" not in caption
    stamps = next(c.value for c in at.caption if "time to recover" in c.value)
    for stamp in stamps.split(";")[0].split(" · "):  # "onset Tue 08:49 · detected ..."
        assert CLOCK_PATTERN.match(stamp.split(" ", 1)[1]), stamp
    (timeline,) = at.get("vega_lite_chart")  # its time axis is the clock, in UTC
    spec = json.loads(timeline.proto.spec)
    x = spec["encoding"]["x"]
    assert x["type"] == "temporal" and x["scale"]["type"] == "utc"
    assert x["axis"]["format"] == "%a %H:%M"


def test_every_what_if_control_turns_a_catalogue_knob() -> None:
    from gameday_ui.knobs import CONTROLS

    from sim.spec.knobs import KNOBS

    assert {c.knob for c in CONTROLS} <= set(KNOBS)


def test_what_if_controls_take_label_range_and_help_from_the_catalogue() -> None:
    from gameday_ui.knobs import CONTROLS

    from sim.spec.knobs import KNOBS

    for c in CONTROLS:
        knob = KNOBS[c.knob]
        assert c.label.split(" (")[0] == knob.label and c.help == knob.description
        if knob.bounds is not None:
            low, high, step = knob.bounds(BENCHMARK)
            scale = 100 if knob.type == "share" else 1  # a share is set in percent
            assert c.bounds(BENCHMARK) == (low * scale, high * scale, step * scale)
        else:
            assert c.widget == "toggle" and knob.type == "bool"
