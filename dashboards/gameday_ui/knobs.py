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
    """One what-if control, derived from the ``sim.spec.knobs`` knob it turns (label,
    help, unit, range, step and value as written all come from its catalogue entry)."""

    knob: str
    label: str
    help: str
    widget: Widget
    #: The control's value for (scenario, strategy) as written.
    written: Callable[[ScenarioSpec, str], Any]
    #: (min, max, step) of a slider for a scenario; unused by toggles.
    bounds: Callable[[ScenarioSpec], tuple[Any, Any, Any]] = lambda _spec: (0, 1, 1)
    #: The control's value as the knob's value (percent -> share, ...).
    to_knob: Callable[[Any], Any] = lambda value: value
    #: The control's value for people.
    show: Callable[[Any], str] = str


def _on_off(value: Any) -> str:
    return "on" if value else "off"


def _span(value: Any) -> str:
    return "as written" if value is None else format_span(value)


def control(name: str) -> Control:
    """The what-if control of knob ``name``: its widget follows the knob's type (a share
    is set in percent, a yes/no with a toggle, a duration as an optional override)."""
    knob = KNOBS[name]
    bounds = knob.bounds or (lambda _spec: (0, 1, 1))
    if knob.type == "bool":
        return Control(
            name,
            knob.label,
            knob.description,
            "toggle",
            lambda spec, strategy: bool(knob.written(spec, strategy)),
            show=_on_off,
        )
    if knob.type == "share":
        return Control(
            name,
            f"{knob.label} (%)",
            knob.description,
            "slider",
            lambda spec, strategy: round(knob.written(spec, strategy) * 100),
            lambda spec: tuple(round(b * 100) for b in bounds(spec)),
            lambda value: value / 100,
            lambda value: f"{value}%",
        )
    if knob.type == "minutes":  # None as written: no single value (each rule's own)
        return Control(
            name, f"{knob.label} ({knob.unit})", knob.description, "delay",
            knob.written, bounds, float, _span,
        )  # fmt: skip
    if knob.unit == "x as written":
        return Control(
            name, f"{knob.label} (× as written)", knob.description, "slider",
            knob.written, bounds, float, lambda value: f"×{value:g}",
        )  # fmt: skip
    convert = int if knob.type == "int" else float
    return Control(
        name, f"{knob.label} ({knob.unit})", knob.description, "slider",
        knob.written, bounds, convert,
    )  # fmt: skip


#: The knobs the What-if page turns, in the order it shows them.
CONTROLS: tuple[Control, ...] = tuple(
    control(name)
    for name in (
        "automation_coverage",
        "assist",
        "responders",
        "ack_scale",
        "auto_triage",
        "auto_remediation",
        "detection_delay",
    )
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
