"""The fitted model written as a scenario: readable YAML, every fitted number commented.

How the history maps onto the scenario's model (``docs/calibrate.md`` explains why):

* each service of the export is a service; each (service, severity) seen is a fault
  whose ``tbf`` is exponential with the fitted Poisson rate of that pair;
* a severity is carried by the signal its fault moves (P0 availability, P1 error rate,
  P2 latency, P3 saturation) and by the alert rule watching that signal, whose label
  ``history_severity`` the inline triage rules turn back into the severity;
* monitoring is immediate (the export's clock starts when the incident was opened);
* the responders' ``ack_time`` is the pooled fitted time to acknowledge, and one
  runbook per severity (``history-p1`` ...) has one step whose manual duration is the
  fitted work after the acknowledgement; triage and diagnosis take no extra time and
  diagnosis never picks a wrong runbook (both are inside the fitted work time);
* the people on call are the people who acknowledged incidents.

What no export contains (the runbooks' real steps, what automation would do, night and
fatigue effects, costs) is written as ``ASSUMPTION`` lines to fill in.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import datetime

import yaml

from sim.spec.distributions import Z90

from .cleaning import service_slug
from .fitting import DurationFit, Estimate
from .model import DurationFits, TeamModel, poisson_rate

__all__ = ["SEVERITY_SIGNALS", "distribution_yaml", "scenario_yaml"]

#: Severity -> (fault kind, signals while active, alert rule signal, op, threshold).
SEVERITY_SIGNALS: dict[str, tuple[str, str, str, str, float]] = {
    "P0": ("crash", "{availability: 0.0, error_rate: 0.001}", "availability", "<", 0.5),
    "P1": ("error_rate", "{error_rate: 0.5}", "error_rate", ">", 0.1),
    "P2": ("latency", "{latency_ms: 3000}", "latency_ms", ">", 1000.0),
    "P3": ("saturation", "{saturation: 0.98, latency_ms: 120}", "saturation", ">", 0.9),
}
_MAX_HORIZON_WEEKS = 52


def _plain(text: str) -> str:
    """``text`` as a YAML scalar that reads back as the same string: a name such as
    ``0``, ``yes`` or ``null`` is quoted (plain, YAML would read a number, a bool, null)."""
    return text if yaml.safe_load(text) == text else json.dumps(text)


def _printable(text: str) -> str:
    """Text from the export, safe inside a comment or a folded line: characters that
    are not printable (controls, line separators) are written as escapes."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _num(x: float) -> str:
    """A number as YAML, 4 significant digits (fitted numbers are not more precise)."""
    return f"{x:.4g}" if abs(x) < 1000 else f"{x:.0f}"


def distribution_yaml(fit: DurationFit) -> str:
    """The fitted distribution in the scenario's distribution syntax (minutes)."""
    a, b = fit.natural()
    if fit.family == "lognormal":
        median, p90 = math.exp(a), math.exp(a + Z90 * b)
        return f"{{dist: lognormal, median: {_num(median)}, p90: {_num(p90)}}}"
    return f"{{dist: {fit.family}, shape: {_num(a)}, scale: {_num(b)}}}"


def _ci(e: Estimate, unit: str = "") -> str:
    return f"{_num(e.value)}{unit} (95% CI {_num(e.low)}-{_num(e.high)})"


def fit_comment(fit: DurationFit, others: tuple[DurationFit, ...] = ()) -> str:
    """One line: family, parameters with CIs, n, censored, AIC against the others."""
    params = ", ".join(f"{k} {_ci(v)}" for k, v in fit.params.items())
    rivals = ", ".join(f"{o.family} +{o.aic - fit.aic:.1f}" for o in others if o is not fit)
    aic = f"AIC best{'; ' + rivals if rivals else ''}"
    return (
        f"fitted {fit.family}: {params}; median {_ci(fit.median, ' min')}, "
        f"mean {_ci(fit.mean, ' min')}; n={fit.n} ({fit.censored} open, censored); "
        f"{aic}; KS distance to Kaplan-Meier {fit.ks:.3f}"
    )


def _duration_lines(
    key: str, fits: DurationFits | None, severity: str | None, indent: str
) -> list[str]:
    choice = (fits.by_severity.get(severity) if severity else None) if fits else None
    if fits is not None and choice is None:
        choice = fits.pooled
    if choice is None:
        return [
            f"{indent}{key}: 0m   # ASSUMPTION: the export has no "
            f"{fits.name if fits else 'such times'}"
        ]
    borrowed = (
        " (pooled over severities: too few of this severity)"
        if (severity and fits and severity in fits.borrowed)
        else ""
    )
    return [
        f"{indent}# {fit_comment(choice.best, choice.fits)}{borrowed}",
        f"{indent}{key}: {distribution_yaml(choice.best)}",
    ]


def _horizon_weeks(model: TeamModel) -> int:
    return max(1, min(_MAX_HORIZON_WEEKS, math.ceil(model.weeks)))


def scenario_yaml(
    model: TeamModel,
    *,
    name: str,
    source: str,
    fmt: str,
    as_of: datetime,
    pair_counts: Counter[tuple[str, str]],
    dropped: Counter[str],
    horizon_weeks: float | None = None,
) -> str:
    """The scenario text. ``pair_counts``: incidents per (service, severity)."""
    source = _printable(source)
    weeks = horizon_weeks if horizon_weeks is not None else _horizon_weeks(model)
    severities = sorted(model.severity_counts)
    lines = [
        f"# Fitted by `gameday calibrate` from {source} (format {fmt}): "
        f"{model.incidents} incidents",
        f"# over {model.weeks:.1f} weeks up to {as_of:%Y-%m-%d %H:%M} UTC.",
        "# Every fitted number is commented with its estimate, 95% CI and sample size; open",
        "# incidents count as censored (they lasted at least until the export's end).",
        "# Lines marked ASSUMPTION are not in any export: fill them in before trusting a",
        "# what-if. The fit report (--report) has the QQ plots and the profiles.",
    ]
    if dropped:
        lines.append(
            "# Dropped while cleaning: " + ", ".join(f"{k} {v}" for k, v in sorted(dropped.items()))
        )
    lines += [
        "kind: scenario",
        f"name: {_plain(name)}",
        "description: >",
        f"  Fitted to the incident history in {source}. Strategy `history` reproduces it;",
        "  the others are what-ifs whose automation numbers are assumptions.",
        f"horizon: {_num(weeks)}w     # the export's span in whole weeks, at most "
        f"{_MAX_HORIZON_WEEKS}",
        "start_day: Mon",
        "start_hour: 0",
        "",
        "# Fault arrivals are homogeneous Poisson: the weekly and daily profiles below are",
        "# fitted and reported, not simulated (the engine has no time-varying rates).",
        "# weekday rate vs flat: "
        + ", ".join(f"{d} {_num(e.value)}" for d, e in model.weekday.items())
        + f" (chi-square p={model.weekday_p:.2g})",
        f"# hour-of-day profile: chi-square p={model.hour_p:.2g} (see the fit report)",
        "",
        "# ASSUMPTION: each service's tier, traffic_share, cost_per_minute, depends_on.",
        "services:",
    ]
    for slug in sorted(model.rates):
        lines.append(
            f"  {_plain(slug)}: {{}}   # {_ci(model.rates[slug], '/week')}, n={model.counts[slug]}"
        )
    lines += ["", "faults:"]
    for slug in sorted(model.rates):
        for sev in severities:
            k = pair_counts.get((slug, sev), 0)
            if k == 0:
                continue
            rate = poisson_rate(k, model.weeks)
            kind, signals, *_ = SEVERITY_SIGNALS[sev]
            tbf_minutes = 10080.0 / rate.value
            lines += [
                f"  {_plain(f'{slug}-{sev.lower()}')}:",
                f"    kind: {kind}      # stands for '{sev} incident' (ASSUMPTION: the real kind)",
                f"    target: {_plain(slug)}",
                f"    # {sev} on {slug}: {_ci(rate, '/week')}, n={k}",
                f"    tbf: {{dist: exponential, mean: {tbf_minutes / 1440:.4g}d}}",
                f"    signals: {signals}",
            ]
    lines += [
        "",
        "alert_rules:",
        "  # Immediate detection: the export's clock starts when an incident was opened.",
    ]
    for sev in severities:
        _, _, signal, op, threshold = SEVERITY_SIGNALS[sev]
        lines += [
            f"  history-{sev.lower()}:",
            f"    signal: {signal}",
            f'    op: "{op}"',
            f"    threshold: {_num(threshold)}",
            "    interval: 6s",
            f"    labels: {{history_severity: {sev}}}",
        ]
    lines += _triage_lines(severities)
    lines += _runbook_lines(model, severities)
    lines += _responder_lines(model)
    lines += _team_lines(model)
    lines += [
        "",
        "strategies:",
        "  history:",
        "    description: As the export shows it, no automation.",
        "    automation_coverage: 0.0",
        "  automated:",
        "    description: What-if - automation performs the fitted work (ASSUMPTION numbers).",
        "    automation_coverage: 1.0",
        "",
        "expect:",
        "  - {check: lifecycle_legal}",
        "",
    ]
    return "\n".join(lines)


def _team_lines(model: TeamModel) -> list[str]:
    """One team, ``on-call``: a weekly rotation when each week's acknowledgements were
    mostly one person's, else everyone at once. Nobody escalates in the simulation: the
    fitted acknowledgement time already holds the escalations that happened."""
    rot = model.rotation
    lines = ["", "teams:", "  on-call:", "    members: [primary]"]
    if rot is None:
        lines.append("    # ASSUMPTION: schedule (the export names nobody per week)")
    elif rot.weekly:
        lines += [
            f"    # a week's top acknowledger took {_num(100 * rot.top_share)}% of its "
            f"acknowledgements on average ({rot.weeks} weeks): a weekly rotation, in the",
            "    # order people first took a week",
            "    schedule: {kind: weekly, every: 1w, on_call: 1}",
        ]
    else:
        lines += [
            f"    # a week's top acknowledger took only {_num(100 * rot.top_share)}% of its "
            f"acknowledgements on average ({rot.weeks} weeks):",
            "    # everyone answers pages, no rotation",
            "    schedule: {kind: always}",
        ]
    return lines


def _triage_lines(severities: list[str]) -> list[str]:
    lines = [
        "",
        "triage:",
        "  precedence: most_severe",
        "  group_by: [service]",
        "  severities:   # ASSUMPTION: your SLAs; everyone pages the primary on call",
    ]
    slas = {"P0": ("5m", "1h"), "P1": ("15m", "4h"), "P2": ("1h", "1d"), "P3": ("1d", "1w")}
    for sev in ("P0", "P1", "P2", "P3"):
        ack, mitigate = slas[sev]
        lines.append(f"    {sev}: {{ack_sla: {ack}, mitigate_sla: {mitigate}, page: [primary]}}")
    lines.append("  rules:")
    for sev in severities:
        lines.append(
            f"    - {{name: history-{sev.lower()}, matchers: ['history_severity=\"{sev}\"'], "
            f"severity: {sev}, route: {{team: on-call}}}}"
        )
    lines.append("  default: {severity: P3, route: {team: on-call}}")
    return lines


def _runbook_lines(model: TeamModel, severities: list[str]) -> list[str]:
    lines = ["", "runbooks:"]
    for sev in severities:
        kind = SEVERITY_SIGNALS[sev][0]
        lines += [
            "  - kind: runbook",
            f"    id: history-{sev.lower()}",
            f"    title: Resolve a {sev} incident as the history shows (ASSUMPTION - real steps)",
            f"    fixes: [{kind}]",
            "    steps:",
            "      - id: resolve",
            "        action: Everything between the acknowledgement and the resolution.",
            "        mitigates: true",
            "        automatable: true   # ASSUMPTION: for the `automated` what-if",
            "        manual:",
        ]
        lines += _duration_lines("duration", model.work, sev, "          ")
        lines += [
            "        automated:   # ASSUMPTION: your automation's measured time and failure rate",
            "          duration: {dist: lognormal, median: 10m, p90: 30m}",
            "          failure_probability: 0.1",
        ]
    return lines


def _people(model: TeamModel) -> list[str]:
    """Roster names of the people who acknowledged, in rotation order, unique."""
    order = model.rotation.order if model.rotation else tuple(model.responders)
    names: list[str] = []
    for person in order:
        name, n = service_slug(person), 2
        while name in names:
            name, n = f"{service_slug(person)[:76]}-{n}", n + 1
        names.append(name)
    return names


def _responder_lines(model: TeamModel) -> list[str]:
    people = _people(model)
    shares = ", ".join(
        f"{_printable(p)} {_num(100 * e.value)}%" for p, e in list(model.responders.items())[:8]
    )
    lines = ["", "responders:", "  roster:"]
    if people:
        lines.append(f"    # {len(people)} people acknowledged incidents: {shares}")
        lines += [f"    - {{name: {_plain(name)}, role: primary}}" for name in people]
    else:
        lines.append(
            "    - {role: primary, count: 2}   # ASSUMPTION: the export names no responders"
        )
    if model.escalated is not None:
        lines.append(
            f"  # escalated: {_ci(model.escalated)} of incidents (inside the fitted ack time)"
        )
    lines += _duration_lines("ack_time", model.tta, None, "  ")
    lines += [
        "  triage_time: 0m         # inside the fitted work time",
        "  diagnosis_time: 0m      # inside the fitted work time",
        "  wrong_runbook_probability: 0.0   # wrong turns are inside the fitted work time",
        "  approval_time: 0m",
        "  noise_handling_time: 0m",
        "  # ASSUMPTION: night (slower at night) and fatigue are not fitted",
    ]
    return lines
