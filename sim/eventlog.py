"""The event log: the single source of truth of one replication.

The engine appends ``Event`` records in simulated-time order; metrics, reports, the
run explorer and the test harness read nothing else. Each record is
``(t, kind, incident, service, actor, details)``:

=================  ==========================================================
field              meaning
=================  ==========================================================
``t``              simulated minutes since the start of the run
``kind``           what happened (see ``KINDS``)
``incident``       incident number (1, 2, ...) or 0 when not about an incident
``service``        the service concerned, or ``""``
``actor``          who did it: a responder's name, ``automation``, ``monitoring``,
                   ``chaos`` (fault injection) or ``system``
``details``        a small JSON-able dict, documented per kind below
=================  ==========================================================

Kinds and their details (``KINDS``; a key marked ``?`` is in some records only;
``tests/test_eventlog_kinds.py`` checks this list against ``KINDS`` and against what the
shipped scenarios log):

- ``fault_start`` ``{fault, fault_kind, effect, occurrence, affected_users_pct,
  cost_per_min, tier, services_impacted}`` — the fault starts affecting users (onset).
- ``fault_end`` ``{fault, occurrence, by}`` — ``by`` is ``runbook:<id>``, ``self_heal``
  or ``specialists``.
- ``alert`` ``{alert, fingerprint, fired_at, noise, group}`` — delivered to the
  response (detected).
- ``incident_open`` ``{severity, rule, noise, fault, occurrence, onset}``.
- ``mitigated`` ``{by, impact_ended?}`` — the incident's last fault ended: user impact
  is over; ``impact_ended`` when it ended before the alert reached people (then the
  impact ended then, not at the record's time).
- ``page`` ``{role, level, loop, team?, people?, expert?}`` — a page sent by the
  escalation policy; with teams, ``role`` is the level's targets, ``team`` the routed
  team and ``people`` who was paged; ``expert``: cross-team help for an incident handed
  to specialists, paged from the failing service's team (``team``).
- ``page_escalated`` ``{policy, level, loop, after}`` — with teams: nobody acknowledged
  within ``after`` minutes, so the page moves on to ``level`` (of round ``loop``).
- ``assign`` ``{responder, waited, team?, handover_from?}`` — a responder takes the
  incident; ``team``: the routed team (scenarios with teams); ``handover_from``: a
  later escalation level answered and took the incident over from that person.
- ``rate_change`` ``{fault, fault_kind, rate, by}`` — a post-incident review's action
  items took effect: the fault definition now arrives at ``rate`` times its original
  rate (from its next drawn onset on); ``by`` names the review.
- ``warmup_end`` ``{warmup}`` — the scenario's warm-up is over: incidents whose fault
  started before this record are simulated but not counted by the metrics.
- ``transition`` ``{from, to, reason}`` — a lifecycle audit entry.
- ``severity`` ``{from, to, rule}`` — severity changed on new evidence.
- ``work`` ``{what, minutes}`` — human work outside runbook steps (triage, diagnosis,
  noise check, approval, specialists, review).
- ``runbook_start`` ``{runbook, fits}`` — a runbook is applied; ``fits``: it fixes an
  active fault of the incident.
- ``runbook_end`` ``{runbook, outcome, mitigated}``.
- ``step`` ``{runbook, step, attempt, mode, ok, failure, started, phase}`` — logged at
  the step's end; ``mode`` is ``manual`` or ``automated``.
- ``error`` ``{what, runbook, step}`` — a remediation action that went wrong:
  ``step_error`` (a mistake) or ``wrong_runbook``.
- ``action`` ``{command, arg, text, prompt, step, role?}`` — a command a person gave in
  a training session or a live game day (never written by a simulation alone), at
  the decision ``prompt`` it was given at (``end`` after a training shift); a trainee's
  ``work`` rows add ``what`` = ``comms``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from sim.spec.safe_io import atomic_write

__all__ = ["KINDS", "PEOPLE_KINDS", "Event", "digest", "read_jsonl", "to_jsonl", "write_jsonl"]

#: Every kind of record and its detail keys (``?``: in some records only).
KINDS: dict[str, tuple[str, ...]] = {
    "fault_start": (
        "fault",
        "fault_kind",
        "effect",
        "occurrence",
        "affected_users_pct",
        "cost_per_min",
        "tier",
        "services_impacted",
    ),
    "fault_end": ("fault", "occurrence", "by"),
    "alert": ("alert", "fingerprint", "fired_at", "noise", "group"),
    "incident_open": ("severity", "rule", "noise", "fault", "occurrence", "onset"),
    "mitigated": ("by", "impact_ended?"),
    "page": ("role", "level", "loop", "team?", "people?", "expert?"),
    "page_escalated": ("policy", "level", "loop", "after"),
    "assign": ("responder", "waited", "team?", "handover_from?"),
    "warmup_end": ("warmup",),
    "rate_change": ("fault", "fault_kind", "rate", "by"),
    "transition": ("from", "to", "reason"),
    "severity": ("from", "to", "rule"),
    "work": ("what", "minutes"),
    "runbook_start": ("runbook", "fits"),
    "runbook_end": ("runbook", "outcome", "mitigated"),
    "step": ("runbook", "step", "attempt", "mode", "ok", "failure", "started", "phase"),
    "error": ("what", "runbook", "step"),
    "action": ("command", "arg", "text", "prompt", "step", "role?"),
}
#: The kinds only people write (training sessions, live game days).
PEOPLE_KINDS = frozenset({"action"})


class Event(NamedTuple):
    t: float
    kind: str
    incident: int
    service: str
    actor: str
    details: dict[str, Any]

    def to_json(self) -> str:
        # Compact separators and key order fixed by construction: byte-identical logs.
        return json.dumps(
            {
                "t": self.t,
                "kind": self.kind,
                "incident": self.incident,
                "service": self.service,
                "actor": self.actor,
                "details": self.details,
            },
            separators=(",", ":"),
        )


def to_jsonl(events: Iterable[Event]) -> str:
    return "".join(e.to_json() + "\n" for e in events)


def digest(events: Iterable[Event]) -> str:
    """SHA-256 of the JSON Lines form: equal digests mean bit-identical logs."""
    h = hashlib.sha256()
    for e in events:
        h.update(e.to_json().encode())
        h.update(b"\n")
    return h.hexdigest()


def write_jsonl(events: Iterable[Event], path: str | Path) -> None:
    """Write atomically (never a half file), over a regular file or a new path only:
    ``sim.spec.safe_io.UnsafePath`` for a symlink, a device, a FIFO."""
    atomic_write(path, to_jsonl(events))


def read_jsonl(path: str | Path) -> Iterator[Event]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                yield Event(
                    d["t"], d["kind"], d["incident"], d["service"], d["actor"], d["details"]
                )
