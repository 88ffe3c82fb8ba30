"""Measure durable_rules' combined limits: equality values plus range tests on one fact type.

Each point compiles one ruleset in a child process with a time budget (a hang is the finding),
and prints `eq gt: ok | error CODE | hang`. Usage: python bench/limits.py [EQ:GT ...]
The results are written down in engine/language/LIMITS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, sys
from negatives._durable import engine as d
eq, gt = int(sys.argv[1]), int(sys.argv[2])
class H(d.Host):
    def _run(self): pass
    def get_action(self, n): return lambda c: None
rules = {"_start": {"all": [{"m": {"type": "$start"}}], "pri": 0, "run": "r"}}
for i in range(eq):
    rules[f"e{i}"] = {"all": [{"a": {"$and": [{"type": "athlete"}, {"name": f"n{i}"}]}}],
                      "run": "r"}
for i in range(gt):
    rules[f"g{i}"] = {"all": [{"a": {"$and": [{"type": "athlete"},
                                               {"$gt": {"cycle_week": i}}]}}], "run": "r"}
h = H()
try:
    h.set_rulesets({"t": rules})
    h.assert_fact("t", {"type": "$start", "id": "s0", "sid": "s"})
    h.assert_fact("t", {"type": "athlete", "name": "n1", "cycle_week": 3, "id": "a", "sid": "s"})
    print("ok")
except Exception as err:
    print("error", str(err).rsplit(" ", 1)[-1])
"""

DEFAULT = ["400:48", "440:48", "452:48", "456:48", "460:48", "470:30", "480:20", "490:20",
           "500:10", "504:8", "480:32", "472:40"]


def measure(eq: int, gt: int, budget: float = 10.0) -> str:
    try:
        out = subprocess.run([sys.executable, "-c", CHILD, str(eq), str(gt)], capture_output=True,
                             text=True, timeout=budget)
    except subprocess.TimeoutExpired:
        return "hang"
    return out.stdout.strip() or f"crash (exit {out.returncode})"


def main(points: list[str]) -> None:
    results = {}
    for point in points or DEFAULT:
        eq, gt = map(int, point.split(":"))
        results[point] = measure(eq, gt)
        print(f"{eq:4d} eq + {gt:3d} gt = {eq + gt:4d}: {results[point]}", flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:])
