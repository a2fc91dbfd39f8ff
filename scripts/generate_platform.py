"""Write the large generated scenarios of the library (240 and 500 services).

Hand-writing hundreds of services is impractical and would hide the structure, so these
two scenarios are generated from a few rules and committed as YAML; the test suite
checks that the committed files are exactly what this script writes
(``tests/library/test_library.py``). Run it after changing the rules:

    python scripts/generate_platform.py            # rewrite both files
    python scripts/generate_platform.py --check    # exit 1 if a file is stale

The platform: an edge and an API gateway in front of business *domains*; each domain
has a public API, a worker, a database and a cache, plus internal services to make up
the size; every domain leans on a shared identity service, a config service and a Kafka
cluster. Faults are placed by what a service is (a database saturates or loses its
primary, an API ships bad releases ...), with rates scaled so the whole platform has
``incidents_per_day`` incidents on average.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "scenarios" / "library"

_DOMAIN_NAMES = """
accounts orders payments catalog search pricing inventory shipping returns loyalty reviews
messaging notifications ads analytics fraud support content media recommendations billing
invoicing tax promotions partners marketplace reporting compliance audit experiments wishlist
gifting subscriptions rewards identity-proofing warehouse fulfilment carriers customs claims
insurance lending savings cards ledger statements disputes kyc onboarding referrals surveys
chat voice video maps geo routing dispatch drivers fleet parking tickets events venues seating
bookings hotels flights rail cars activities itineraries currency forecasting capacity
scheduling payroll hr legal procurement vendors contracts documents signatures archive backup
translation localisation accessibility moderation trust safety abuse spam privacy consent
cookies tracking attribution campaigns newsletters crm leads quotes sales
"""
DOMAINS = tuple(_DOMAIN_NAMES.split())


@dataclass(frozen=True)
class FaultOption:
    """A fault a service of some role can have."""

    kind: str
    effect: str
    runbook: str
    signals: str | None = None


# What can happen to a service of each role: (fault kind, effect, runbooks, signals).
FAULTS_BY_ROLE: dict[str, tuple[FaultOption, ...]] = {
    "api": (
        FaultOption("bad_deploy", "degraded", "rollback-deploy", "{error_rate: 0.15}"),
        FaultOption("crash", "down", "restart-service"),
        FaultOption("latency", "degraded", "scale-out", "{latency_ms: 2500}"),
    ),
    "svc": (
        FaultOption("bad_deploy", "degraded", "abort-canary", "{error_rate: 0.2}"),
        FaultOption("error_rate", "degraded", "restart-service", "{error_rate: 0.1}"),
    ),
    "worker": (FaultOption("saturation", "degraded", "queue-backlog-recovery"),),
    "db": (
        FaultOption("saturation", "degraded", "db-connection-relief"),
        FaultOption("crash", "down", "promote-db-replica"),
    ),
    "cache": (
        FaultOption("resource_exhaustion", "degraded", "restart-service", "{saturation: 1.0}"),
    ),
}
#: Shared components: (fault name, target, what happens).
SHARED_FAULTS = (
    ("identity-crash", "identity", FaultOption("crash", "down", "restart-service")),
    ("config-bad-push", "config", FaultOption("config_error", "degraded", "revert-config")),
    ("kafka-backlog", "kafka", FaultOption("saturation", "degraded", "queue-backlog-recovery")),
)


@dataclass(frozen=True)
class Size:
    """One generated scenario: its name, size, horizon and incident rate."""

    name: str
    services: int
    horizon_days: int
    incidents_per_day: float
    seed: int
    teaches: str
    question: str


SIZES = (
    Size(
        "large-platform",
        240,
        30,
        3.0,
        240,
        "at this size the on-call feels volume, not novelty: most incidents are\n"
        "#           routine releases and saturations spread over dozens of teams' services,\n"
        "#           three a day, and the few shared services (identity, config, Kafka) are\n"
        "#           the ones whose failure is a P0 for everybody.",
        "Question: with three incidents a day, how much does automation cut the\n"
        "  human time a central rotation spends?",
    ),
    Size(
        "platform-500",
        500,
        7,
        8.0,
        500,
        "scale shows in the volume of work, not in the time per incident: a whole\n"
        "#           company of 500 services with eight incidents a day recovers as fast per\n"
        "#           incident as the 240-service platform. One week per replication keeps\n"
        "#           `gameday test` quick.",
        "Question: does anything change per incident at this scale (it should not)?",
    ),
)


@dataclass
class Service:
    name: str
    role: str
    tier: int
    team: str
    traffic_share: float = 0.0
    cost_per_minute: float = 0.0
    degraded_impact: float = 0.3
    depends_on: dict[str, str] = field(default_factory=dict)


def _domain(name: str, index: int, count: int, rng: random.Random) -> list[Service]:
    """One domain of ``count`` services (at least 4: API, database, cache, worker)."""
    tier = 1 if index < 8 else (2 if index < 30 else rng.choice((2, 3, 3, 4)))
    inner = min(tier + 1, 4)
    api = Service(
        f"{name}-api",
        "api",
        tier,
        name,
        traffic_share=round(rng.uniform(0.02, 0.5 if tier == 1 else 0.2), 2),
        cost_per_minute=float(rng.choice((0, 5, 10, 20, 50))) if tier == 1 else 0.0,
        degraded_impact=round(rng.uniform(0.1, 0.6), 2),
        depends_on={
            f"{name}-db": "hard",
            f"{name}-cache": "soft",
            "identity": "hard",
            "config": "soft",
        },
    )
    members = [
        api,
        Service(f"{name}-db", "db", tier, name),
        Service(f"{name}-cache", "cache", inner, name),
        Service(
            f"{name}-worker",
            "worker",
            inner,
            name,
            depends_on={"kafka": "hard", f"{name}-db": "hard"},
        ),
    ]
    for i in range(count - 4):
        svc = Service(f"{name}-svc-{i + 1}", "svc", inner, name, depends_on={"config": "soft"})
        api.depends_on[svc.name] = rng.choice(("hard", "soft", "soft"))
        members.append(svc)
    return members


def _services(size: Size, rng: random.Random) -> list[Service]:
    gateway = Service("api-gateway", "edge", 1, "platform", depends_on={"identity": "hard"})
    shared = [
        Service("edge", "edge", 1, "platform", 1.0, 150.0, 0.2, {"api-gateway": "hard"}),
        gateway,
        Service("identity", "shared", 1, "identity", depends_on={"identity-db": "hard"}),
        Service("identity-db", "db", 1, "identity"),
        Service("config", "shared", 1, "platform"),
        Service("kafka", "shared", 2, "platform"),
    ]
    # As many domains of four services as the size allows (one per name at most); what
    # is left goes one internal service at a time to the first domains.
    rest = size.services - len(shared)
    domains = min(len(DOMAINS), rest // 4)
    out = list(shared)
    for d in range(domains):
        count = rest // domains + (1 if d < rest % domains else 0)
        members = _domain(DOMAINS[d], d, count, rng)
        out.extend(members)
        if d < 12:  # the gateway routes to the first domains' APIs
            gateway.depends_on[members[0].name] = "soft"
    return out


def _faults(size: Size, services: list[Service], rng: random.Random) -> list[str]:
    placed = list(SHARED_FAULTS)
    for service in services:
        options = FAULTS_BY_ROLE.get(service.role)
        if options and rng.random() < 0.5:
            option = rng.choice(options)
            placed.append((f"{service.name}-{option.kind.replace('_', '-')}", service.name, option))
    # Equal rates: the mean time between failures of each gives incidents_per_day in all.
    tbf_days = len(placed) / size.incidents_per_day
    lines = []
    for name, target, option in placed:
        lines += [f"  {name}:", f"    kind: {option.kind}", f"    target: {target}"]
        lines += [
            f"    effect: {option.effect}",
            f"    tbf: {{dist: exponential, mean: {tbf_days:.1f}d}}",
        ]
        if option.signals:
            lines.append(f"    signals: {option.signals}")
        lines.append(f"    runbooks: [{option.runbook}]")
    return lines


def _service_lines(service: Service) -> list[str]:
    lines = [f"  {service.name}:", f"    tier: {service.tier}", f"    team: {service.team}"]
    if service.traffic_share:
        lines.append(f"    traffic_share: {service.traffic_share}")
        lines.append(f"    degraded_impact: {service.degraded_impact}")
    if service.cost_per_minute:
        lines.append(f"    cost_per_minute: {service.cost_per_minute:g}")
    if service.depends_on:
        deps = ", ".join(f"{k}: {v}" for k, v in service.depends_on.items())
        lines.append(f"    depends_on: {{{deps}}}")
    return lines


_HEADER = """\
# yaml-language-server: $schema=../../sim/schemas/scenario.schema.json
#
# {title}
#
# GENERATED by scripts/generate_platform.py - edit the script, not this file
# (tests/library/test_library.py fails when the two disagree).
#
# Teaches:  {teaches}
# Models:   a company platform of {services} services: an edge and an API gateway in
#           front of {domains} business domains (each an API, a database, a cache, a
#           worker and internal services, owned by its own team), all leaning on a
#           shared identity service, a config service and Kafka; a central SRE rotation
#           of five answers every page.
# Expect:   identity failures are P0; config pushes are reverted; full automation keeps
#           the mean recovery under half an hour; every incident resolves within the
#           {horizon}-day replication.
kind: scenario
name: {name}
description: >
  {services} services in {domains} domains, about {rate:g} incidents a day, {horizon} days per
  replication. {question}

horizon: {horizon}d
start_hour: 9
currency: USD

runbooks: [../../runbooks, ../../runbooks/library]
triage: ../triage/impact-tier.yaml
"""

_TAIL = """
alert_rules:
  identity-login-errors:
    service: identity
    signal: error_rate
    op: ">"
    threshold: 0.02
    for: 1m
    interval: 30s
    detection_delay: {dist: lognormal, median: 45s, p90: 2m}
    labels: {severity: critical, env: prod}
  availability:
    signal: availability
    op: "<"
    threshold: 0.99
    for: 2m
    interval: 1m
    detection_delay: {dist: lognormal, median: 1m, p90: 3m}
    labels: {severity: critical, env: prod}
  error-ratio:
    signal: error_rate
    op: ">"
    threshold: 0.05
    for: 2m
    interval: 1m
    detection_delay: {dist: lognormal, median: 1m, p90: 3m}
    labels: {severity: critical, env: prod}
  latency-p99:
    signal: latency_ms
    op: ">"
    threshold: 1500
    for: 3m
    interval: 1m
    detection_delay: {dist: lognormal, median: 1m, p90: 3m}
    labels: {severity: warning, env: prod}
  saturation:
    signal: saturation
    op: ">"
    threshold: 0.9
    for: 3m
    interval: 1m
    detection_delay: {dist: lognormal, median: 1m, p90: 3m}
    labels: {severity: warning, env: prod}

responders:
  roster:
    - {role: primary, count: 2, skill: 1.0}
    - {role: secondary, count: 2, skill: 1.0}
    - {role: manager, count: 1, skill: 0.8}
  escalation:
    levels:
      - {role: primary, after: 10m}
      - {role: secondary, after: 10m}
      - {role: manager, after: 15m}
    loops: 1
  ack_time: {dist: lognormal, median: 4m, p90: 15m}
  triage_time: {dist: lognormal, median: 12m, p90: 45m}   # "whose service is this?"
  diagnosis_time: {dist: lognormal, median: 18m, p90: 72m}
  wrong_runbook_probability: 0.17
  approval_time: {dist: lognormal, median: 4m, p90: 15m}
  night: {start_hour: 22, end_hour: 7, factor: 1.5}
  fatigue: {window: 8h, error_per_page: 0.01, max_extra: 0.1}

strategies:
  manual:
    description: Every step by hand.
    automation_coverage: 0.03
  semi:
    description: Scripted diagnostics; alerts routed to the owning team's runbooks.
    automation_coverage: 0.4
    auto_triage: true
    assist: 0.6
  full:
    description: Automated mitigation; humans approve risky steps.
    automation_coverage: 0.85
    auto_triage: true
    auto_remediation: true
    assist: 0.9

expect:
  - {check: lifecycle_legal}
  - {check: all_resolved}
  - {check: triages_to, alert: identity-login-errors, severity: P0, name: identity down is all down}
  - {check: fixed_by, fault: config_error, runbook: revert-config}
  - {metric: mttr.mean, max: 30m, strategy: full}
"""


def render(size: Size) -> str:
    """The scenario file for ``size``, deterministic (seeded)."""
    rng = random.Random(size.seed)
    services = _services(size, rng)
    faults = _faults(size, services, rng)
    domains = len({s.team for s in services if s.role == "api"})
    title = f"A large platform of {size.services} services (generated)"
    head = _HEADER.format(
        title=title,
        teaches=size.teaches,
        services=size.services,
        domains=domains,
        horizon=size.horizon_days,
        name=size.name,
        rate=size.incidents_per_day,
        question=size.question,
    )
    body = ["", "services:"]
    for service in services:
        body += _service_lines(service)
    count = sum(1 for line in faults if not line.startswith("    "))
    body += ["", f"# {count} fault definitions with equal rates.", "faults:", *faults]
    return head + "\n".join(body) + "\n" + _TAIL


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is stale")
    args = parser.parse_args(argv)
    stale = []
    for size in SIZES:
        path = LIBRARY / f"{size.name}.yaml"
        text = render(size)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    for path in stale:
        print(f"{path.relative_to(ROOT)} is stale: run python scripts/generate_platform.py")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
