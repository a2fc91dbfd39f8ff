"""Sum the fuzz counts the test processes wrote (see ``conftest.py``) and print them;
exit 1 if fewer documents or payloads than required went through (``make fuzz``)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def main(folder: str, documents: int, payloads: int) -> int:
    total: Counter[str] = Counter()
    for path in Path(folder).glob("*.json"):
        total.update(json.loads(path.read_text()))
    print(
        f"fuzz: {total['documents']:,} documents through gameday validate "
        f"({total['runs']:,} valid scenarios ran a short run, {total['triage_runs']:,} "
        f"valid triage files ran gameday triage); {total['payloads']:,} payloads through "
        "the payload reader and gameday triage"
    )
    if total["documents"] < documents or total["payloads"] < payloads:
        print(f"fuzz: fewer than {documents:,} documents or {payloads:,} payloads", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
