"""Cleaning an export: duplicates, open incidents, clock skew, time zones, severities."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sim.calibrate import ExportError, column_map
from sim.calibrate.cleaning import clean_export
from sim.calibrate.formats import FORMATS
from sim.calibrate.reading import read_export

HEADER = "ticket,component,sev,state,opened,acked,closed,acked_by\n"
MAP = """\
columns: {id: ticket, created: opened, acknowledged: acked, resolved: closed,
          service: component, severity: sev, status: state, responder: acked_by}
severities: {SEV1: P1, SEV2: P2}
open_statuses: [open]
timezone: Europe/Berlin
"""


def _clean(tmp_path: Path, rows: str, **kwargs: object):  # type: ignore[no-untyped-def]
    (tmp_path / "map.yaml").write_text(MAP)
    (tmp_path / "export.csv").write_text(HEADER + rows)
    mapping = column_map("csv", str(tmp_path / "map.yaml"))
    return clean_export(read_export(tmp_path / "export.csv", mapping), mapping, **kwargs)


def test_duplicates_open_incidents_skew_and_zones(tmp_path: Path) -> None:
    clean = _clean(
        tmp_path,
        # a, its duplicate (the copy that knows the resolution wins)
        "a,Checkout API,SEV1,open,2026-03-02T10:00:00Z,2026-03-02T10:05:00Z,,ana\n"
        "a,Checkout API,SEV1,closed,2026-03-02T10:00:00Z,2026-03-02T10:05:00Z,"
        "2026-03-02T11:00:00Z,ana\n"
        # b: acknowledged 2 min before it was opened (clock skew), no zone: Berlin time
        "b,search,SEV2,closed,2026-03-03 12:00:00,2026-03-03 11:58:00,2026-03-03 12:30:00,bo\n"
        # c: still open at the export's end -> censored
        "c,search,SEV2,open,2026-03-04T09:00:00+00:00,,,\n"
        # d: closed; defines the export's end (latest timestamp)
        "d,search,sev2,closed,2026-03-04T09:30:00Z,2026-03-04T09:40:00Z,2026-03-04T10:00:00Z,bo\n",
    )
    assert clean.dropped == {"duplicate id": 1}
    assert clean.corrected == {"acknowledged before created (clock skew, set to 1 s)": 1}
    assert clean.as_of == datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    by_id = {i.id: i for i in clean.incidents}
    assert by_id["a"].ttr == 60.0 and not by_id["a"].ttr_censored
    assert by_id["a"].service == "checkout-api" and clean.services["checkout-api"] == "Checkout API"
    # Berlin is UTC+1 in March: 12:00 local is 11:00 UTC.
    assert by_id["b"].created == datetime(2026, 3, 3, 11, 0, tzinfo=UTC)
    assert by_id["b"].tta == pytest.approx(1 / 60) and by_id["b"].ttr == 30.0
    assert by_id["c"].ttr_censored and by_id["c"].ttr == 60.0  # 09:00 -> 10:00
    assert by_id["c"].tta_censored  # not acknowledged for at least as long
    assert by_id["d"].severity == "P2"  # severities match case-insensitively
    assert any("without a time zone" in note for note in clean.notes)


def test_small_negative_resolution_is_skew_large_is_an_error(tmp_path: Path) -> None:
    rows = (
        "a,x,SEV1,closed,2026-03-02T10:00:00Z,,2026-03-02T09:58:00Z,\n"  # -2 min: skew
        "b,x,SEV1,closed,2026-03-02T10:00:00Z,,2026-03-02T09:00:00Z,\n"  # -60 min: error
    )
    with pytest.raises(ExportError) as err:
        _clean(tmp_path, rows)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, "closed")
    assert "negative duration" in problem.message
    clean = _clean(tmp_path, rows, skip_bad_rows=True)
    assert clean.dropped == {"bad row: negative duration": 1}
    assert clean.corrected == {"resolved before created (clock skew, set to 1 s)": 1}


def test_unknown_severity_names_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"export.csv:2: column 'sev': severity 'sev9'"):
        _clean(tmp_path, "a,x,SEV9,closed,2026-03-02T10:00:00Z,,2026-03-02T11:00:00Z,\n")


def test_missing_optional_columns_are_noted_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "pd.csv").write_text(
        "id,created_at,resolved_at,service_name\nP1,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,api\n"
    )
    mapping = FORMATS["pagerduty"]
    clean = clean_export(read_export(tmp_path / "pd.csv", mapping), mapping)
    assert clean.incidents[0].tta is None and clean.incidents[0].severity == "P2"
    assert any("seconds_to_first_ack" in n for n in clean.notes)


def test_a_map_file_mistake_names_line_and_field(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text("columns:\n  id: t\nseverities: {SEV1: P7}\n")
    with pytest.raises(ValueError, match=r"map.yaml:3:\d+: severities.SEV1"):
        column_map("csv", str(tmp_path / "map.yaml"))


def test_who_acknowledged_gives_the_roster_and_a_weekly_rotation(tmp_path: Path) -> None:
    """A history where people take weekly turns reads as a weekly rotation in the
    order of their turns; one where anyone answers reads as a shared pool."""
    from sim.calibrate import calibrate
    from sim.calibrate.synthetic import Truth, export_text, simulate_history

    for rotation in (True, False):
        truth = Truth(weeks=8, rates={"api": 10.0}, weekly_rotation=rotation)
        incidents, _ = simulate_history(truth, 4)
        path = tmp_path / "history.csv"
        path.write_text(export_text(incidents, "opsgenie"))
        result = calibrate(path, "opsgenie")
        team = result.scenario.teams["on-call"]
        roster = [entry.name for entry in result.scenario.responders.roster]
        assert sorted(roster) == sorted(truth.responders)
        if rotation:
            assert team.schedule.kind == "weekly"
            assert result.model.rotation is not None and result.model.rotation.top_share > 0.8
            assert roster == list(truth.responders)  # the turns' order (Jan 5 is week 0)
        else:
            assert team.schedule.kind == "always"


def test_names_yaml_would_misread_are_quoted(tmp_path: Path) -> None:
    """A service called ``0``, ``yes`` or ``null`` stays a string in the scenario (found
    by fuzzing: plain, YAML reads a number, a bool, a null)."""
    from sim.calibrate import calibrate
    from sim.calibrate.synthetic import Truth, export_text, simulate_history

    truth = Truth(weeks=6, rates={"0": 6.0, "yes": 6.0, "null": 6.0}, responders=("1", "on"))
    incidents, _ = simulate_history(truth, 2)
    path = tmp_path / "history.csv"
    path.write_text(export_text(incidents, "opsgenie"))
    result = calibrate(path, "opsgenie")
    assert set(result.scenario.services) == {"0", "yes", "null"}
    assert {entry.name for entry in result.scenario.responders.roster} == {"1", "on"}


def test_unprintable_names_are_escaped_in_comments(tmp_path: Path) -> None:
    """A responder named with a control character or a line separator (found by
    fuzzing) cannot break the scenario's comments."""
    from sim.calibrate import calibrate
    from sim.calibrate.synthetic import Truth, export_text, simulate_history

    truth = Truth(weeks=6, rates={"api": 8.0}, responders=("a\x1bb", "c\u2028d"))
    incidents, _ = simulate_history(truth, 2)
    path = tmp_path / "history.csv"
    path.write_text(export_text(incidents, "opsgenie"))
    result = calibrate(path, "opsgenie")
    assert "a\\x1bb" in result.text and "c\\u2028d" in result.text
