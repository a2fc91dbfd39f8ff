"""Small scenarios built in code for engine tests."""

from __future__ import annotations

from typing import Any

from sim.spec import ScenarioSpec

ONE_STEP_RUNBOOK: dict[str, Any] = {
    "id": "fix",
    "title": "Fix it",
    "fixes": ["crash"],
    "steps": [
        {
            "id": "repair",
            "action": "repair the service",
            "manual": {"duration": {"dist": "exponential", "mean": 60}},
            "mitigates": True,
        }
    ],
}


def queue_scenario(
    *,
    responders: int,
    services: int = 1000,
    incidents_per_hour: float = 1.0,
    handling_mean: float = 60.0,
    horizon_hours: float = 2000.0,
    detection_delay: Any = 0,
) -> ScenarioSpec:
    """An M/M/c system: Poisson incidents, c identical responders, exponential handling.

    Incidents arrive on many services (each a Poisson process), so almost never two at
    once on one service (which would group them into one incident).
    """
    runbook = dict(ONE_STEP_RUNBOOK)
    runbook["steps"] = [
        {
            **ONE_STEP_RUNBOOK["steps"][0],
            "manual": {"duration": {"dist": "exponential", "mean": handling_mean}},
        }
    ]
    per_service_mean = services * 60.0 / incidents_per_hour
    return ScenarioSpec.model_validate(
        {
            "name": "mmc",
            "horizon": horizon_hours * 60.0,
            "runbooks": [runbook],
            "triage": {"rules": []},
            "services": {f"s{i}": {} for i in range(services)},
            "faults": {
                f"f{i}": {
                    "kind": "crash",
                    "target": f"s{i}",
                    "tbf": {"dist": "exponential", "mean": per_service_mean},
                }
                for i in range(services)
            },
            "alert_rules": {
                "down": {
                    "signal": "availability",
                    "op": "<",
                    "threshold": 0.5,
                    "interval": 0.001,
                    "detection_delay": detection_delay,
                }
            },
            "responders": {
                "roster": [{"role": "oncall", "count": responders}],
                "ack_time": 0,
                "triage_time": 0,
                "diagnosis_time": 0,
                "wrong_runbook_probability": 0,
            },
            "strategies": {"queue": {"auto_triage": True}},
        }
    )
