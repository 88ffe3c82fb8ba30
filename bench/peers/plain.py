"""The advise decisions written by hand in plain Python: if-statements over the knowledge base.

Every number (percentages, weeks, sets, reps, rounding steps, the stall threshold) is read from
the knowledge base, never written here. Rule ids appear only as the `why` labels of the
projection (bench/peers/projection.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from bench.peers.plain_loads import CENTS, cents, step_loads
from bench.peers.projection import Projection, Status, plan, projection, status, week
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.knowledge import Exercise, Knowledge

AEL = "accentuated-eccentric"
SLOW = "slow-eccentric"
ECCENTRIC_ONLY = "eccentric-only"
FORCED = "forced-negatives"
DEADLIFT = "deadlift"
RANK = {"blocked": 0, "not-now": 1, "allowed": 2, "recommended": 3}


@dataclass(frozen=True)
class Decision:
    """One rule's conclusion: a status for a method, or for one of its pairings or exercises."""

    method: str
    key: str | None
    lift: str | None
    status: str
    priority: int
    rule: str


def resolve(found: list[Decision]) -> Decision | None:
    """The lowest priority wins; at equal priority the most cautious status."""
    return min(found, key=lambda d: (d.priority, RANK[d.status])) if found else None


class Plain:
    """Built once per knowledge base; `project(athlete)` gives the projection."""

    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        self.ael = kb.methods[AEL]
        self.stall_max = kb.setting("stall_max_progress_percent")
        self.max_days = kb.setting("sparingly_max_negative_days")
        self.full_gym = {e for ex in kb.exercises.values() for e in ex.equipment}
        self.pairings = [p for p in kb.pairings.values() if p.method == AEL]
        self.pairing_order = {pid: i for i, pid in enumerate(kb.pairings)}
        self.exercise_order = {name: i for i, name in enumerate(kb.exercises)}
        self.in_pairings = {n for p in kb.pairings.values() for n in (p.concentric, p.eccentric)}
        self.family: dict[str, list[Exercise]] = {}
        for e in kb.exercises.values():
            if e.family:
                self.family.setdefault(e.family, []).append(e)
        self.steps = {units: {r.equipment: r.step for r in kb.rounding if r.units == units}
                      for units in {r.units for r in kb.rounding}}

    def exercise(self, name: str) -> Exercise:
        found = self.kb.exercise(name)
        assert found is not None
        return found

    def step(self, units: str, equipment: tuple[str, ...]) -> float:
        steps = self.steps.get(units, {})
        for item in equipment:
            if item in steps:
                return steps[item]
            if item.endswith("machine") and "machine" in steps:
                return steps["machine"]
        return steps.get("any", 0.0)

    def loads(self, a: Athlete, exercise: str, cycle_weeks: list[int],
              targets: list[tuple[float, float | None, float | None, float | None]],
              cap: float | None = None) -> tuple[list[list[Any]], float | None]:
        one_rm = a.one_rep_max.get(exercise)
        if not one_rm:
            return [week(w, t[0], None, None) for w, t in zip(cycle_weeks, targets,
                                                             strict=True)], one_rm
        step = self.step(a.units, self.exercise(exercise).equipment)
        loads = step_loads(one_rm, targets, step, cap)
        fits = all(x is not None for x in loads)
        return [week(w, t[0], x if fits else None,
                     cents(Decimal(str(one_rm)) * Decimal(str(t[0])) / 100))
                for w, t, x in zip(cycle_weeks, targets, loads, strict=True)], one_rm

    def rank(self, a: Athlete, stalled: list[str], lift: str | None, basis: str | None,
             order: int) -> tuple[Any, ...]:
        """Stalled lifts first, the lift itself, a known 1RM, shared muscles, compound, order."""
        ex = self.exercise(basis) if basis else None
        target = self.kb.lifts.get(lift) if lift else None
        shared = len(set(ex.muscles) & set(target.muscles)) if ex and target else 0
        itself = ex is not None and lift is not None and self.kb.exercise(lift) == ex
        lifts = [g.name for g in a.lifts]
        return (lift not in stalled, not itself, basis not in a.one_rep_max, -shared,
                not (ex.compound if ex else True), order,
                lifts.index(lift) if lift in lifts else 0)

    def decide(self, a: Athlete, stalled: list[str]) -> tuple[list[Decision], str | None]:
        """Every rule's decisions for the athlete, and when an accentuated-eccentric block
        would run (None without a good time for one)."""
        kb, ael = self.kb, self.ael
        fatigued = a.recovery == "fatigued"
        lifts = [g.name for g in a.lifts]
        gear = set(a.equipment) if a.equipment is not None else self.full_gym
        # The exercises negatives knows about for this athlete: the pairings', the 1RMs', and
        # the variants of the athlete's lifts.
        known = sorted(self.in_pairings | set(a.one_rep_max) | {
            e.name for lift in lifts for e in self.family.get(lift, [])})
        out: list[Decision] = []

        def d(method: str, key: str | None, lift: str | None, st: str, priority: int,
              rule: str) -> None:
            out.append(Decision(method, key, lift, st, priority, rule))

        # --- timing of accentuated eccentrics ------------------------------------------------
        window = ael.number("cycle_start_weeks")
        timing = set()
        if stalled:
            timing.add("stalled")
        if a.cycle_week == 1 and a.recovery == "well-rested":
            timing.add("cycle-start")
        if a.ae_weeks_done >= 1 and a.cycle_week <= window:
            timing.add("continuing")
        when = None
        if timing:
            fits_now = a.cycle_week == 1 or (a.ae_weeks_done >= 1 and a.cycle_week <= window)
            when = "now" if fits_now else "next-cycle"
        ael_open = (a.experience != "novice" and not fatigued
                    and a.ae_weeks_done < ael.number("weeks"))

        # --- safety and status of accentuated eccentrics -------------------------------------
        if a.experience == "novice":
            d(AEL, None, None, "blocked", 1, "ael-skip-novice")
        if a.ae_weeks_done >= ael.number("weeks"):
            d(AEL, None, None, "not-now", 2, "ael-three-weeks-max")
            d(ECCENTRIC_ONLY, None, None, "not-now", 4, "eo-not-after-ael-block")
        if fatigued:
            d(AEL, None, None, "not-now", 5, "ael-not-when-fatigued")
            for m in kb.methods:
                if m != AEL:
                    d(m, None, None, "not-now", 5, "negatives-not-when-fatigued")
        if not timing:
            d(AEL, None, None, "not-now", 30, "ael-wait-for-timing")

        # --- pairings -----------------------------------------------------------------------
        start = ael.number("start_percent_1rm")
        planned: set[str] = set()
        for p in self.pairings:
            sides = (self.exercise(p.concentric), self.exercise(p.eccentric))
            if any(e.family == DEADLIFT for e in sides):
                d(AEL, p.id, None, "blocked", 1, "ael-never-pair-deadlift")
            unavailable = False
            if any(g not in gear for e in sides for g in e.equipment):
                d(AEL, p.id, None, "blocked", 2, "ael-pairing-needs-equipment")
                unavailable = True
            up, down = a.one_rep_max.get(p.concentric), a.one_rep_max.get(p.eccentric)
            if up is not None and down and round(up / down * 100, 2) < start:
                d(AEL, p.id, None, "blocked", 2, "ael-lifting-side-too-weak")
                unavailable = True
            if not timing or not ael_open or unavailable:
                continue
            lowering = set(sides[1].muscles)
            for lift in lifts:
                if lowering & set(kb.lifts[lift].muscles) and (
                        lift in stalled or timing & {"cycle-start", "continuing"}):
                    d(AEL, p.id, lift, "recommended", 50, "ael-recommend")
                    if when == "now":
                        planned.add(lift)

        # --- exercises: slow eccentrics, eccentric-only reps, forced negatives ---------------
        for name in known:
            e = self.exercise(name)
            if e.family == DEADLIFT:
                for m in (ECCENTRIC_ONLY, FORCED):
                    d(m, name, None, "blocked", 1, "no-supramaximal-deadlift")
            if e.family and any(g not in gear for g in e.equipment):
                for m in (ECCENTRIC_ONLY, FORCED, SLOW):
                    d(m, name, None, "blocked", 2, "eo-exercise-needs-equipment")
            if not e.spottable and e.family in lifts:
                for m in (ECCENTRIC_ONLY, FORCED):
                    d(m, name, None, "blocked", 3, "eo-not-unspottable")
            if e.family in stalled and not e.partner_liftable and e.laterality == "bilateral":
                d(ECCENTRIC_ONLY, name, None, "blocked", 3, "eo-partner-cannot-lift")
            if e.family in planned and e.family in stalled:
                for m in (ECCENTRIC_ONLY, FORCED, SLOW):
                    d(m, name, e.family, "not-now", 4, "one-negative-method-per-lift")
            if e.family in stalled and e.spottable:
                if a.partner:
                    d(ECCENTRIC_ONLY, name, e.family, "recommended", 55, "eo-for-stalled-lift")
                else:
                    d(SLOW, name, e.family, "recommended", 55,
                      "slow-eccentric-plateau-without-partner")
        if not fatigued:
            d(SLOW, None, None, "allowed", 60, "slow-eccentric-allowed")
        for m, method in kb.methods.items():
            if method.needs_partner:
                if a.partner:
                    d(m, None, None, "allowed", 60, "eo-allowed-with-partner")
                else:
                    d(m, None, None, "allowed", 20, "eo-needs-partner-or-one-arm")
        return out, when

    def prescribe(self, a: Athlete, when: str | None) -> dict[str, dict[str, Any]]:
        kb = self.kb
        rx: dict[str, dict[str, Any]] = {m: {} for m in kb.methods}

        def take(method: str, *names: str) -> None:
            params = kb.methods[method].parameters
            rx[method].update({n: params[n].value for n in names})

        if when is not None:
            take(AEL, "start_percent_1rm", "weekly_increase_percent_1rm", "sets", "reps")
        if a.recovery == "fatigued":
            return rx
        take(SLOW, "concentric_seconds", "eccentric_seconds", "bottom_pause_seconds", "sets",
             "reps", "weeks", "days_per_week")
        take(ECCENTRIC_ONLY, "percent_1rm", "sets", "reps_min", "reps_max",
             "build_up_start_percent_1rm", "weeks", "days_per_week")
        take(FORCED, "reps_min", "reps_max")
        for m in kb.methods:
            rx[m]["max_negative_days"] = self.max_days
        return rx

    def project(self, a: Athlete) -> Projection:
        kb = self.kb
        stalled = [g.name for g in a.lifts if g.stalled is True or (
            g.stalled is None and g.progress_percent is not None
            and g.progress_percent <= self.stall_max)]
        found, when = self.decide(a, stalled)
        rx = self.prescribe(a, when)
        if a.experience == "novice":
            rx[ECCENTRIC_ONLY]["percent_1rm"] = \
                kb.methods[ECCENTRIC_ONLY].parameters["beginner_percent_1rm"].value

        methods: dict[str, Status] = {}
        candidates: dict[str, dict[str, Status]] = {m: {} for m in kb.methods}
        offers: dict[str, list[Decision]] = {}
        for m in kb.methods:
            keyed: dict[str, list[Decision]] = {}
            for x in found:
                if x.method == m and x.key is not None:
                    keyed.setdefault(x.key, []).append(x)
            for key, ds in keyed.items():
                won = resolve(ds)
                assert won is not None
                candidates[m][key] = status(won.status, won.rule)
            live = [x for x in found if x.method == m and x.key is not None
                    and x.status == "recommended" and candidates[m][x.key][0] == "recommended"]
            won = resolve([x for x in found if x.method == m and x.key is None] + live)
            methods[m] = status(won.status, won.rule) if won else ["not-now", None]
            if methods[m][0] == "recommended":
                offers[m] = list({(x.key, x.lift): x for x in live}.values())

        plans: list[dict[str, Any]] = []
        for m, method in kb.methods.items():
            ranked = sorted(offers.get(m, []), key=lambda x: self.rank(
                a, stalled, x.lift,
                kb.pairings[x.key].eccentric if m == AEL and x.key else x.key,
                self.pairing_order[str(x.key)] if m == AEL else self.exercise_order[str(x.key)]))
            if m == AEL:
                plans += [self.ael_plan(a, rx[m], str(x.key), x.lift, when or "now")
                          for x in ranked[:int(method.number("pairings_per_block"))]]
            else:
                per_lift: dict[str | None, Decision] = {}
                for x in ranked:
                    per_lift.setdefault(x.lift, x)
                plans += [self.other_plan(a, rx[m], m, str(x.key), x.lift)
                          for x in per_lift.values()]
        return projection(a.units, methods, candidates, rx, plans)

    @staticmethod
    def days(rx: dict[str, Any], own: float | None) -> int | None:
        found = [v for v in (own, rx.get("max_negative_days")) if v is not None]
        return int(min(found)) if found else None

    def ael_plan(self, a: Athlete, rx: dict[str, Any], pid: str, lift: str | None,
                 when: str) -> dict[str, Any]:
        ael = self.ael
        pairing = self.kb.pairings[pid]
        start, inc = Decimal(str(rx["start_percent_1rm"])), \
            Decimal(str(rx["weekly_increase_percent_1rm"]))
        total, window = int(ael.number("weeks")), int(ael.number("cycle_start_weeks"))
        tolerance = ael.number("start_percent_tolerance")
        done, first = (min(a.ae_weeks_done, total - 1), a.cycle_week) if when == "now" \
            else (0, 1)
        count = max(min(total - done, window - first + 1), 1)
        targets: list[tuple[float, float | None, float | None, float | None]] = [
            (cents(start + (b - 1) * inc), None, tolerance if b == 1 else None,
             tolerance) for b in range(done + 1, done + count + 1)]
        weeks, one_rm = self.loads(a, pairing.eccentric, [first + i for i in range(count)],
                                   targets, a.one_rep_max.get(pairing.concentric))
        return plan(AEL, lift, pid, None, int(rx["sets"]), int(rx["reps"]), None, None,
                    pairing.eccentric, one_rm, weeks, when,
                    self.days(rx, ael.number("days_per_week")))

    def other_plan(self, a: Athlete, rx: dict[str, Any], method: str, exercise: str,
                   lift: str | None) -> dict[str, Any]:
        tempo: dict[str, float] | None = None
        if method == SLOW:
            tempo = {n: float(rx[n]) for n in ("concentric_seconds", "eccentric_seconds",
                                               "bottom_pause_seconds") if n in rx}
        targets: list[tuple[float, float | None, float | None, float | None]] = []
        if "percent_1rm" in rx:
            ceiling = min(float(rx["percent_1rm"]),
                          self.kb.methods[method].number("percent_1rm"))
            count = int(rx.get("weeks") or 1)
            begin = min(float(rx.get("build_up_start_percent_1rm") or ceiling), ceiling)
            rise = Decimal(str(ceiling)) - Decimal(str(begin))
            for i in range(count):
                share = rise * i / (count - 1) if count > 1 else rise
                value = (Decimal(str(begin)) + share).quantize(CENTS, rounding=ROUND_FLOOR)
                targets.append((float(value), ceiling, None, None))
        weeks: list[list[Any]] = []
        one_rm = None
        if targets:
            weeks, one_rm = self.loads(a, exercise, [a.cycle_week + i for i in
                                                     range(len(targets))], targets)
        reps = rx.get("reps_max") or rx.get("reps")
        return plan(method, lift, None, exercise,
                    None if rx.get("sets") is None else int(rx["sets"]),
                    None if reps is None else int(reps),
                    None if rx.get("reps_min") is None else int(rx["reps_min"]), tempo,
                    exercise if targets else None, one_rm, weeks, "now",
                    self.days(rx, rx.get("days_per_week")))
