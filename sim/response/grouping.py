"""Grouping: which incident an incoming alert belongs to.

An :class:`AlertGrouper` keeps the open groups (one per incident) keyed by the triage
spec's ``group_by`` labels, and the fingerprints of the alerts firing in each. For every
alert notification :meth:`AlertGrouper.offer` answers one of:

``opened``
    a firing alert whose group key has no open incident: a new incident starts.
``joined``
    a firing alert, new to us, whose group is open: more evidence for that incident
    (re-triage it; :func:`sim.response.triage.reassess` decides what may change).
``duplicate``
    a firing alert whose fingerprint is already firing in an open group — a repeat
    notification (Alertmanager re-sends firing alerts; PagerDuty acknowledges carry the
    trigger's ``dedup_key``). Nothing new.
``cleared``
    a resolved notification for an alert firing in an open group; the incident remains
    open (only the lifecycle resolves incidents) but its ``firing`` count drops.
``ignored``
    a resolved notification for an alert we do not track.

:meth:`AlertGrouper.close` forgets a group when its incident is resolved; an alert of
that group that still fires afterwards opens a **new** incident, because the problem
evidently was not fixed. The clock is not needed: grouping depends on order only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NamedTuple

from .alerts import Alert

__all__ = ["AlertGrouper", "GroupAction", "Grouping"]

GroupAction = Literal["opened", "joined", "duplicate", "cleared", "ignored"]
GroupKey = tuple[str, ...]


class Grouping(NamedTuple):
    """What one alert notification did (a NamedTuple: one is built per alert).

    ``alert_count`` is the number of alert notifications that opened or joined the
    incident so far (the triage impact field of that name); ``firing`` the number of its
    alerts firing now. ``incident_id`` is None only for ``ignored``.
    """

    action: GroupAction
    key: GroupKey
    incident_id: str | None
    alert_count: int
    firing: int


class _Group:
    __slots__ = ("alert_count", "fingerprints", "incident_id")

    def __init__(self, incident_id: str) -> None:
        self.incident_id = incident_id
        self.alert_count = 0
        self.fingerprints: set[str] = set()


class AlertGrouper:
    """Deduplicates alerts by fingerprint and groups them into incidents by key.

    ``key`` is usually :meth:`TriageEngine.group_key`. Incident ids are
    ``f"{prefix}{n}"`` with n = 1, 2, ... in order of opening, so they are
    deterministic for a given alert sequence.
    """

    __slots__ = ("_count", "_firing", "_groups", "_key", "_prefix")

    def __init__(self, key: Callable[[Alert], GroupKey], *, prefix: str = "inc-") -> None:
        self._key = key
        self._prefix = prefix
        self._count = 0
        self._groups: dict[GroupKey, _Group] = {}
        self._firing: dict[str, GroupKey] = {}  # fingerprint -> key of its open group

    def offer(self, alert: Alert) -> Grouping:
        """Record one alert notification and say what it did (see module docstring)."""
        fingerprint = alert.fingerprint
        if alert.status == "resolved":
            key = self._firing.pop(fingerprint, None)
            if key is None:
                return Grouping("ignored", self._key(alert), None, 0, 0)
            group = self._groups[key]
            group.fingerprints.discard(fingerprint)
            return Grouping(
                "cleared", key, group.incident_id, group.alert_count, len(group.fingerprints)
            )
        key = self._firing.get(fingerprint)
        if key is not None:
            group = self._groups[key]
            return Grouping(
                "duplicate", key, group.incident_id, group.alert_count, len(group.fingerprints)
            )
        key = self._key(alert)
        found = self._groups.get(key)
        action: GroupAction = "joined"
        if found is None:
            self._count += 1
            found = self._groups[key] = _Group(f"{self._prefix}{self._count}")
            action = "opened"
        found.alert_count += 1
        found.fingerprints.add(fingerprint)
        self._firing[fingerprint] = key
        return Grouping(action, key, found.incident_id, found.alert_count, len(found.fingerprints))

    def close(self, key: GroupKey) -> None:
        """The incident of ``key`` was resolved: forget the group and its alerts."""
        group = self._groups.pop(key, None)
        if group is not None:
            for fingerprint in group.fingerprints:
                del self._firing[fingerprint]

    def incident_of(self, key: GroupKey) -> str | None:
        """The open incident of ``key``, if any."""
        group = self._groups.get(key)
        return group.incident_id if group is not None else None

    @property
    def open_groups(self) -> dict[GroupKey, str]:
        """Group key -> incident id of every open group."""
        return {key: group.incident_id for key, group in self._groups.items()}
