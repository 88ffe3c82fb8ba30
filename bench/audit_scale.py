"""Audit cost against program size: it must grow linearly (prints seconds per 1,000 entries).

Usage: python bench/audit_scale.py [ENTRIES ...]; programs of ENTRIES exercise entries spread
over 12 weeks, half ordinary and half eccentric-only work, audited once each after a warm-up.
"""

from __future__ import annotations

import sys
import time

from negatives.engine.audit.audit import audit
from negatives.engine.infer.workspace import open_workspace
from negatives.engine.load.yamlio import dump, parse_text
from negatives.engine.model.program import program_from_doc

EXERCISES = ["back squat", "barbell bench press", "barbell row", "overhead press"]


def program(entries: int, weeks: int = 12) -> str:
    per_week = max(1, entries // weeks)
    days = [{"day": f"d{d}", "exercises": [
        {"exercise": EXERCISES[i % 4], "sets": 3, "reps": 5,
         **({"method": "eccentric-only"} if i % 2 else {})} for i in range(8)]}
        for d in range(max(1, per_week // 8))]
    return dump({"units": "kg", "weeks": [{"week": w + 1, "days": days} for w in range(weeks)]})


def main(sizes: list[int]) -> None:
    ws = open_workspace("audit")
    for n in sizes or [240, 480, 960, 1920]:
        prog = program_from_doc(parse_text(program(n), "bench.yaml"), ws.kb)
        audit(prog, ws)  # warm-up
        start = time.perf_counter()
        found = audit(prog, ws)
        took = time.perf_counter() - start
        print(f"{len(prog.entries):6d} entries: {took:7.3f} s, "
              f"{took / len(prog.entries) * 1000:6.2f} s per 1,000 entries, "
              f"{len(found)} findings", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]])
