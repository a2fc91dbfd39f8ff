"""The terminal screen says what the observation says: sparklines end with the newest
sample, and the whole screen fits 80 columns."""

from __future__ import annotations

import io

from rich.console import Console

from sim.commands.train_screen import screen, sparkline
from sim.training import Session, observe

from .helpers import spec_of


def test_sparkline_maps_the_scale_onto_eight_bars() -> None:
    assert sparkline((0.0, 0.5, 1.0), 0.0, 1.0) == "▁▅█"
    assert sparkline((120.0, 3000.0), 0.0, 3000.0) == "▁█"


def test_the_health_rows_end_with_the_service_as_it_is_now() -> None:
    session = Session(spec_of("training-01-crash"), 1)
    session.act("ack")
    obs = observe(session)
    api = next(h for h in obs.health if h.service == "api")
    assert api.state == "down" and dict(api.signals)["availability"][-1] == 0.0
    out = Console(file=io.StringIO(), width=80, color_system=None)
    out.print(screen(obs))
    text = out.file.getvalue()  # type: ignore[attr-defined]
    row = next(line for line in text.splitlines() if line.startswith("api "))
    cells = row.split()
    assert cells[:2] == ["api", "down"]
    assert cells[2].endswith("▁") and cells[2].startswith("█")  # availability fell just now
    assert cells[3].endswith("█")  # every request fails
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "how severe is it" in text
