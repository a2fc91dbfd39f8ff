"""Digests of the event logs of every shipped scenario and strategy, for refactoring.

A refactoring of the engine that is meant to change nothing must leave every log
byte-identical. Record the digests before (``--save FILE``), compare after
(``--check FILE``): each (scenario, strategy, seed) whose log changed is listed.

    python bench/log_digests.py --save /tmp/before.json
    python bench/log_digests.py --check /tmp/before.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sim.engine import run_once
from sim.eventlog import digest
from sim.spec import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (1, 2, 3)


def digests() -> dict[str, str]:
    """``scenario/strategy/seed`` -> digest of its event log, for every shipped scenario."""
    found = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        spec = load_scenario(path)
        for strategy in spec.strategies:
            for seed in SEEDS:
                result = run_once(spec, strategy, seed)
                if result.error is not None:
                    raise SystemExit(f"{path.name} {strategy} {seed}: {result.error}")
                found[f"{path.stem}/{strategy}/{seed}"] = digest(result.events)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write the digests to this JSON file")
    group.add_argument("--check", type=Path, help="compare with digests saved earlier")
    args = parser.parse_args()
    now = digests()
    if args.save is not None:
        args.save.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"{len(now)} digests written to {args.save}")
        return 0
    before = json.loads(args.check.read_text())
    changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for key in changed:
        print(f"changed: {key}")
    print(f"{len(now) - len(changed)} of {len(now)} logs identical")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
