"""The scripted players behind the shipped action files (``scenarios/training/``).

An expert and a careless trainee play each training scenario on seed 1; the commands
they gave are the action files. The expert peeks at what the debrief would reveal (the
triage rules' severity, the runbooks that fix the fault) to play as someone who knows;
the careless one sets P3, tries a wrong runbook first, approves unread and never tells
anyone. When the engine changes what happens on seed 1, regenerate the files::

    python -m tests.training.personas

The tests play the files, not these players.
"""

from __future__ import annotations

import sys

from sim.training import Session

from .helpers import SCENARIOS, actions_path, spec_of

#: A runbook that does not fit, per scenario, for the careless player's first choice.
WRONG = {
    "training-01-crash": "rollback-deploy",
    "training-02-cascade": "rollback-deploy",
    "training-03-night-shift": "restart-service",
}

HEADERS = {
    "expert": "# An expert's playthrough of {name} (seed 1), one command per line.\n"
    "# Written by tests/training/personas.py; the tests play it.\n",
    "careless": "# A careless playthrough of {name} (seed 1): wrong severity, a wrong runbook\n"
    "# first, no status updates, no pages, no review, risky steps approved unread.\n"
    "# Written by tests/training/personas.py; the tests play it.\n",
}


def play(name: str, persona: str, seed: int = 1) -> tuple[Session, list[str]]:
    spec = spec_of(name)
    session = Session(spec, seed)
    lines: list[str] = []
    policies = spec.triage_spec.severities
    severity: dict[int, str] = {}
    last_status: dict[int, float] = {}
    declared: set[int] = set()
    wrong_done: set[int] = set()

    def act(line: str) -> None:
        session.act(line)
        lines.append(line)

    while session.prompt is not None:
        p = session.prompt
        inc = next(i for i in session.play.world.open_incidents.values() if i.number == p.incident)
        if persona == "expert" and p.kind != "noise":
            every = policies[severity[p.incident]].update_every if p.incident in severity else None  # type: ignore[index]
            mitigated = any(
                e.kind == "mitigated" and e.incident == p.incident for e in session.events
            )
            if mitigated and p.incident not in declared:
                declared.add(p.incident)
                act("mitigated")
                act(f"status {p.service} recovered; finishing the runbook and watching")
                last_status[p.incident] = session.now
                continue
            if (
                every
                and not mitigated
                and session.now - last_status.get(p.incident, -1e9) >= every - 4
            ):
                act(f"status users affected through {p.service}; next update in {every:.0f} min")
                last_status[p.incident] = session.now
                continue
        if p.kind == "page":
            act("ack")
        elif p.kind == "noise":
            if persona == "expert":
                act("inspect logs")
            act("dismiss")
        elif p.kind == "triage":
            if persona == "expert":
                right = severity[p.incident] = inc.core.severity
                act(f"severity {right}")
                for role in policies[right].page:  # type: ignore[index]
                    if role != session.role:
                        act(f"page {role}")
                act("declare")
                act("inspect logs")
                act(f"status investigating an outage around {p.service}")
                last_status[p.incident] = session.now
            else:
                severity[p.incident] = "P3"
                act("severity P3")
        elif p.kind == "runbook":
            right = sorted(inc.faults[0].fault.fixes)[0]
            if persona == "careless" and p.incident not in wrong_done:
                wrong_done.add(p.incident)
                act(f"runbook {WRONG[name]}")
            else:
                if persona == "expert":
                    act("inspect changes")
                act(f"runbook {right}")
        elif p.kind == "approve":
            if persona == "expert":
                act("inspect step")
            act("approve")
        elif p.kind == "step":
            act("do")
    if persona == "expert":
        for n in session._held():
            act(f"review {n} impact users affected; see the timeline for how long")
            act(f"review {n} cause what failed first and why, from the logs")
            act(f"review {n} actions add an alert on the cause and a test for the trigger")
    act("end")
    return session, lines


def main() -> int:
    for name in SCENARIOS:
        for persona in ("expert", "careless"):
            _session, lines = play(name, persona)
            text = HEADERS[persona].format(name=name) + "\n".join(lines) + "\n"
            actions_path(name, persona).write_text(text, encoding="utf-8")
            print(f"wrote {actions_path(name, persona)} ({len(lines)} commands)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
