"""Turn recommended candidates into plans: what, when, sets x reps, weekly percent and load."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from negatives.engine.advice.loads import NO_LOAD_FITS, Target, exact, plan_loads, round_to
from negatives.engine.infer.resolve import Decision, Prescription, Resolution
from negatives.engine.load.records import record
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.knowledge import Knowledge

__all__ = ["Plan", "Week", "plans", "round_to"]

AEL = "accentuated-eccentric"
NOW = "now"


@record
class Week:
    week: int  # week of the training cycle
    percent_1rm: float | None  # the percent the rules prescribe
    load: float | None  # what to load (an equipment step), None without a 1RM or a fit
    exact_load: float | None
    units: str
    percent_lifted: float | None = None  # the percent of 1RM `load` really is
    load_convention: str | None = None  # id in knowledge/loads.yaml
    rounding_note: str | None = None  # id in knowledge/loads.yaml, when a step vanished


@record
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
    when: str = NOW  # now | next-cycle
    days_per_week: int | None = None  # days a week, the same days for every method
    cycle_weeks: tuple[int, ...] = ()  # the weeks of the cycle with this work (loads or not)

    def week(self, number: int) -> Week:
        """The week's load, or a week without one (slow eccentrics have no load)."""
        found = [w for w in self.weeks if w.week == number]
        return found[0] if found else Week(number, None, None, None, "")


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _param(rx: dict[str, Prescription], name: str) -> float | None:
    return _num(rx[name].value) if name in rx else None


def _int(value: float | None) -> int | None:
    return int(value) if value is not None else None


def _pct(value: Decimal | float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _weeks(kb: Knowledge, athlete: Athlete, exercise: str | None, cycle_weeks: list[int],
           targets: list[Target], load_cap: float | None = None
           ) -> tuple[tuple[Week, ...], float | None]:
    one_rm = athlete.one_rep_max.get(exercise) if exercise else None
    known = kb.exercise(exercise) if exercise else None
    convention = kb.convention(known) if known else None
    conv = convention.id if convention else None
    if one_rm is None or not one_rm:
        return tuple(Week(w, t.percent, None, None, athlete.units, None, conv)
                     for w, t in zip(cycle_weeks, targets, strict=True)), one_rm
    step = kb.rounding_step(athlete.units, known.equipment if known else ())
    loads = plan_loads(one_rm, targets, step, load_cap)
    fits = all(x.load is not None for x in loads)
    out = []
    for w, t, x in zip(cycle_weeks, targets, loads, strict=True):
        raw = _pct(exact(one_rm, t.percent))
        if fits:
            out.append(Week(w, t.percent, x.load, raw, athlete.units, x.percent_lifted, conv,
                            x.note))
        else:  # no equipment step fits every week: the plan keeps the percentages
            out.append(Week(w, t.percent, None, raw, athlete.units, None, conv, NO_LOAD_FITS))
    return tuple(out), one_rm


def _candidates(res: Resolution, method: str) -> list[Decision]:
    verdict = res.methods[method]
    if verdict.status != "recommended" or verdict.winner is None:
        return []
    seen: set[tuple[str | None, str | None, str | None]] = set()
    out = []
    for d in [verdict.winner, *verdict.supporting]:
        key = (d.pairing, d.exercise, d.lift)
        live = res.candidates.get(method, {}).get(str(d.pairing or d.exercise))
        if d.status == "recommended" and key not in seen and (
                live is None or live.status == "recommended"):
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
    files = kb.file_order()
    order = files["pairings"][d.pairing] if d.pairing else \
        files["exercises"][exercise.name] if exercise else 0
    lifts = [g.name for g in athlete.lifts]
    itself = exercise is not None and d.lift is not None and kb.exercise(d.lift) is exercise
    return (d.lift not in stalled, not itself, basis not in athlete.one_rep_max, -shared,
            not (exercise.compound if exercise else True), order,
            lifts.index(d.lift) if d.lift in lifts else 0)


def plans(res: Resolution, kb: Knowledge, athlete: Athlete, stalled: set[str],
          timing: dict[str, str] | None = None) -> list[Plan]:
    """`timing`: lift -> when its accentuated-eccentric block runs (the `ael-planned` facts)."""
    out: list[Plan] = []
    for method in kb.methods:
        ranked = sorted(_candidates(res, method), key=lambda d: _rank(kb, athlete, stalled, d))
        rx = res.prescriptions.get(method, {})
        if method == AEL:
            limit = int(kb.methods[method].number("pairings_per_block"))
            when = timing or {}
            out += [_ael(kb, athlete, rx, d, when.get(str(d.lift), NOW))
                    for d in ranked[:limit]]
        else:
            per_lift: dict[str | None, Decision] = {}
            for d in ranked:
                per_lift.setdefault(d.lift, d)
            out += [_other(kb, athlete, rx, method, d) for d in per_lift.values()]
    return out


def _rules(d: Decision, rx: dict[str, Prescription]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([d.rule, *(p.rule for p in rx.values())]))


def _days(rx: dict[str, Prescription], own: float | None) -> int | None:
    cap = _param(rx, "max_negative_days")
    days = [v for v in (own, cap) if v is not None]
    return int(min(days)) if days else None


def _ael(kb: Knowledge, athlete: Athlete, rx: dict[str, Prescription], d: Decision,
         when: str) -> Plan:
    method = kb.methods[AEL]
    pairing = kb.pairings[d.pairing] if d.pairing else None
    start = _param(rx, "start_percent_1rm") or 0.0
    step = _param(rx, "weekly_increase_percent_1rm") or 0.0
    total = int(method.number("weeks"))
    window = int(method.number("cycle_start_weeks"))
    tolerance = method.number("start_percent_tolerance")
    if when == NOW:  # a block under way continues; a new one starts in cycle week 1
        done = min(athlete.ae_weeks_done, total - 1)
        first_cycle_week = athlete.cycle_week
    else:  # the next cycle: a fresh block from its first week
        done, first_cycle_week = 0, 1
    count = max(min(total - done, window - first_cycle_week + 1), 1)
    block_weeks = range(done + 1, done + count + 1)
    targets = [Target(_pct(Decimal(str(start)) + (b - 1) * Decimal(str(step))), None,
                      tolerance if b == 1 else None, tolerance) for b in block_weeks]
    basis = pairing.eccentric if pairing else None
    cap = athlete.one_rep_max.get(pairing.concentric) if pairing else None
    cycle_weeks = [first_cycle_week + i for i in range(count)]
    weeks, one_rm = _weeks(kb, athlete, basis, cycle_weeks, targets, cap)
    notes = []
    if one_rm is None and basis:
        notes.append(f"Find your concentric 1RM of the {basis} first: the load is a percentage "
                     "of it (the lowering movement), not of the lifting one.")
    return Plan(method.id, d.lift, d.pairing, None, _int(_param(rx, "sets")),
                _int(_param(rx, "reps")), None, None, weeks, basis, one_rm, _rules(d, rx),
                tuple(notes), when, _days(rx, method.number("days_per_week")),
                tuple(cycle_weeks))


def _build_up(rx: dict[str, Prescription], kb: Knowledge, method: str) -> list[Target]:
    """Eccentric-only reps rise evenly from the build-up start to the prescribed percent, never
    above it nor above the method's own percent_1rm (the audit's ceiling)."""
    pct = _param(rx, "percent_1rm")
    if pct is None:
        return []
    ceiling = min(pct, kb.methods[method].number("percent_1rm"))
    count = int(_param(rx, "weeks") or 1)
    start = min(_param(rx, "build_up_start_percent_1rm") or ceiling, ceiling)
    rise = Decimal(str(ceiling)) - Decimal(str(start))
    out = []
    for i in range(count):
        share = rise * i / (count - 1) if count > 1 else rise
        value = (Decimal(str(start)) + share).quantize(Decimal("0.01"), rounding="ROUND_FLOOR")
        out.append(Target(float(value), ceiling))
    return out


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
    targets = _build_up(rx, kb, method)
    count = len(targets) or int(_param(rx, "weeks") or 0)
    cycle_weeks = [athlete.cycle_week + i for i in range(count)]
    if targets:
        weeks, one_rm = _weeks(kb, athlete, d.exercise, cycle_weeks, targets)
        if one_rm is None and d.exercise:
            notes.append(f"Find your 1RM of the {d.exercise} to turn the percentage into a load.")
    reps = _param(rx, "reps_max") or _param(rx, "reps")
    return Plan(method, d.lift, d.pairing, d.exercise, _int(_param(rx, "sets")), _int(reps),
                _int(_param(rx, "reps_min")), tempo, weeks, d.exercise if targets else None,
                one_rm, _rules(d, rx), tuple(notes), NOW,
                _days(rx, _param(rx, "days_per_week")), tuple(cycle_weeks))
