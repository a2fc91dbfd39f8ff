"""Alert adapters: Alertmanager webhook v4, PagerDuty Events API v2, simulator, files."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.response import (
    Alert,
    PayloadError,
    from_alertmanager,
    from_pagerduty,
    label_fingerprint,
    read_payload,
    simulated_alert,
)

from .conftest import AM_SAMPLE, PD_SAMPLE


def minutes(text: str) -> float:
    return datetime.fromisoformat(text).astimezone(UTC).timestamp() / 60


def am_sample() -> dict[str, Any]:
    return json.loads(AM_SAMPLE.read_text())


def pd_sample() -> dict[str, Any]:
    return json.loads(PD_SAMPLE.read_text())


# ----------------------------------------------------------------------- alertmanager


def test_alertmanager_sample_is_read_alert_by_alert() -> None:
    alerts = from_alertmanager(am_sample())
    assert [a.name for a in alerts] == [
        "CheckoutHighErrorRate",
        "CheckoutHighLatency",
        "KubePodCrashLooping",
    ]
    first, _, last = alerts
    assert first.source == "alertmanager"
    assert first.status == "firing"
    assert first.labels["service"] == "checkout"
    assert first.annotations["runbook_url"].startswith("https://")
    # nanosecond timestamps: truncated to microseconds, then minutes since the epoch
    assert first.starts_at == pytest.approx(minutes("2024-05-14T09:12:41.883279Z"), abs=1e-9)
    assert first.ends_at is None  # Go's zero time means "no end yet"
    assert last.status == "resolved"
    assert last.ends_at == pytest.approx(minutes("2024-05-14T09:10:26.739266Z"), abs=1e-9)
    assert last.ends_at - last.starts_at == pytest.approx(12.0)


def test_alertmanager_fingerprints_are_kept_and_match_alertmanagers_algorithm() -> None:
    payload = am_sample()
    given_fps = [a["fingerprint"] for a in payload["alerts"]]
    assert [a.fingerprint for a in from_alertmanager(payload)] == given_fps
    for a in payload["alerts"]:
        del a["fingerprint"]
    assert [a.fingerprint for a in from_alertmanager(payload)] == given_fps


def test_label_fingerprint_is_fnv1a_64_with_separators() -> None:
    assert label_fingerprint({}) == "cbf29ce484222325"  # the FNV-1a 64 offset basis
    # the 0xFF separator keeps these apart
    assert label_fingerprint({"a": "bc"}) != label_fingerprint({"ab": "c"})
    # order of insertion does not matter
    assert label_fingerprint({"x": "1", "y": "2"}) == label_fingerprint({"y": "2", "x": "1"})


def test_alertmanager_optional_parts() -> None:
    payload = {
        "alerts": [
            {"status": "firing", "labels": {}, "startsAt": "2024-01-01T00:00:00+01:00"},
        ]
    }
    (alert,) = from_alertmanager(payload)
    assert alert.name == "unnamed"
    assert alert.annotations == {}
    assert alert.ends_at is None
    assert alert.starts_at == pytest.approx(minutes("2023-12-31T23:00:00Z"))


def _broken(mutate: Any) -> dict[str, Any]:
    payload = am_sample()
    mutate(payload)
    return payload


AM_MALFORMED = [
    (lambda p: p.update(alerts={}), "alerts: expected an array, got object"),
    (lambda p: p.pop("alerts"), "alerts: missing (required)"),
    (lambda p: p.update(version="3"), "version: unsupported webhook version '3'"),
    (lambda p: p["alerts"][1].update(labels=[]), "alerts[1].labels: expected an object, got array"),
    (
        lambda p: p["alerts"][0]["labels"].update(severity=2),
        "alerts[0].labels.severity: expected a string, got number",
    ),
    (lambda p: p["alerts"][2].pop("status"), "alerts[2].status: missing (required)"),
    (
        lambda p: p["alerts"][0].update(status="pending"),
        "alerts[0].status: expected 'firing' or 'resolved', got 'pending'",
    ),
    (
        lambda p: p["alerts"][0].update(startsAt="yesterday"),
        "alerts[0].startsAt: not an RFC 3339 timestamp",
    ),
    (
        lambda p: p["alerts"][0].update(startsAt="2024-05-14T09:12:41"),
        "alerts[0].startsAt: timestamp '2024-05-14T09:12:41' has no time zone",
    ),
    (lambda p: p["alerts"][0].update(endsAt=5), "alerts[0].endsAt: expected a string, got number"),
    (lambda p: p["alerts"].append(None), "alerts[3]: expected an object, got null"),
    (lambda p: p.update(groupLabels="x"), "groupLabels: expected an object, got string"),
    (lambda p: p["alerts"][0].update(fingerprint=7), "alerts[0].fingerprint: expected a string"),
]


@pytest.mark.parametrize(("mutate", "message"), AM_MALFORMED)
def test_alertmanager_malformed_payloads_name_the_json_path(mutate: Any, message: str) -> None:
    with pytest.raises(PayloadError) as info:
        from_alertmanager(_broken(mutate))
    assert str(info.value).startswith(message)


def test_alertmanager_top_level_must_be_an_object() -> None:
    with pytest.raises(PayloadError, match=r"^top level: expected an object, got array$"):
        from_alertmanager([])


# -------------------------------------------------------------------------- pagerduty


def test_pagerduty_sample_maps_payload_fields_to_labels() -> None:
    (alert,) = from_pagerduty(pd_sample())
    assert alert.source == "pagerduty"
    assert alert.status == "firing"
    assert alert.name == "replication lag"  # payload.class
    assert alert.fingerprint == "orders-db/replication-lag/orders-db-2"  # dedup_key
    assert alert.labels == {
        "alertname": "replication lag",
        "severity": "critical",
        "source": "orders-db-2.prod.example.com",
        "component": "postgres",
        "group": "orders",
        "class": "replication lag",
    }
    assert alert.annotations["summary"].startswith("Replication lag on orders-db-2")
    assert alert.annotations["lag_seconds"] == "94"  # non-string details kept as JSON text
    assert alert.annotations["client"] == "Prometheus"
    assert "R0UTINGKEY" not in json.dumps([dict(alert.labels), dict(alert.annotations)])
    # "+0000" offsets (as in PagerDuty's own examples) are accepted
    assert alert.starts_at == pytest.approx(minutes("2024-05-14T09:21:37.512Z"))


def test_pagerduty_event_actions() -> None:
    trigger = pd_sample()
    ack = {"routing_key": "k", "dedup_key": trigger["dedup_key"], "event_action": "acknowledge"}
    resolve = {"routing_key": "k", "dedup_key": trigger["dedup_key"], "event_action": "resolve"}
    a_trigger, a_ack, a_resolve = from_pagerduty([trigger, ack, resolve], clock=lambda: 42.0)
    assert (a_trigger.status, a_ack.status, a_resolve.status) == ("firing", "firing", "resolved")
    assert a_ack.labels == {"acknowledged": "true"}
    assert "acknowledged" not in a_trigger.labels
    assert {a.fingerprint for a in (a_trigger, a_ack, a_resolve)} == {trigger["dedup_key"]}
    assert a_resolve.starts_at == a_resolve.ends_at == 42.0  # no timestamp: the injected clock
    assert a_ack.name == trigger["dedup_key"]


def test_pagerduty_trigger_without_dedup_key_gets_a_deterministic_distinct_key() -> None:
    event = pd_sample()
    del event["dedup_key"]
    first, second = from_pagerduty([event, copy.deepcopy(event)])
    assert first.fingerprint.startswith("pd-")
    assert first.fingerprint != second.fingerprint  # PagerDuty would open two alerts
    assert from_pagerduty([event, event])[0].fingerprint == first.fingerprint  # reruns agree


def test_pagerduty_without_class_is_named_by_summary() -> None:
    event = pd_sample()
    del event["payload"]["class"]
    (alert,) = from_pagerduty(event)
    assert alert.name == event["payload"]["summary"] == alert.labels["alertname"]


PD_MALFORMED = [
    (lambda e: e.pop("routing_key"), "routing_key: missing (required)"),
    (
        lambda e: e.update(event_action="snooze"),
        "event_action: expected one of trigger, acknowledge, resolve, got 'snooze'",
    ),
    (lambda e: e.pop("payload"), "payload: missing (required)"),
    (lambda e: e.update(payload=[1]), "payload: expected an object, got array"),
    (lambda e: e["payload"].pop("summary"), "payload.summary: missing (required)"),
    (
        lambda e: e["payload"].update(severity="high"),
        "payload.severity: expected one of critical, error, warning, info, got 'high'",
    ),
    (lambda e: e["payload"].update(group=3), "payload.group: expected a string, got number"),
    (lambda e: e["payload"].update(timestamp="now"), "payload.timestamp: not an RFC 3339"),
    (lambda e: e.update(dedup_key=None), "dedup_key: expected a string, got null"),
    (
        lambda e: (e.pop("dedup_key"), e.update(event_action="resolve")),
        "dedup_key: missing (required to resolve an existing alert)",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), PD_MALFORMED)
def test_pagerduty_malformed_events_name_the_json_path(mutate: Any, message: str) -> None:
    event = pd_sample()
    mutate(event)
    with pytest.raises(PayloadError) as info:
        from_pagerduty(event)
    assert str(info.value).startswith(message)


def test_pagerduty_paths_in_a_list_carry_the_index() -> None:
    good, bad = pd_sample(), pd_sample()
    bad["payload"]["source"] = False
    with pytest.raises(PayloadError, match=r"^\[1\]\.payload\.source: expected a string"):
        from_pagerduty([good, bad])


# -------------------------------------------------------------------------- simulator


def test_simulated_alert_is_cheap_and_matches_like_a_real_one() -> None:
    alert = simulated_alert("HighErrorRate", {"service": "api"}, 12.5, "f1")
    assert alert == Alert(
        "HighErrorRate",
        {"alertname": "HighErrorRate", "service": "api"},
        {},
        "firing",
        12.5,
        None,
        "f1",
        "simulator",
    )
    labels = {"alertname": "Own", "service": "api"}
    assert simulated_alert("X", labels, 0.0, "f").labels is labels  # no copy when not needed
    resolved = simulated_alert("X", labels, 3.0, "f", status="resolved")
    assert resolved.ends_at == 3.0
    assert hash(alert) == hash(simulated_alert("HighErrorRate", {"service": "api"}, 12.5, "f1"))


# ------------------------------------------------------------------------------ files


def test_read_payload_detects_both_formats() -> None:
    assert {a.source for a in read_payload(AM_SAMPLE)} == {"alertmanager"}
    assert [a.source for a in read_payload(PD_SAMPLE)] == ["pagerduty"]


def test_read_payload_reports_bad_json_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "alerts": [\n    {"status": "firing",}\n  ]\n}\n')
    with pytest.raises(PayloadError) as info:
        read_payload(path)
    assert str(info.value) == f"{path}:3:25: Expecting property name enclosed in double quotes"


def test_read_payload_prefixes_shape_errors_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "am.json"
    payload = am_sample()
    payload["alerts"][1]["labels"] = ["x"]
    path.write_text(json.dumps(payload))
    with pytest.raises(PayloadError) as info:
        read_payload(path)
    assert str(info.value) == f"{path}: alerts[1].labels: expected an object, got array"


@pytest.mark.parametrize("content", ["[]", "42", '{"hello": 1}', '[{"alerts": []}]'])
def test_read_payload_rejects_unknown_formats(tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(PayloadError, match="neither an Alertmanager webhook"):
        read_payload(path)


# --------------------------------------------------------- never a KeyError or TypeError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def _mutations(base: dict[str, Any]) -> st.SearchStrategy[Any]:
    """``base`` with one value somewhere replaced by arbitrary JSON (or removed)."""

    def paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        out = [prefix]
        if isinstance(obj, dict):
            for k, v in obj.items():
                out += paths(v, (*prefix, k))
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                out += paths(v, (*prefix, i))
        return out

    def apply(where: tuple[Any, ...], value: Any, delete: bool) -> Any:
        doc = copy.deepcopy(base)
        if not where:
            return value
        parent = doc
        for key in where[:-1]:
            parent = parent[key]
        if delete and isinstance(parent, dict):
            del parent[where[-1]]
        else:
            parent[where[-1]] = value
        return doc

    return st.builds(apply, st.sampled_from(paths(base)), json_values, st.booleans())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_mutations(json.loads(AM_SAMPLE.read_text())))
def test_alertmanager_adapter_only_ever_raises_payload_error(doc: Any) -> None:
    try:
        alerts = from_alertmanager(doc)
    except PayloadError as exc:
        assert exc.problem
    else:
        assert all(isinstance(a, Alert) for a in alerts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_mutations(json.loads(PD_SAMPLE.read_text())))
def test_pagerduty_adapter_only_ever_raises_payload_error(doc: Any) -> None:
    try:
        alerts = from_pagerduty(doc, clock=lambda: 0.0)
    except PayloadError as exc:
        assert exc.problem
    else:
        assert all(isinstance(a, Alert) for a in alerts)


def test_read_payload_rejects_non_utf8_files(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"alerts": ["\xe9"]}')
    with pytest.raises(PayloadError, match=r"latin1\.json: not UTF-8 text"):
        read_payload(path)
