"""Turn a program (and optionally an athlete) into the facts the audit rules match.

Counting, ranking and consecutive runs are computed here; every threshold stays in YAML and is
compared inside the rules.
"""

from __future__ import annotations

import bisect
from typing import Any

from negatives.engine.model.athlete import Athlete
from negatives.engine.model.facts import Fact, athlete_facts, knowledge_facts
from negatives.engine.model.knowledge import Knowledge
from negatives.engine.model.program import Entry, Program, is_accessory, volume
from negatives.engine.model.units import convert, show

NEGATIVE_METHODS = ("accentuated-eccentric", "eccentric-only", "slow-eccentric",
                    "forced-negatives")
AEL = "accentuated-eccentric"


def _tempo(raw: dict[str, Any]) -> dict[str, float]:
    if "tempo" not in raw:
        return {}
    down, bottom, up, top = (float(x) for x in str(raw["tempo"]).split("-"))
    return {"tempo_eccentric_s": down, "tempo_bottom_pause_s": bottom, "tempo_concentric_s": up,
            "tempo_top_pause_s": top}


def _percent(e: Entry, athlete: Athlete | None, kb: Knowledge,
             units: str) -> tuple[float | None, str]:
    """Percent of the athlete's 1RM, and a note when the load was converted to their units."""
    if "percent_1rm" in e.raw:
        return float(e.raw["percent_1rm"]), ""
    basis = e.eccentric if e.method == AEL else e.exercise
    if "load" in e.raw and athlete and basis in athlete.one_rep_max:
        load = float(e.raw["load"])
        theirs = convert(load, units, athlete.units, kb)
        note = "" if units == athlete.units else (
            f" ({show(load)} {units} = {show(theirs)} {athlete.units}, of a "
            f"{show(athlete.one_rep_max[basis])} {athlete.units} 1RM)")
        return round(theirs / athlete.one_rep_max[basis] * 100, 2), note
    return None, ""


def _ael_runs(program: Program, done: int = 0, now: int | None = None) -> dict[int, int]:
    """Week -> its position (1-based) in a run of consecutive weeks with accentuated eccentrics.

    `done` is the athlete's accentuated_eccentric_weeks_done, just before cycle week `now`: a run
    in week `now` (without an athlete, the program's first week) continues that block, so its
    weeks count on from there.
    """
    weeks = sorted({e.week for e in program.entries if e.method == AEL})
    first = now if now is not None else min((e.week for e in program.entries), default=0)
    runs: dict[int, int] = {}
    for w in weeks:
        runs[w] = runs.get(w - 1, done if w == first else 0) + 1
    return runs


# Entry keys whose names the audit resolves through the knowledge base before they become fields.
RESOLVED = frozenset({"exercise", "eccentric"})


def entry_fact(e: Entry, kb: Knowledge, athlete: Athlete | None, runs: dict[int, int],
               followed: bool, step: float | None, units: str) -> Fact:
    fact: Fact = {"type": "entry", "ref": e.ref, "week": e.week, "day": e.day,
                  "day_key": f"{e.week}:{e.day_index}",
                  "position": e.position, "exercise": e.exercise or e.raw["exercise"],
                  "known": e.exercise is not None, "sets": e.raw["sets"], "reps": e.raw["reps"],
                  "accessory": is_accessory(e, kb), "followed_by_other": followed}
    # Every other key the vocabulary declares for an entry goes into the fact as written (the
    # exercise names are resolved above and in _pairing_fields; `match: false` keys only feed
    # derived fields), so a key added to knowledge/facts.yaml reaches the rules.
    spec = kb.facts.get("entry")
    given = spec.as_written(e.raw, RESOLVED) if spec else {}
    fact.update((k, v) for k, v in given.items() if k not in fact)
    if "forced_reps" in e.raw:
        fact["own_reps"] = int(e.raw["reps"]) - int(e.raw["forced_reps"])
    pct, note = _percent(e, athlete, kb, units)
    if pct is not None:
        fact["percent"] = pct
    fact["percent_note"] = note  # says so when a load was converted to the athlete's units
    if e.suggestion:
        fact["suggestion"] = e.suggestion
    fact["hint"] = f" (did you mean '{e.suggestion}'?)" if e.suggestion else ""
    fact.update(_tempo(e.raw))
    known = kb.exercise(e.exercise) if e.exercise else None
    if known:
        fact.update(laterality=known.laterality, spottable=known.spottable,
                    compound=known.compound, partner_liftable=known.partner_liftable)
    family = kb.family_of(e.exercise or str(e.raw["exercise"]))  # known, or by its words
    if family:
        fact["family"] = family
    if e.method == AEL:
        fact["run_week"] = runs.get(e.week, 0)
        fact.update(_pairing_fields(e, kb))
        if step is not None:
            fact["percent_step"] = step
        if pct is not None and AEL in kb.methods:
            start = kb.methods[AEL].number("start_percent_1rm")
            fact["start_offset"] = round(abs(pct - start), 2)
        lifting = _concentric_percent(e, athlete, pct, kb, units)
        if lifting is not None:
            fact["concentric_percent"] = lifting
    return fact


def _concentric_percent(e: Entry, athlete: Athlete | None, pct: float | None, kb: Knowledge,
                        units: str) -> float | None:
    """The AEL load as a percent of the lifting exercise's 1RM (it has to be lifted first)."""
    if athlete is None or pct is None or e.exercise is None or e.eccentric is None:
        return None
    up, down = athlete.one_rep_max.get(e.exercise), athlete.one_rep_max.get(e.eccentric)
    if not up or not down:
        return None
    if "load" in e.raw and "percent_1rm" not in e.raw:
        return round(convert(float(e.raw["load"]), units, athlete.units, kb) / up * 100, 2)
    return round(down * pct / up, 2)


def _pairing_fields(e: Entry, kb: Knowledge) -> Fact:
    out: Fact = {"eccentric": e.eccentric or str(e.raw.get("eccentric", "")),
                 "eccentric_known": e.eccentric is not None}
    if e.eccentric_suggestion:
        out["eccentric_suggestion"] = e.eccentric_suggestion
    out["eccentric_hint"] = (f" (did you mean '{e.eccentric_suggestion}'?)"
                             if e.eccentric_suggestion else "")
    ecc = kb.exercise(e.eccentric) if e.eccentric else None
    family = kb.family_of(e.eccentric or str(e.raw.get("eccentric", "")))
    if family:
        out["eccentric_family"] = family
    out["pairing_known"] = any(p.concentric == e.exercise and p.eccentric == e.eccentric
                               for p in kb.pairings.values())
    out["unilateral_variant"] = bool(ecc and ecc.unilateral_of and ecc.unilateral_of == e.exercise)
    out["same_movement"] = e.exercise is not None and e.exercise == e.eccentric
    return out


def _steps(program: Program, athlete: Athlete | None) -> dict[str, float]:
    """Percent change of each AEL entry against the same pairing in the previous week.

    Only written percentages count: loads rounded to a plate or dumbbell step cannot show the
    weekly step exactly.
    """
    by_key: dict[tuple[int, str | None, str | None], float] = {}
    for e in program.entries:
        pct = float(e.raw["percent_1rm"]) if "percent_1rm" in e.raw else None
        if e.method == AEL and pct is not None:
            by_key.setdefault((e.week, e.exercise, e.eccentric), pct)
    out = {}
    for e in program.entries:
        pct = float(e.raw["percent_1rm"]) if "percent_1rm" in e.raw else None
        before = by_key.get((e.week - 1, e.exercise, e.eccentric))
        if e.method == AEL and pct is not None and before is not None:
            out[f"{e.week}:{e.ref}"] = round(pct - before, 2)
    return out


def program_facts(program: Program, kb: Knowledge, athlete: Athlete | None) -> list[Fact]:
    runs = _ael_runs(program, athlete.ae_weeks_done if athlete else 0,
                     athlete.cycle_week if athlete else None)
    steps = _steps(program, athlete)
    facts: list[Fact] = [{"type": "program", "name": program.name, "units": program.units,
                          "weeks": len(program.weeks)}]
    days: dict[tuple[int, int], list[Entry]] = {}
    for e in program.entries:
        days.setdefault((e.week, e.day_index), []).append(e)
    for entries in days.values():
        # ordinary exercises after position i, counted from the end: linear in the day
        later = [0] * (len(entries) + 1)
        for i in range(len(entries) - 1, -1, -1):
            later[i] = later[i + 1] + (not entries[i].method)
        for i, e in enumerate(entries):
            followed = later[i + 1] > 0
            facts.append(entry_fact(e, kb, athlete, runs, followed,
                                    steps.get(f"{e.week}:{e.ref}"), program.units))
    facts += _day_facts(days, kb)
    facts += _week_facts(program, days, runs)
    if athlete:
        facts += [f for f in athlete_facts(athlete, kb) if f["type"] == "athlete"]
    facts += [f for f in knowledge_facts(kb, set()) if f["type"] in ("method", "setting")]
    return facts


def _day_facts(days: dict[tuple[int, int], list[Entry]], kb: Knowledge) -> list[Fact]:
    out = []
    volumes = {key: volume(v) for key, v in days.items()}
    by_week: dict[int, list[int]] = {}
    for (week, _), v in volumes.items():
        by_week.setdefault(week, []).append(v)
    ranks = {week: sorted(v) for week, v in by_week.items()}
    for (week, index), entries in days.items():
        mine = volumes[(week, index)]
        ael = [e for e in entries if e.method == AEL]
        # Rank = 1 + days strictly lighter: with 20, 20, 25, 30 the 30 day ranks 4th.
        out.append({"type": "day", "week": week, "day": entries[0].day,
                    "key": f"{week}:{entries[0].day_index}",
                    "ref": (ael[0] if ael else entries[0]).ref, "volume": mine,
                    "volume_rank": 1 + bisect.bisect_left(ranks[week], mine),
                    "has_ael": bool(ael),
                    "accessory_count": sum(is_accessory(e, kb) for e in entries)})
    return out


def _week_facts(program: Program, days: dict[tuple[int, int], list[Entry]],
                runs: dict[int, int]) -> list[Fact]:
    out = []
    by_week: dict[int, list[list[Entry]]] = {}
    for (w, _), v in days.items():
        by_week.setdefault(w, []).append(v)
    for week in program.weeks:
        mine = by_week.get(week, [])
        ael = [e for v in mine for e in v if e.method == AEL]
        fact: Fact = {
            "type": "week", "week": week,
            "ref": ael[0].ref if ael else program.week_refs[week][0],
            "ael_days": sum(any(e.method == AEL for e in v) for v in mine),
            "negative_days": sum(any(e.method in NEGATIVE_METHODS for e in v) for v in mine),
            "ael_pairings": len({(e.exercise, e.eccentric) for e in ael}),
        }
        if week in runs:
            fact["run_week"] = runs[week]
        out.append(fact)
    return out
