"""Who may do what on a live game day: the four player roles and the facilitator.

A role permits command verbs (the training grammar, ``sim.training.COMMANDS``, plus
``assign``). The engine's decisions (``Prompt.kind``) are answered by the roles in
``DECIDES``; a decision none of the present roles can answer is taken by the responder
model, so simulated colleagues fill the roles nobody plays.
"""

from __future__ import annotations

__all__ = [
    "DECIDES",
    "FACILITATOR",
    "MAX_PLAYERS",
    "PERMITS",
    "ROLES",
    "ROLE_TITLES",
    "RoleError",
]

FACILITATOR = "facilitator"
MAX_PLAYERS = 20  # players of one game day

#: Player roles, in the order a page lists them.
ROLES = ("commander", "operations", "communications", "expert")

ROLE_TITLES = {
    "commander": "Incident commander",
    "operations": "Operations",
    "communications": "Communications",
    "expert": "Subject-matter expert",
}

#: The verbs each role may give.
PERMITS: dict[str, frozenset[str]] = {
    "commander": frozenset(
        {
            "ack",
            "severity",
            "dismiss",
            "approve",
            "declare",
            "assign",
            "page",
            "status",
            "mitigated",
            "resolve",
            "escalate",
        }
    ),
    "operations": frozenset({"ack", "runbook", "escalate", "do", "dismiss"}),
    "communications": frozenset({"status"}),
    "expert": frozenset({"runbook", "escalate"}),
}

#: The roles that answer each kind of decision the engine asks.
DECIDES: dict[str, tuple[str, ...]] = {
    "page": ("commander", "operations"),
    "triage": ("commander",),
    "noise": ("commander", "operations"),
    "runbook": ("operations", "expert"),
    "approve": ("commander",),
    "step": ("operations",),
}


class RoleError(PermissionError):
    """A request the asker's role (or missing facilitator token) does not permit."""
