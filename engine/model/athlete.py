"""Read an athlete file: validate it, resolve names through the knowledge base, derive stalls."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Any

from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError
from negatives.engine.load.records import record
from negatives.engine.load.validate import check
from negatives.engine.load.yamlio import Document, load, parse_text, to_plain
from negatives.engine.model.knowledge import Knowledge


@record
class LiftGoal:
    name: str
    stalled: bool | None
    progress_percent: float | None
    weeks_logged: int
    log_too_short: bool = False  # a log without a week before the stall window
    keys: tuple[tuple[str, Any], ...] = ()  # other keys of its `lifts:` item (facts.yaml)


@record
class Athlete:
    name: str
    experience: str
    units: str
    recovery: str
    cycle_week: int
    partner: bool
    equipment: tuple[str, ...] | None
    lifts: tuple[LiftGoal, ...]
    one_rep_max: dict[str, float]
    ae_weeks_done: int
    file: str
    # Every athlete field of the vocabulary (knowledge/facts.yaml) given or defaulted, and the
    # input lists (e.g. injuries) resolved to canonical names.
    fields: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)


def load_athlete(path: Path, kb: Knowledge, display: str | None = None) -> Athlete:
    return athlete_from_doc(load(path, display), kb)


def parse_athlete(text: str, file: str, kb: Knowledge) -> Athlete:
    return athlete_from_doc(parse_text(text, file), kb)


def athlete_from_doc(doc: Document, kb: Knowledge) -> Athlete:
    if not isinstance(doc.data, dict):
        raise InputError([*doc.problems, doc.diagnostic(
            (), "an athlete file is a mapping of fields (name, experience, units, ...), not a "
                "list or value", "schema")])
    plain = to_plain(doc.data)
    problems = check(doc, "athlete", plain, kb.athlete_schema())
    lifts = []
    seen: dict[str, int] = {}
    entries = plain.get("lifts") if isinstance(plain.get("lifts"), list) else []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue  # the schema check reports it
        lift = kb.lift(entry["name"])
        if lift is None:
            problems.append(doc.diagnostic(("lifts", i, "name"),
                                           kb.unknown("lifts", entry["name"], browse=True),
                                           "unknown"))
            continue
        if lift.name in seen:
            problems.append(doc.diagnostic(("lifts", i, "name"), f"lift '{lift.name}' is listed "
                                           f"twice (also lifts[{seen[lift.name]}])", "duplicate"))
        seen[lift.name] = i
        if not problems:
            log = entry.get("log", [])
            progress, weeks = _progress(log, kb)
            lifts.append(LiftGoal(lift.name, entry.get("stalled"), progress, weeks,
                                  bool(log) and progress is None, _lift_keys(entry, kb)))
    maxes: dict[str, float] = {}
    given: dict[str, str] = {}
    raw_maxes = plain.get("one_rep_max")
    for name, value in (raw_maxes.items() if isinstance(raw_maxes, dict) else []):
        exercise = kb.exercise(name)
        if exercise is None:
            problems.append(doc.diagnostic(("one_rep_max", name),
                                           kb.unknown("exercises", name, browse=True),
                                           "unknown"))
        elif exercise.name in given:
            problems.append(doc.diagnostic(("one_rep_max", name), f"'{name}' is "
                                           f"{exercise.name}, already given as "
                                           f"'{given[exercise.name]}'", "duplicate"))
        else:
            given[exercise.name] = name
            if isinstance(value, (int, float)):
                maxes[exercise.name] = float(value) / _share(kb, exercise.name, plain)
    fields, lists = _vocabulary_fields(doc, plain, kb, problems)
    if problems:
        raise InputError(problems)
    equipment = plain.get("equipment")
    return Athlete(
        name=plain.get("name", Path(doc.file).stem), experience=plain["experience"],
        units=plain["units"], recovery=plain["recovery"], cycle_week=plain["cycle_week"],
        partner=plain.get("partner", False),
        equipment=tuple(equipment) if equipment is not None else None,
        lifts=tuple(lifts), one_rep_max=maxes,
        ae_weeks_done=plain.get("accentuated_eccentric_weeks_done", 0), file=doc.file,
        fields=fields, lists=lists)


def _vocabulary_fields(doc: Document, plain: dict[str, Any], kb: Knowledge,
                       problems: list[Diagnostic]) -> tuple[dict[str, Any],
                                                          dict[str, tuple[str, ...]]]:
    """The athlete fields the vocabulary declares as input, names resolved through knowledge."""
    spec = kb.facts.get("athlete")
    fields: dict[str, Any] = {}
    lists: dict[str, tuple[str, ...]] = {}
    for name, f in (spec.fields.items() if spec else []):
        if f.input is None or (name not in plain and f.default is None):
            continue
        raw = plain.get(name, f.default)
        if f.input == "list":
            items = raw if isinstance(raw, list) else []
            found = []
            for i, item in enumerate(items):
                canonical = kb.resolve(f.names, str(item)) if f.names else str(item)
                if canonical is None and f.names:
                    problems.append(doc.diagnostic((name, i), kb.unknown(f.names, str(item)),
                                                   "unknown"))
                elif canonical not in found:
                    found.append(str(canonical))
            lists[name] = tuple(found)
            continue
        if f.names and isinstance(raw, str):
            canonical = kb.resolve(f.names, raw)
            if canonical is None:
                problems.append(doc.diagnostic((name,), kb.unknown(f.names, raw), "unknown"))
            raw = canonical or raw
        fields[name] = raw
    return fields, lists


def _share(kb: Knowledge, name: str, plain: dict[str, Any]) -> float:
    """2 when the file gives a two-dumbbell exercise's 1RM for both dumbbells: loads are per
    dumbbell (knowledge/loads.yaml)."""
    exercise = kb.exercise(name)
    convention = kb.convention(exercise) if exercise else None
    both = plain.get("dumbbell_one_rep_max") == "both-dumbbells"
    two_handed = exercise is not None and exercise.laterality == "bilateral"
    return 2.0 if both and two_handed and convention and convention.id == "per-dumbbell" else 1.0


def e1rm(load: float, reps: int, divisor: float) -> float:
    """Estimated 1RM of a set (Epley); a single counts as its load."""
    return load if reps <= 1 else load * (1 + reps / divisor)


# `lifts:` keys the athlete reader turns into fields itself (the name resolved, stalled as given).
LIFT_KEYS_READ = frozenset({"name", "stalled"})


def _lift_keys(entry: dict[str, Any], kb: Knowledge) -> tuple[tuple[str, Any], ...]:
    """The other keys the vocabulary declares for a `lifts:` item, as written."""
    spec = kb.facts.get("lift")
    return tuple(spec.as_written(entry, LIFT_KEYS_READ).items()) if spec else ()


def _progress(log: list[dict[str, Any]], kb: Knowledge) -> tuple[float | None, int]:
    """Progress (percent) of the best estimated 1RM over the stall window against the best
    before it; None when no logged week comes before the window (too short to judge)."""
    if not log:
        return None, 0
    window = int(kb.setting("stall_window_weeks"))
    divisor = kb.setting("e1rm_epley_reps_divisor")
    weeks = sorted({e["week"] for e in log})
    last = weeks[-1]
    recent = [e1rm(e["load"], e.get("reps", 1), divisor) for e in log
              if e["week"] > last - window]
    before = [e1rm(e["load"], e.get("reps", 1), divisor) for e in log
              if e["week"] <= last - window]
    if not before:
        return None, len(weeks)
    best_before = max(before)
    return round((max(recent) - best_before) / best_before * 100, 2), len(weeks)
