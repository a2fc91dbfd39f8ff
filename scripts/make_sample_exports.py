"""Write the SYNTHETIC sample exports in samples/exports/ (one per supported format).

Every incident is drawn from known parameters (``sim.calibrate.synthetic.Truth()``:
three services, a weekday and business-hours profile, lognormal acknowledgements and
lognormal / Weibull / gamma work per severity) with a fixed seed, so the files are
reproducible: ``python scripts/make_sample_exports.py`` rewrites them byte for byte, and
``tests/calibrate/test_samples.py`` checks that they match. No real team's data.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim.calibrate.synthetic import Truth, export_text, simulate_history
from sim.spec.safe_io import atomic_write

SEED = 2026
FILES = {
    "pagerduty": "synthetic-pagerduty.csv",
    "opsgenie": "synthetic-opsgenie.csv",
    "incidentio": "synthetic-incidentio.csv",
    "csv": "synthetic-generic.csv",
}


def sample_texts() -> dict[str, str]:
    """File name -> text of every sample export."""
    incidents, _ = simulate_history(Truth(), SEED)
    return {name: export_text(incidents, fmt, dirty=True) for fmt, name in FILES.items()}


def main(folder: str = "samples/exports") -> int:
    for name, text in sample_texts().items():
        atomic_write(Path(folder) / name, text)
        print(f"wrote {Path(folder) / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
