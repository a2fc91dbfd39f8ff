"""The What-if page's knobs as data: what each one shows as written, and what moved.

No Streamlit here, so the rules are tested directly. Every control starts from the
chosen strategy *as written* in the scenario (coverage 40% for a strategy that says
0.40); a knob counts as moved only when its control differs from that value, so a
what-if with no knob moved is the scenario as written and differs from it by exactly 0.
A control's value is in the units people set (percent, people, a factor, minutes);
``moved`` turns it into the ``sim.spec.variants`` knob value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sim.spec import ScenarioSpec
from sim.spec.clock import format_span
from sim.spec.knobs import KNOBS

__all__ = ["CONTROLS", "Control", "describe", "moved", "written_values"]

Widget = Literal["slider", "toggle", "delay"]


@dataclass(frozen=True)
class Control:
    """One what-if control: ``knob`` names the ``sim.spec.knobs`` knob it turns; its
    value as written comes from the knob's catalogue entry."""

    knob: str
    label: str
    widget: Widget
    #: The control's value for (scenario, strategy) as written.
    written: Callable[[ScenarioSpec, str], Any]
    #: (min, max, step) of a slider for a scenario; unused by toggles.
    bounds: Callable[[ScenarioSpec], tuple[Any, Any, Any]] = lambda _spec: (0, 1, 1)
    #: The control's value as the knob's value (percent -> share, ...).
    to_knob: Callable[[Any], Any] = lambda value: value
    #: The control's value for people.
    show: Callable[[Any], str] = str


def _percent(knob: str) -> Callable[[ScenarioSpec, str], int]:
    return lambda spec, strategy: round(KNOBS[knob].written(spec, strategy) * 100)


def _flag(knob: str) -> Callable[[ScenarioSpec, str], bool]:
    return lambda spec, strategy: bool(KNOBS[knob].written(spec, strategy))


def _roster_bounds(spec: ScenarioSpec) -> tuple[int, int, int]:
    """The first roster entry grows or shrinks (``vary``), others stay: at least one of it."""
    others = sum(entry.count for entry in spec.responders.roster[1:])
    return others + 1, max(others + 12, spec.responders.size + 4), 1


def _on_off(value: Any) -> str:
    return "on" if value else "off"


def _delay(value: Any) -> str:
    return "as written per alert rule" if value is None else f"{format_span(value)} for every rule"


CONTROLS: tuple[Control, ...] = (
    Control(
        "automation_coverage",
        "Automation coverage (%)",
        "slider",
        _percent("automation_coverage"),
        lambda _spec: (0, 100, 1),
        lambda value: value / 100,
        lambda value: f"{value}%",
    ),
    Control(
        "assist",
        "Diagnosis assistance (%)",
        "slider",
        _percent("assist"),
        lambda _spec: (0, 100, 1),
        lambda value: value / 100,
        lambda value: f"{value}%",
    ),
    Control(
        "responders",
        "Responders (people on the roster)",
        "slider",
        KNOBS["responders"].written,
        _roster_bounds,
    ),
    Control(
        "ack_scale",
        "Acknowledgement time (× as written)",
        "slider",
        KNOBS["ack_scale"].written,
        lambda _spec: (0.25, 3.0, 0.25),
        float,
        lambda value: f"×{value:g}",
    ),
    Control(
        "auto_triage",
        "Auto triage (no human time for triage)",
        "toggle",
        _flag("auto_triage"),
        show=_on_off,
    ),
    Control(
        "auto_remediation",
        "Auto remediation (alerts start runbooks)",
        "toggle",
        _flag("auto_remediation"),
        show=_on_off,
    ),
    Control(
        "detection_delay",
        "Fixed detection delay for every alert rule (minutes)",
        "delay",
        KNOBS["detection_delay"].written,  # None: each rule's delay as written
        lambda _spec: (0, 30, 1),
        float,
        _delay,
    ),
)


def written_values(spec: ScenarioSpec, strategy: str) -> dict[str, Any]:
    """Knob -> the value its control shows for ``strategy`` as written."""
    return {c.knob: c.written(spec, strategy) for c in CONTROLS}


def moved(spec: ScenarioSpec, strategy: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The knobs whose control differs from ``strategy`` as written, as knob values
    for ``sim.spec.variants.vary`` (empty: nothing moved)."""
    written = written_values(spec, strategy)
    return {
        c.knob: c.to_knob(values[c.knob])
        for c in CONTROLS
        if c.knob in values and values[c.knob] != written[c.knob]
    }


def describe(spec: ScenarioSpec, strategy: str, values: Mapping[str, Any]) -> list[str]:
    """One line per moved knob: ``Automation coverage: 40% as written → 60%``."""
    written = written_values(spec, strategy)
    return [
        f"{c.label.split(' (')[0]}: {c.show(written[c.knob])} as written → {c.show(values[c.knob])}"
        for c in CONTROLS
        if c.knob in values and values[c.knob] != written[c.knob]
    ]
