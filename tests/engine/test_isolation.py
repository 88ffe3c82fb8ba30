"""Many evaluations in one process (10,000 in CI) match fresh processes, in flat memory."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from negatives.engine.advice.advise import advise
from negatives.engine.advice.render import to_json
from negatives.engine.infer.workspace import open_workspace
from negatives.engine.load.yamlio import dump
from negatives.engine.model.athlete import Athlete, load_athlete, parse_athlete
from tests.conftest import EXAMPLES, ROOT, budget

EVALUATIONS = budget(10_000, 500)
BASELINE_AT = budget(1_000, 150)  # memory is measured from here on, once every profile has run


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def fresh_process_json(path: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "negatives", "advise", str(path),
                           "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def generated(seed: int, kb_lifts: list[str]) -> dict[str, object]:
    rnd = random.Random(seed)
    return {
        "name": f"gen-{seed}",
        "experience": rnd.choice(["novice", "intermediate", "advanced"]),
        "units": rnd.choice(["kg", "lb"]),
        "recovery": rnd.choice(["well-rested", "normal", "fatigued"]),
        "cycle_week": rnd.randint(1, 8),
        "partner": rnd.random() < 0.5,
        "lifts": [{"name": n, "stalled": rnd.random() < 0.5}
                  for n in rnd.sample(kb_lifts, rnd.randint(1, 3))],
        "one_rep_max": {"dumbbell close-grip chest press": rnd.randint(10, 60),
                        "unilateral leg press": rnd.randint(50, 200)},
        "accentuated_eccentric_weeks_done": rnd.randint(0, 4),
    }


def test_ten_thousand_evaluations_match_fresh_processes() -> None:
    ws = open_workspace("advise")
    files = sorted(EXAMPLES.glob("*.yaml"))
    reference = {f.name: fresh_process_json(f.relative_to(ROOT)) for f in files}
    profiles: list[tuple[str, Athlete]] = [
        (f.name, load_athlete(f.relative_to(ROOT), ws.kb, str(f.relative_to(ROOT))))
        for f in files]
    lifts = sorted(ws.kb.lifts)
    for seed in range(40):
        profiles.append((f"gen-{seed}", parse_athlete(dump(generated(seed, lifts)),
                                                      f"gen-{seed}.yaml", ws.kb)))
    first: dict[tuple[str, str], str] = {}
    baseline = 0.0
    for i in range(EVALUATIONS):
        key, athlete = profiles[i % len(profiles)]
        # Every tenth round the full advice (against a fresh process for the examples), else the
        # brief one: both run the same sessions, and brief costs a third as much.
        detail = "full" if (i // len(profiles)) % 10 == 0 else "brief"
        out = to_json(advise(athlete, ws, detail))
        expected = (reference.get(key) if detail == "full" else None) or \
            first.setdefault((key, detail), out)
        assert out == expected, f"evaluation {i} ({key}, {detail}) differs from a fresh one"
        if i == BASELINE_AT:
            baseline = rss_mb()
    growth = rss_mb() - baseline
    assert growth < 5, (f"memory grew {growth:.1f} MB over {EVALUATIONS - BASELINE_AT} "
                        "evaluations")
