"""The advise decisions written by hand in plain Python: if-statements over the knowledge base.

Every number (percentages, weeks, sets, reps, rounding steps, the stall threshold) is read from
the knowledge base, never written here. Rule ids appear only as the `why` labels of the
projection (bench/peers/projection.py).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bench.peers.projection import Projection, Status, plan, projection, status, week
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.knowledge import Exercise, Knowledge

AEL = "accentuated-eccentric"
SLOW = "slow-eccentric"
ECCENTRIC_ONLY = "eccentric-only"
FORCED = "forced-negatives"
DEADLIFT = "deadlift"
CENTS = Decimal("0.01")


class Plain:
    """Built once per knowledge base; `project(athlete)` gives the projection."""

    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        self.ael = kb.methods[AEL]
        self.stall_max = kb.setting("stall_max_progress_percent")
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

    def loads(self, a: Athlete, exercise: str, percents: list[tuple[int, float]]
              ) -> tuple[list[list[Any]], float | None]:
        one_rm = a.one_rep_max.get(exercise)
        unit = Decimal(str(self.step(a.units, self.exercise(exercise).equipment)))
        weeks = []
        for number, pct in percents:
            load = exact = None
            if one_rm is not None:
                raw = Decimal(str(one_rm)) * Decimal(str(pct)) / 100
                exact = float(raw.quantize(CENTS, rounding=ROUND_HALF_UP))
                load = float((raw / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit
                             if unit > 0 else raw)
            weeks.append(week(number, pct, load, exact))
        return weeks, one_rm

    def rank(self, a: Athlete, stalled: list[str], lift: str, basis: str | None,
             order: int) -> tuple[Any, ...]:
        """Stalled lifts first, the lift itself, a known 1RM, shared muscles, compound, order."""
        ex = self.exercise(basis) if basis else None
        shared = len(set(ex.muscles) & set(self.kb.lifts[lift].muscles)) if ex else 0
        itself = ex is not None and self.kb.exercise(lift) == ex
        lifts = [g.name for g in a.lifts]
        return (lift not in stalled, not itself, basis not in a.one_rep_max, -shared,
                not (ex.compound if ex else True), order, lifts.index(lift))

    def project(self, a: Athlete) -> Projection:
        kb = self.kb
        fatigued = a.recovery == "fatigued"
        novice = a.experience == "novice"
        lifts = [g.name for g in a.lifts]
        stalled = [g.name for g in a.lifts if g.stalled is True or (
            g.stalled is None and g.progress_percent is not None
            and g.progress_percent <= self.stall_max)]
        gear = set(a.equipment) if a.equipment is not None else self.full_gym
        # The exercises negatives knows about for this athlete: the pairings', the 1RMs', and
        # the variants of the athlete's lifts.
        known = self.in_pairings | set(a.one_rep_max) | {
            e.name for lift in lifts for e in self.family.get(lift, [])}

        methods: dict[str, Status] = {}
        candidates: dict[str, dict[str, Status]] = {m: {} for m in kb.methods}
        rx: dict[str, dict[str, Any]] = {m: {} for m in kb.methods}
        plans: list[dict[str, Any]] = []

        # --- accentuated eccentric loading --------------------------------------------------
        ael = self.ael
        timing = set()
        if stalled:
            timing.add("stalled")
        if a.cycle_week == 1 and a.recovery == "well-rested":
            timing.add("cycle-start")
        if a.ae_weeks_done >= 1 and a.cycle_week <= ael.number("cycle_start_weeks"):
            timing.add("continuing")
        pairs = []
        for p in self.pairings:
            sides = (self.exercise(p.concentric), self.exercise(p.eccentric))
            if any(e.family == DEADLIFT for e in sides):
                candidates[AEL][p.id] = status("blocked", "ael-never-pair-deadlift")
            elif any(g not in gear for e in sides for g in e.equipment):
                candidates[AEL][p.id] = status("blocked", "ael-pairing-needs-equipment")
            if not timing:
                continue
            lowering = set(sides[1].muscles)
            for lift in lifts:
                if lowering & set(kb.lifts[lift].muscles) and (
                        lift in stalled or timing & {"cycle-start", "continuing"}):
                    pairs.append((p.id, lift))
                    candidates[AEL].setdefault(p.id, status("recommended", None))
        live = [(pid, lift) for pid, lift in pairs
                if candidates[AEL][pid][0] == "recommended"]
        if novice:
            methods[AEL] = status("blocked", "ael-skip-novice")
        elif a.ae_weeks_done >= ael.number("weeks"):
            methods[AEL] = status("not-now", "ael-three-weeks-max")
        elif fatigued:
            methods[AEL] = status("not-now", "ael-not-when-fatigued")
        elif not timing:
            methods[AEL] = status("not-now", "ael-wait-for-timing")
        elif live:
            methods[AEL] = status("recommended", None)
        else:
            methods[AEL] = status("not-now", None)
        if timing:
            for name in ("start_percent_1rm", "weekly_increase_percent_1rm", "sets", "reps"):
                rx[AEL][name] = ael.parameters[name].value
        if methods[AEL][0] == "recommended":
            ranked = sorted(live, key=lambda c: self.rank(
                a, stalled, c[1], kb.pairings[c[0]].eccentric, self.pairing_order[c[0]]))
            start = ael.number("start_percent_1rm")
            step = ael.number("weekly_increase_percent_1rm")
            total = int(ael.number("weeks"))
            first = min(a.ae_weeks_done + 1, total)
            for pid, lift in ranked[:int(ael.number("pairings_per_block"))]:
                basis = kb.pairings[pid].eccentric
                weeks, one_rm = self.loads(
                    a, basis, [(w, start + (w - 1) * step) for w in range(first, total + 1)])
                plans.append(plan(AEL, lift, pid, None, int(ael.number("sets")),
                                  int(ael.number("reps")), None, None, basis, one_rm, weeks))

        # --- slow eccentrics ----------------------------------------------------------------
        slow = kb.methods[SLOW]
        if fatigued:
            methods[SLOW] = status("not-now", "negatives-not-when-fatigued")
        elif not a.partner and stalled:
            methods[SLOW] = status("recommended", None)
        else:
            methods[SLOW] = status("allowed", "slow-eccentric-allowed")
        tempo_names = ("concentric_seconds", "eccentric_seconds", "bottom_pause_seconds")
        if not fatigued:
            rx[SLOW] = {n: slow.parameters[n].value for n in tempo_names}
        if methods[SLOW][0] == "recommended":
            tempo = {n: float(slow.number(n)) for n in tempo_names}
            for lift in lifts:
                if lift in stalled:
                    plans.append(plan(SLOW, lift, None, None, None, None, None, tempo, None,
                                      None, []))

        # --- eccentric-only reps and forced negatives ----------------------------------------
        blocked: dict[str, Status] = {}
        for name in sorted(known):
            e = self.exercise(name)
            if e.family == DEADLIFT:
                blocked[name] = status("blocked", "no-supramaximal-deadlift")
            elif e.family and any(g not in gear for g in e.equipment):
                blocked[name] = status("blocked", "eo-exercise-needs-equipment")
            elif not e.spottable and e.family in lifts:
                blocked[name] = status("blocked", "eo-not-unspottable")
        for method in (ECCENTRIC_ONLY, FORCED):
            candidates[method].update(blocked)
            if fatigued:
                methods[method] = status("not-now", "negatives-not-when-fatigued")
            elif not a.partner:
                methods[method] = status("allowed", "eo-needs-partner-or-one-arm")
            else:
                methods[method] = status("allowed", "eo-allowed-with-partner")

        eo = kb.methods[ECCENTRIC_ONLY]
        offers = []
        if a.partner:
            for lift in stalled:
                for e in self.family.get(lift, []):
                    if e.spottable:
                        offers.append((e.name, lift))
                        candidates[ECCENTRIC_ONLY].setdefault(e.name, status("recommended", None))
        live_eo = [(e, lift) for e, lift in offers
                   if candidates[ECCENTRIC_ONLY][e][0] == "recommended"]
        if live_eo and not fatigued:
            methods[ECCENTRIC_ONLY] = status("recommended", None)
        if not fatigued:
            rx[ECCENTRIC_ONLY] = {n: eo.parameters[n].value
                                  for n in ("percent_1rm", "sets", "reps_min", "reps_max")}
        if novice:
            rx[ECCENTRIC_ONLY]["percent_1rm"] = eo.parameters["beginner_percent_1rm"].value
        if methods[ECCENTRIC_ONLY][0] == "recommended":
            ranked_eo = sorted(live_eo, key=lambda c: self.rank(
                a, stalled, c[1], c[0], self.exercise_order[c[0]]))
            chosen: dict[str, str] = {}
            for e_name, lift in ranked_eo:
                chosen.setdefault(lift, e_name)
            pct = float(rx[ECCENTRIC_ONLY]["percent_1rm"])
            for lift, e_name in chosen.items():
                weeks, one_rm = self.loads(a, e_name, [(1, pct)])
                plans.append(plan(ECCENTRIC_ONLY, lift, None, e_name, int(eo.number("sets")),
                                  int(eo.number("reps_max")), int(eo.number("reps_min")), None,
                                  e_name, one_rm, weeks))

        fn = kb.methods[FORCED]
        if not fatigued:
            rx[FORCED] = {n: fn.parameters[n].value for n in ("reps_min", "reps_max")}

        return projection(a.units, {m: methods[m] for m in kb.methods}, candidates, rx, plans)
