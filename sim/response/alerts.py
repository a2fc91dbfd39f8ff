"""Alerts: one normalized type, whatever sent them.

An :class:`Alert` is one notification that something is wrong (``firing``) or no longer
wrong (``resolved``). Three sources produce them:

* an **Alertmanager** webhook (payload version 4) — one alert per ``alerts[]`` entry;
* a **PagerDuty Events API v2** event (or a list of them) — one alert per event;
* the **simulator** — :func:`simulated_alert`, a cheap constructor for the hot path.

Times are float minutes. For real payloads that is minutes since the Unix epoch
(RFC 3339 timestamps are converted once, here); in the simulator it is ``env.now``.

Adapters never raise ``KeyError`` or ``TypeError`` on bad input: every problem is a
:class:`PayloadError` whose message names the JSON path, e.g.
``alerts[1].labels: expected an object, got array``.

Mapping choices (documented because the formats do not line up one to one):

* Alertmanager: ``name`` is the ``alertname`` label (``"unnamed"`` if absent). The zero
  time ``0001-01-01T00:00:00Z`` that Alertmanager sends for "no end yet" becomes
  ``ends_at=None``. A missing ``fingerprint`` is computed the way Alertmanager does
  (FNV-1a 64 over the sorted label pairs), so dedup still works.
* PagerDuty: ``payload.severity`` (critical/error/warning/info), ``source``,
  ``component``, ``group`` and ``class`` become labels of the same name; ``name`` is
  ``class`` if given, else ``summary``, and is also the ``alertname`` label so rules can
  match every source the same way. ``summary``, ``client``, ``client_url`` and the
  ``custom_details`` entries become annotations. ``dedup_key`` is the fingerprint.
  ``event_action``: ``trigger`` → firing; ``resolve`` → resolved; ``acknowledge`` →
  **firing with the label** ``acknowledged="true"`` — PagerDuty acknowledges an alert
  that is still a problem, so it must not clear it, and a duplicate-by-fingerprint of
  the trigger is exactly what the grouper should see. ``routing_key`` is a secret
  integration key and is validated but never copied into the alert.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sim.spec.limits import MAX_PAYLOAD_BYTES
from sim.spec.safe_io import UnsafePath, read_limited
from sim.spec.safe_json import JsonRefused, parse_json

from .payload_fields import (
    PayloadError,
    _join,
    _json_type,
    _minutes,
    _object,
    _required,
    _string,
    _string_map,
)

__all__ = [
    "Alert",
    "AlertSource",
    "AlertStatus",
    "PayloadError",
    "from_alertmanager",
    "from_pagerduty",
    "label_fingerprint",
    "read_payload",
    "simulated_alert",
]

AlertStatus = Literal["firing", "resolved"]
AlertSource = Literal["alertmanager", "pagerduty", "simulator"]
Clock = Callable[[], float]

PD_SEVERITIES = ("critical", "error", "warning", "info")
PD_ACTIONS = ("trigger", "acknowledge", "resolve")


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert notification, normalized.

    ``fingerprint`` identifies the alert across notifications (same alert, same
    fingerprint), which is what deduplication keys on. ``labels`` identify and route
    the alert; ``annotations`` only describe it. Label maps are excluded from hashing
    (dicts are unhashable); callers must not mutate them after construction.
    """

    name: str
    labels: Mapping[str, str] = field(hash=False)
    annotations: Mapping[str, str] = field(hash=False)
    status: AlertStatus
    starts_at: float
    ends_at: float | None
    fingerprint: str
    source: AlertSource


def _wall_clock() -> float:
    import time

    return time.time() / 60.0


def label_fingerprint(labels: Mapping[str, str]) -> str:
    """Alertmanager's fingerprint of a label set: FNV-1a 64 of sorted pairs, 16 hex digits.

    Each name and value is followed by the byte 0xFF, which cannot occur in UTF-8, so
    ``{"a": "bc"}`` and ``{"ab": "c"}`` hash differently.
    """
    h = 0xCBF29CE484222325
    for name in sorted(labels):
        for byte in b"".join((name.encode(), b"\xff", labels[name].encode(), b"\xff")):
            h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


# ------------------------------------------------------------------------ alertmanager


def from_alertmanager(obj: object, *, path: str = "") -> list[Alert]:
    """The alerts of one Alertmanager webhook payload (version 4)."""
    payload = _object(obj, path)
    if "version" in payload and payload["version"] != "4":
        raise PayloadError(
            _join(path, "version"),
            f"unsupported webhook version {payload['version']!r} (this reads version '4')",
        )
    for key in ("groupLabels", "commonLabels", "commonAnnotations"):
        if key in payload:
            _string_map(payload[key], _join(path, key))
    for key in ("receiver", "status", "groupKey", "externalURL"):
        if key in payload:
            _string(payload[key], _join(path, key))
    items = _required(payload, "alerts", path)
    alerts_path = _join(path, "alerts")
    if not isinstance(items, list):
        raise PayloadError(alerts_path, f"expected an array, got {_json_type(items)}")
    return [_am_alert(item, f"{alerts_path}[{i}]") for i, item in enumerate(items)]


def _am_alert(item: object, path: str) -> Alert:
    entry = _object(item, path)
    status = _string(_required(entry, "status", path), _join(path, "status"))
    if status not in ("firing", "resolved"):
        raise PayloadError(
            _join(path, "status"), f"expected 'firing' or 'resolved', got {status!r}"
        )
    labels = _string_map(_required(entry, "labels", path), _join(path, "labels"))
    annotations = _string_map(entry.get("annotations", {}), _join(path, "annotations"))
    starts_at = _minutes(_required(entry, "startsAt", path), _join(path, "startsAt"))
    if starts_at is None:
        raise PayloadError(_join(path, "startsAt"), "is the zero time; an alert must have a start")
    ends_raw = entry.get("endsAt")
    ends_at = None if ends_raw is None else _minutes(ends_raw, _join(path, "endsAt"))
    if "fingerprint" in entry:
        fingerprint = _string(entry["fingerprint"], _join(path, "fingerprint"))
    else:
        fingerprint = label_fingerprint(labels)
    return Alert(
        name=labels.get("alertname", "unnamed"),
        labels=dict(labels),
        annotations=dict(annotations),
        status="firing" if status == "firing" else "resolved",
        starts_at=starts_at,
        ends_at=ends_at,
        fingerprint=fingerprint,
        source="alertmanager",
    )


# --------------------------------------------------------------------------- pagerduty


def from_pagerduty(obj: object, *, clock: Clock | None = None, path: str = "") -> list[Alert]:
    """The alerts of one PagerDuty Events API v2 event, or of a list of events.

    ``clock`` (minutes) supplies the time of events without ``payload.timestamp``;
    by default the wall clock, as PagerDuty itself stamps such events on receipt.
    """
    now = clock or _wall_clock
    if isinstance(obj, list):
        return [_pd_alert(item, f"{path}[{i}]", now, i) for i, item in enumerate(obj)]
    return [_pd_alert(obj, path, now, 0)]


def _pd_alert(item: object, path: str, now: Clock, position: int) -> Alert:
    event = _object(item, path)
    _string(_required(event, "routing_key", path), _join(path, "routing_key"))
    action = _string(_required(event, "event_action", path), _join(path, "event_action"))
    if action not in PD_ACTIONS:
        raise PayloadError(
            _join(path, "event_action"), f"expected one of {', '.join(PD_ACTIONS)}, got {action!r}"
        )
    dedup_key = None
    if "dedup_key" in event:
        dedup_key = _string(event["dedup_key"], _join(path, "dedup_key"))
    elif action != "trigger":
        raise PayloadError(
            _join(path, "dedup_key"), f"missing (required to {action} an existing alert)"
        )

    labels: dict[str, str] = {}
    annotations: dict[str, str] = {}
    summary = ""
    t: float | None = None
    payload_path = _join(path, "payload")
    if action == "trigger" or "payload" in event:
        body = _object(_required(event, "payload", path), payload_path)
        summary = _string(_required(body, "summary", payload_path), _join(payload_path, "summary"))
        for key in ("source", "severity"):
            labels[key] = _string(_required(body, key, payload_path), _join(payload_path, key))
        if labels["severity"] not in PD_SEVERITIES:
            raise PayloadError(
                _join(payload_path, "severity"),
                f"expected one of {', '.join(PD_SEVERITIES)}, got {labels['severity']!r}",
            )
        for key in ("component", "group", "class"):
            if key in body:
                labels[key] = _string(body[key], _join(payload_path, key))
        if "timestamp" in body:
            t = _minutes(body["timestamp"], _join(payload_path, "timestamp"))
        if "custom_details" in body:
            annotations.update(_details(body["custom_details"]))
        annotations["summary"] = summary
    for key in ("client", "client_url"):
        if key in event:
            annotations[key] = _string(event[key], _join(path, key))

    if t is None:
        t = now()
    name = labels.get("class") or summary or dedup_key or "pagerduty-event"
    if labels:
        labels["alertname"] = name
    if action == "acknowledge":
        labels["acknowledged"] = "true"
    if dedup_key is None:
        # PagerDuty gives a trigger without dedup_key a fresh random key; a content hash
        # plus the event's position keeps reruns deterministic and two identical
        # key-less events distinct, as PagerDuty would.
        digest = hashlib.sha256(f"{position}\x00{summary}\x00{labels}\x00{t}".encode())
        dedup_key = f"pd-{digest.hexdigest()[:16]}"
    return Alert(
        name=name,
        labels=labels,
        annotations=annotations,
        status="resolved" if action == "resolve" else "firing",
        starts_at=t,
        ends_at=t if action == "resolve" else None,
        fingerprint=dedup_key,
        source="pagerduty",
    )


def _details(value: object) -> dict[str, str]:
    """``custom_details`` as string annotations; nested values are kept as JSON text."""
    if not isinstance(value, dict):
        return {"custom_details": json.dumps(value, sort_keys=True)}
    return {
        str(k): v if isinstance(v, str) else json.dumps(v, sort_keys=True) for k, v in value.items()
    }


# --------------------------------------------------------------------------- simulator


def simulated_alert(
    name: str,
    labels: Mapping[str, str],
    t: float,
    fingerprint: str,
    *,
    status: AlertStatus = "firing",
    annotations: Mapping[str, str] | None = None,
) -> Alert:
    """An alert raised by the simulator's monitoring at simulated minute ``t``.

    ``labels`` gains ``alertname=name`` unless it already has one, so triage rules
    match simulated and real alerts alike. No validation: the engine builds these
    millions of times from already-validated specs.
    """
    if "alertname" not in labels:
        labels = {"alertname": name, **labels}
    return Alert(
        name,
        labels,
        annotations if annotations is not None else {},
        status,
        t,
        t if status == "resolved" else None,
        fingerprint,
        "simulator",
    )


# ------------------------------------------------------------------------------- files


def detect_format(obj: object) -> Literal["alertmanager", "pagerduty"] | None:
    """Which adapter reads ``obj``: a webhook has ``alerts``, an event ``event_action``."""
    sample = obj[0] if isinstance(obj, list) and obj else obj
    if isinstance(sample, dict):
        if "alerts" in sample and not isinstance(obj, list):
            return "alertmanager"
        if "event_action" in sample or "routing_key" in sample:
            return "pagerduty"
    return None


def read_payload(path: str | Path, *, clock: Clock | None = None) -> list[Alert]:
    """The alerts in a JSON file holding an Alertmanager webhook or PagerDuty event(s).

    Raises :class:`PayloadError` prefixed with the file name: ``file:line:col: message``
    for invalid JSON, ``file: json.path: message`` for a wrong shape; OSError to the caller.
    """
    name = str(path)
    try:
        obj = parse_json(read_limited(path, MAX_PAYLOAD_BYTES))
    except JsonRefused as exc:
        where = f"{name}:{exc.where}" if exc.where else name
        raise PayloadError(None, exc.message, where) from None
    except UnsafePath as exc:  # a FIFO, a device, too large
        raise PayloadError(None, str(exc), name) from None
    kind = detect_format(obj)
    try:
        if kind == "alertmanager":
            return from_alertmanager(obj)
        if kind == "pagerduty":
            return from_pagerduty(obj, clock=clock)
    except PayloadError as exc:
        raise exc.in_file(name) from None
    raise PayloadError(
        "",
        f"neither an Alertmanager webhook (an object with 'alerts') nor a PagerDuty "
        f"event (an object, or array of objects, with 'event_action'); got {_json_type(obj)}",
        name,
    )
