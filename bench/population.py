"""The seeded athlete population the benchmarks and the peer parity test share (one source).

`population(n, lifts, seed)` returns plain dicts in the athlete file format
(`engine/schemas/athlete.schema.json`): `parse_athlete(dump(a), "bench.yaml", kb)` accepts each.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "engine" / "schemas" / "athlete.schema.json"

# Exercises that get a concentric 1RM: the lowering exercise of every shipped pairing (the
# accentuated eccentric load is a percentage of it), plus a few variants of the big lifts
# (eccentric-only loads; the Romanian deadlift brings a deadlift-family exercise into the facts).
ONE_RM_EXERCISES: tuple[str, ...] = (
    "dumbbell close-grip chest press", "dumbbell chest flye", "dumbbell rear delt flye",
    "dumbbell reverse curl", "unilateral leg press", "unilateral lying leg curl",
    "unilateral smith machine hip thrust", "unilateral leg extension",
    "barbell bench press", "back squat", "lat pulldown", "romanian deadlift",
)

KG_PER_LB = 0.45359237


def equipment_names() -> list[str]:
    """Every equipment name the athlete schema accepts."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return list(schema["properties"]["equipment"]["items"]["enum"])


def _log(rnd: random.Random) -> list[dict[str, Any]]:
    """A weekly log of the best set: flat (a stall), rising, falling, or too short to judge."""
    weeks = rnd.randint(2, 8)
    start = rnd.randint(1, 4)
    base = rnd.randint(40, 180)
    trend = rnd.choice([0.0, 0.0, 1.0, 2.5, -2.5])
    out = []
    for i in range(weeks):
        load = base + trend * i + rnd.choice([0, 0, 0, 2.5, -2.5])
        out.append({"week": start + i, "load": max(load, 1.0), "reps": rnd.randint(1, 8)})
    return out


def _one_rm(rnd: random.Random, exercise: str, units: str) -> float | int:
    heavy = any(word in exercise for word in ("leg press", "squat", "deadlift", "hip thrust"))
    kg = rnd.randint(40, 250) if heavy else rnd.randint(8, 140)
    value = kg if units == "kg" else round(kg / KG_PER_LB)
    roll = rnd.random()
    if roll < 0.15:  # halves and odd decimals make rounding ties and Decimal edge cases common
        return value + 0.5
    if roll < 0.2:
        return round(value + rnd.choice([0.25, 0.75, 0.1, 0.3]), 2)
    return value


def population(n: int, lifts: list[str], seed: int = 7, *,
               exercises: Sequence[str] = ONE_RM_EXERCISES) -> list[dict[str, Any]]:
    """A seeded, varied population of `n` athletes over the given big `lifts`."""
    rnd = random.Random(seed)
    gear = equipment_names()
    out: list[dict[str, Any]] = []
    for i in range(n):
        units = rnd.choice(["kg", "lb"])
        athlete: dict[str, Any] = {
            "name": f"a{i}",
            "experience": rnd.choice(["novice", "intermediate", "advanced"]),
            "units": units,
            "recovery": rnd.choice(["well-rested", "normal", "fatigued"]),
            # Weeks 1-3 (the start of a cycle) are over-represented: that is where timing matters.
            "cycle_week": rnd.choice([1, 1, 2, 3]) if rnd.random() < 0.5 else rnd.randint(1, 12),
        }
        if rnd.random() < 0.9:  # left out: the default, no partner
            athlete["partner"] = rnd.random() < 0.5
        if rnd.random() < 0.25:  # otherwise a full gym is assumed
            athlete["equipment"] = rnd.sample(gear, rnd.randint(1, len(gear)))
        goals = []
        for name in rnd.sample(lifts, rnd.randint(1, min(3, len(lifts)))):
            goal: dict[str, Any] = {"name": name}
            roll = rnd.random()
            if roll < 0.5:
                goal["stalled"] = rnd.random() < 0.5
            elif roll < 0.85:
                goal["log"] = _log(rnd)
            goals.append(goal)
        athlete["lifts"] = goals
        maxes = {e: _one_rm(rnd, e, units) for e in exercises if rnd.random() < 0.6}
        if maxes:
            athlete["one_rep_max"] = maxes
        if rnd.random() < 0.9:  # left out: the default, 0
            athlete["accentuated_eccentric_weeks_done"] = rnd.randint(0, 4)
        out.append(athlete)
    return out
