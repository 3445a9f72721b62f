"""Measure how long each test takes in a `make test` run and write tests/durations.json.

The test scheduler (tests/conftest.py) starts the longest groups of tests first by these figures, so that what
is left at the end of a run is short and both workers finish together. Run it (``make test-durations``) after
adding or slowing down a test, and commit the file: a test it does not list is assumed to take a few seconds
if it renders (``e2e``) and a fraction of one otherwise.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "tests" / "durations.json"
NBVAL = ["--nbval-lax", "--nbval-current-env", "--nbval-sanitize-with=tests/nbval_sanitize.cfg"]
LINE = re.compile(r"^(\d+\.\d+)s (?:setup|call|teardown) +(.+?)\s*$")


def main() -> int:
    command = [sys.executable, "-m", "pytest", "-n", "auto", "--dist", "loadgroup", "tests", "notebooks", *NBVAL,
               "--durations=0", "-vv", "-p", "no:randomly"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n", file=sys.stderr)
        print("The tests failed: durations not written.", file=sys.stderr)
        return 1
    seconds: dict[str, float] = {}
    for line in done.stdout.splitlines():
        if match := LINE.match(line):
            seconds[match[2]] = seconds.get(match[2], 0.0) + float(match[1])
    measured = {test: round(value, 2) for test, value in sorted(seconds.items()) if round(value, 2) > 0}
    TARGET.write_text(json.dumps(measured, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(measured)} tests, {sum(measured.values()):.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
