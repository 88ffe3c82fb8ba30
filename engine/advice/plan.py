"""Turn recommended candidates into plans: what to do, sets x reps, weekly percent and load."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from negatives.engine.infer.resolve import Decision, Prescription, Resolution
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.knowledge import Knowledge


@dataclass(frozen=True)
class Week:
    week: int
    percent_1rm: float | None
    load: float | None
    exact_load: float | None
    units: str


@dataclass(frozen=True)
class Plan:
    method: str
    target_lift: str | None
    pairing: str | None
    exercise: str | None
    sets: int | None
    reps: int | None
    reps_min: int | None
    tempo: dict[str, float] | None
    weeks: tuple[Week, ...]
    load_basis: str | None
    one_rep_max: float | None
    rules: tuple[str, ...]
    notes: tuple[str, ...]


def round_to(value: Decimal, step: float) -> Decimal:
    if step <= 0:
        return value
    unit = Decimal(str(step))
    return (value / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _param(rx: dict[str, Prescription], name: str) -> float | None:
    return _num(rx[name].value) if name in rx else None


def _int(value: float | None) -> int | None:
    return int(value) if value is not None else None


def _weeks(kb: Knowledge, athlete: Athlete, exercise: str | None, percents: list[tuple[int, float]]
           ) -> tuple[tuple[Week, ...], float | None]:
    one_rm = athlete.one_rep_max.get(exercise) if exercise else None
    known = kb.exercise(exercise) if exercise else None
    step = kb.rounding_step(athlete.units, known.equipment if known else ())
    weeks = []
    for week, pct in percents:
        exact = load = None
        if one_rm is not None:
            raw = Decimal(str(one_rm)) * Decimal(str(pct)) / Decimal(100)
            exact = float(raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
            load = float(round_to(raw, step))
        weeks.append(Week(week, pct, load, exact, athlete.units))
    return tuple(weeks), one_rm


def _candidates(res: Resolution, method: str) -> list[Decision]:
    verdict = res.methods[method]
    if verdict.status != "recommended" or verdict.winner is None:
        return []
    seen: set[tuple[str | None, str | None, str | None]] = set()
    out = []
    for d in [verdict.winner, *verdict.supporting]:
        key = (d.pairing, d.exercise, d.lift)
        if d.status == "recommended" and key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _rank(kb: Knowledge, athlete: Athlete, stalled: set[str], d: Decision) -> tuple[Any, ...]:
    """Stalled lifts first, the lift itself, a known 1RM, shared muscles, compound, file order."""
    pairing = kb.pairings.get(d.pairing) if d.pairing else None
    basis = pairing.eccentric if pairing else d.exercise
    exercise = kb.exercise(basis) if basis else None
    lift = kb.lifts.get(d.lift) if d.lift else None
    shared = len(set(exercise.muscles) & set(lift.muscles)) if exercise and lift else 0
    order = list(kb.pairings).index(d.pairing) if d.pairing else \
        list(kb.exercises).index(exercise.name) if exercise else 0
    lifts = [g.name for g in athlete.lifts]
    itself = exercise is not None and d.lift is not None and kb.exercise(d.lift) == exercise
    return (d.lift not in stalled, not itself, basis not in athlete.one_rep_max, -shared,
            not (exercise.compound if exercise else True), order,
            lifts.index(d.lift) if d.lift in lifts else 0)


def plans(res: Resolution, kb: Knowledge, athlete: Athlete, stalled: set[str]) -> list[Plan]:
    out: list[Plan] = []
    for method in kb.methods:
        ranked = sorted(_candidates(res, method), key=lambda d: _rank(kb, athlete, stalled, d))
        rx = res.prescriptions.get(method, {})
        if method == "accentuated-eccentric":
            limit = int(kb.methods[method].number("pairings_per_block"))
            out += [_ael(kb, athlete, rx, d) for d in ranked[:limit]]
        else:
            per_lift: dict[str | None, Decision] = {}
            for d in ranked:
                per_lift.setdefault(d.lift, d)
            out += [_other(kb, athlete, rx, method, d) for d in per_lift.values()]
    return out


def _rules(d: Decision, rx: dict[str, Prescription]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([d.rule, *(p.rule for p in rx.values())]))


def _ael(kb: Knowledge, athlete: Athlete, rx: dict[str, Prescription], d: Decision) -> Plan:
    method = kb.methods["accentuated-eccentric"]
    pairing = kb.pairings[d.pairing] if d.pairing else None
    start = _param(rx, "start_percent_1rm") or 0.0
    step = _param(rx, "weekly_increase_percent_1rm") or 0.0
    total = int(method.number("weeks"))
    first = min(athlete.ae_weeks_done + 1, total)
    percents = [(w, start + (w - 1) * step) for w in range(first, total + 1)]
    basis = pairing.eccentric if pairing else None
    weeks, one_rm = _weeks(kb, athlete, basis, percents)
    notes = []
    if one_rm is None and basis:
        notes.append(f"Find your concentric 1RM of the {basis} first: the load is a percentage "
                     "of it (the lowering movement), not of the lifting one.")
    return Plan(method.id, d.lift, d.pairing, None, _int(_param(rx, "sets")),
                _int(_param(rx, "reps")), None, None, weeks, basis, one_rm, _rules(d, rx),
                tuple(notes))


def _other(kb: Knowledge, athlete: Athlete, rx: dict[str, Prescription], method: str,
           d: Decision) -> Plan:
    tempo = None
    if method == "slow-eccentric":
        names: tuple[str, ...] = ("concentric_seconds", "eccentric_seconds",
                                  "bottom_pause_seconds")
        tempo = {k: _num(rx[k].value) for k in names if k in rx}
    weeks: tuple[Week, ...] = ()
    one_rm = None
    notes = []
    pct = _param(rx, "percent_1rm")
    if pct is not None:
        weeks, one_rm = _weeks(kb, athlete, d.exercise, [(1, pct)])
        if one_rm is None and d.exercise:
            notes.append(f"Find your 1RM of the {d.exercise} to turn the percentage into a load.")
    reps = _param(rx, "reps_max") or _param(rx, "reps")
    return Plan(method, d.lift, d.pairing, d.exercise, _int(_param(rx, "sets")), _int(reps),
                _int(_param(rx, "reps_min")), tempo, weeks, d.exercise if pct else None, one_rm,
                _rules(d, rx), tuple(notes))
