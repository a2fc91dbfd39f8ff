"""Chaos Toolkit experiments as game-day faults.

An experiment (JSON, or YAML) has a ``title``, a ``description``, a
``steady-state-hypothesis`` (probes, each with a ``tolerance``), a ``method`` (actions and
probes run in order, each with a ``provider`` of type ``python``, ``process`` or ``http``
and optional ``pauses``: seconds ``before`` and ``after``) and ``rollbacks`` (actions run
at the end). It becomes a scenario through a small mapping, documented in
``docs/calibrate.md`` (section "Chaos Toolkit"):

* **action → fault kind**: the first row of ``KIND_RULES`` whose words occur in the
  action's name or provider (function, module, path, URL) gives the kind;
* **target → service**: the first provider argument among ``TARGET_ARGUMENTS``
  (``label_selector: app=checkout`` gives ``checkout``), else the host of an http URL;
* **time**: the method runs from ``start`` on: an activity's pauses move the clock, and
  a mapped action is a fault injected (``at:``) at its place on that clock;
* **rollbacks** end the faults on their target (all faults when they name none) at the
  time they would run, as ``self_heal`` — unless responders fixed them first;
* **steady-state hypothesis**: a probe that checks a service is up (an HTTP status or a
  boolean tolerance) becomes ``{check: all_resolved}`` — the system is back to its
  steady state after the experiment; other probes have no counterpart.

Everything that is not mapped is listed (``Imported.unmapped``) and written as a comment
in the scenario, never dropped silently.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from .ctk_scenario import Imported, Injection, scenario_text

__all__ = [
    "KIND_RULES",
    "MAX_ACTIVITIES",
    "TARGET_ARGUMENTS",
    "ExperimentError",
    "Imported",
    "Injection",
    "import_experiment",
]

#: (words, fault kind), first match wins; matched against the action's name and provider.
KIND_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("certificate", "cert", "tls", "ssl"), "certificate_expiry"),
    (("corrupt",), "data_corruption"),
    (("partition", "blackhole", "packet_loss", "loss", "isolate"), "network_partition"),
    (("latency", "delay", "slow", "lag"), "latency"),
    (("fill_disk", "disk", "memory", "oom", "exhaust", "leak"), "resource_exhaustion"),
    (("cpu", "stress", "burn", "saturat", "load"), "saturation"),
    (("config", "configmap", "env_var"), "config_error"),
    (("deploy", "rollout", "image", "release"), "bad_deploy"),
    (("dns", "dependency", "upstream"), "dependency"),
    (("error", "abort", "http_5", "fault", "exception"), "error_rate"),
    (("terminate", "kill", "delete", "stop", "crash", "shutdown", "reboot", "drain"), "crash"),
)
#: Provider arguments that name the target, in the order they are looked at.
TARGET_ARGUMENTS = (
    "service",
    "service_name",
    "label_selector",
    "app",
    "deployment",
    "deployment_name",
    "name",
    "container_name",
    "target",
    "host",
    "instance",
)
_SLUG = re.compile(r"[^a-z0-9_.-]+")
#: Activities of one list (hypothesis probes, method, rollbacks): each may become a fault.
MAX_ACTIVITIES = 1000


class ExperimentError(ValueError):
    """The experiment is not one (missing title or method, an activity without a name,
    a pause that is not a number ...). The message starts with the place in the
    document (``method[2].pauses.before: ...``); ``path`` is that place as keys and
    indexes, for finding its line."""

    @property
    def path(self) -> tuple[str | int, ...]:
        where = str(self).split(": ", 1)[0]
        return tuple(
            int(part) if part.isdigit() else part for part in re.split(r"[.\[\]]+", where) if part
        )


def _slug(text: str) -> str:
    return (_SLUG.sub("-", text.strip().lower()).strip("-._") or "x")[:80]


def _words(activity: dict[str, Any]) -> str:
    provider = activity.get("provider") or {}
    parts = [str(activity.get("name", ""))]
    for key in ("func", "module", "path", "url"):
        if isinstance(provider, dict) and provider.get(key):
            parts.append(str(provider[key]))
    return " ".join(parts).lower().replace("-", "_")


def kind_of(activity: dict[str, Any]) -> tuple[str | None, str]:
    """The fault kind of an action and why (the word that matched), or (None, why not)."""
    text = _words(activity)
    for words, kind in KIND_RULES:
        for word in words:
            if word in text:
                return kind, f"{word!r} in {text!r}"
    return None, f"no fault kind for {text!r} (see KIND_RULES)"


def target_of(activity: dict[str, Any], targets: dict[str, str] | None = None) -> str | None:
    """The service an activity acts on: given in ``targets`` (activity name -> service),
    else from its provider's arguments or URL."""
    if targets and activity.get("name") in targets:
        return _slug(targets[activity["name"]])
    provider = activity.get("provider") or {}
    if not isinstance(provider, dict):
        return None
    arguments = provider.get("arguments")
    if isinstance(arguments, dict):
        for key in TARGET_ARGUMENTS:
            value = arguments.get(key)
            if isinstance(value, str) and value.strip():
                selector = value.split(",")[0]
                return _slug(selector.split("=", 1)[-1])
    url = provider.get("url")
    if isinstance(url, str) and url:
        host = urlparse(url).hostname or ""
        return _slug(host.split(".")[0]) if host else None
    return None


def _pauses(activity: dict[str, Any], where: str) -> tuple[float, float]:
    pauses = activity.get("pauses") or {}
    if not isinstance(pauses, dict):
        raise ExperimentError(f"{where}.pauses: expected {{before: s, after: s}}")
    out = []
    for key in ("before", "after"):
        value = pauses.get(key, 0)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not 0 <= value <= 86400:
            raise ExperimentError(
                f"{where}.pauses.{key}: seconds between 0 and 86400, got {value!r}"
            )
        out.append(float(value) / 60.0)
    return out[0], out[1]


def _activities(doc: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    items = doc.get(key) or []
    if not isinstance(items, list):
        raise ExperimentError(f"{key}: expected a list of activities")
    if len(items) > MAX_ACTIVITIES:
        raise ExperimentError(f"{key}: {len(items):,} activities; the limit is {MAX_ACTIVITIES:,}")
    named: dict[str, dict[str, Any]] = {}
    out = []
    for n, item in enumerate(items):
        where = f"{key}[{n}]"
        if not isinstance(item, dict):
            raise ExperimentError(f"{where}: expected an activity (a mapping)")
        if "ref" in item:  # a reference to an activity defined earlier
            ref = item["ref"]
            if not isinstance(ref, str) or ref not in named:
                raise ExperimentError(f"{where}.ref: no earlier activity named {ref!r}")
            item = named[ref]
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ExperimentError(f"{where}.name: every activity needs a name")
        if item.get("type") not in ("action", "probe"):
            raise ExperimentError(f"{where}.type: 'action' or 'probe', got {item.get('type')!r}")
        if not isinstance(item.get("provider", {}), dict):
            raise ExperimentError(f"{where}.provider: expected a mapping (type, module, func ...)")
        named[name] = item
        out.append((where, item))
    return out


def _hypothesis(doc: dict[str, Any], result: Imported) -> None:
    hypothesis = doc.get("steady-state-hypothesis")
    if hypothesis is None:
        return
    if not isinstance(hypothesis, dict):
        raise ExperimentError("steady-state-hypothesis: expected a mapping")
    for where, probe in _activities(hypothesis, "probes"):
        tolerance = probe.get("tolerance")
        provider = probe.get("provider") or {}
        label = f"steady-state-hypothesis.{where} {probe['name']!r}"
        up = isinstance(tolerance, bool) or (isinstance(tolerance, int) and 100 <= tolerance <= 599)
        if up and (provider.get("type") == "http" or isinstance(tolerance, bool)):
            result.expectations.append(
                {"check": "all_resolved", "name": f"steady state: {probe['name']}"[:200]}
            )
        else:
            result.unmapped.append(
                f"{label}: tolerance {tolerance!r} has no gameday expectation "
                "(only 'the service is up' probes map, to check: all_resolved)"
            )


def import_experiment(
    doc: Any,
    *,
    start: float = 10.0,
    name: str | None = None,
    targets: dict[str, str] | None = None,
) -> Imported:
    """Map a parsed experiment onto scenario faults and expectations (and its text).
    ``targets`` names the service of activities whose provider does not say it."""
    if not isinstance(doc, dict):
        raise ExperimentError(": an experiment is a mapping with title, description and method")
    title = doc.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ExperimentError("title: every experiment needs a title")
    if not doc.get("method"):
        raise ExperimentError("method: the experiment has no method (a list of activities)")
    result = Imported(title=title)
    _hypothesis(doc, result)
    clock = start
    for where, activity in _activities(doc, "method"):
        before, after = _pauses(activity, where)
        clock += before
        label = f"{where} {activity['name']!r}"
        if activity["type"] == "probe":
            result.unmapped.append(f"{label}: a probe in the method measures, nothing to inject")
        else:
            kind, why = kind_of(activity)
            service = target_of(activity, targets)
            if kind is None:
                result.unmapped.append(f"{label}: {why}")
            elif service is None:
                result.unmapped.append(f"{label}: no target (see TARGET_ARGUMENTS, or a URL)")
            else:
                result.injections.append(Injection(activity["name"], kind, service, clock, why))
        if activity.get("background"):
            result.unmapped.append(f"{label}: runs in the background there; in order here")
        clock += after
    for where, rollback in _activities(doc, "rollbacks"):
        before, after = _pauses(rollback, where)
        clock += before
        # A rollback undoes the faults of its target and kind (either may be unknown,
        # not both): "remove-latency" on payments ends payments' latency faults.
        service, (kind, _) = target_of(rollback, targets), kind_of(rollback)
        healed = [
            i
            for i in result.injections
            if (service is not None or kind is not None)
            and service in (None, i.service)
            and kind in (None, i.kind)
        ]
        if not healed or rollback["type"] != "action":
            healed = []
            result.unmapped.append(
                f"{where} {rollback['name']!r}: undoes no imported fault "
                f"(target {service or 'unknown'}, kind {kind or 'unknown'})"
            )
        result.injections = [
            Injection(i.name, i.kind, i.service, i.at, i.why, max(clock - i.at, 0.1))
            if i in healed and i.heal_after is None
            else i
            for i in result.injections
        ]
        clock += after
    result.end = clock
    if not result.injections:
        raise ExperimentError("method: no action maps onto a fault: " + "; ".join(result.unmapped))
    result.unmapped = [" ".join(u.split()) for u in result.unmapped]  # one line each
    result.text = scenario_text(result, name or _slug(title), doc.get("description") or "")
    return result
