"""Turn an athlete and the knowledge base into the flat facts the rules match."""

from __future__ import annotations

from typing import Any

from negatives.engine.model.athlete import Athlete
from negatives.engine.model.knowledge import Knowledge

Fact = dict[str, Any]


def knowledge_facts(kb: Knowledge, exercises: set[str]) -> list[Fact]:
    """Methods, pairings, settings, and the exercises named by pairings or by `exercises`."""
    facts: list[Fact] = []
    for method in kb.methods.values():
        params = {name: p.value for name, p in method.parameters.items()}
        facts.append({"type": "method", "name": method.id, "needs_partner": method.needs_partner,
                      **params})
    for pairing in kb.pairings.values():
        facts.append({"type": "pairing", "name": pairing.id, "method": pairing.method,
                      "movement_target": pairing.movement_target,
                      "concentric": pairing.concentric, "eccentric": pairing.eccentric})
        exercises |= {pairing.concentric, pairing.eccentric}
    for name, setting in kb.settings.items():
        facts.append({"type": "setting", "name": name, "value": setting.value})
    for name in sorted(exercises):
        facts.extend(exercise_facts(kb, name))
    return facts


def exercise_facts(kb: Knowledge, name: str) -> list[Fact]:
    exercise = kb.exercise(name)
    if exercise is None:
        return []
    fact: Fact = {"type": "exercise", "name": exercise.name, "pattern": exercise.pattern,
                  "laterality": exercise.laterality, "compound": exercise.compound,
                  "spottable": exercise.spottable,
                  "partner_liftable": exercise.partner_liftable}
    if exercise.family:
        fact["family"] = exercise.family
    if exercise.unilateral_of:
        fact["unilateral_of"] = exercise.unilateral_of
    out = [fact]
    out += [{"type": "exercise-muscle", "exercise": exercise.name, "muscle": m}
            for m in exercise.muscles]
    out += [{"type": "exercise-equipment", "exercise": exercise.name, "equipment": e}
            for e in exercise.equipment]
    return out


def athlete_facts(athlete: Athlete, kb: Knowledge) -> list[Fact]:
    facts: list[Fact] = [{
        "type": "athlete", **athlete.fields, "name": athlete.name,
        "experience": athlete.experience,
        "units": athlete.units, "recovery": athlete.recovery, "cycle_week": athlete.cycle_week,
        "partner": athlete.partner,
        "accentuated_eccentric_weeks_done": athlete.ae_weeks_done,
        "full_gym": athlete.equipment is None,
    }]
    facts += _list_facts(athlete, kb, facts[0])
    # No list given: assume a full gym.
    equipment = (kb.all_equipment() if athlete.equipment is None
                 else sorted(set(athlete.equipment)))
    facts += [{"type": "equipment", "name": e} for e in equipment]
    for goal in athlete.lifts:
        lift = kb.lifts[goal.name]
        fact: Fact = {"type": "lift", "name": lift.name, "pattern": lift.pattern,
                      "weeks_logged": goal.weeks_logged}
        if goal.stalled is not None:
            fact["stalled"] = goal.stalled
        if goal.progress_percent is not None:
            fact["progress_percent"] = goal.progress_percent
        if goal.log_too_short:
            fact["log_too_short"] = True
        fact.update(goal.keys)  # keys a coach added to the lift fact of knowledge/facts.yaml
        facts.append(fact)
        facts += [{"type": "lift-muscle", "lift": lift.name, "muscle": m} for m in lift.muscles]
    facts += [{"type": "one-rep-max", "exercise": name, "value": value}
              for name, value in sorted(athlete.one_rep_max.items())]
    facts += pairing_strength_facts(athlete, kb)
    return facts


def _list_facts(athlete: Athlete, kb: Knowledge, person: Fact) -> list[Fact]:
    """Each item of an input list (`injuries: [knee]`) as a fact of its own, per the vocabulary.

    The athlete fact gets the list's flag (`injured`); an injured region brings the muscles that
    load it (region-muscle facts), so rules can find the exercises that stress it.
    """
    out: list[Fact] = []
    spec = kb.facts.get("athlete")
    for name, f in (spec.fields.items() if spec else []):
        if f.input != "list" or f.items is None:
            continue
        items = athlete.lists.get(name, ())
        if f.items.flag:
            person[f.items.flag] = bool(items)
        out += [{"type": f.items.fact, f.items.field: item} for item in items]
        if f.names == "regions":
            out += [{"type": "region-muscle", "region": r, "muscle": m}
                    for r in items for m in kb.regions[r].muscles]
    return out


def pairing_strength_facts(athlete: Athlete, kb: Knowledge) -> list[Fact]:
    """For a pairing with both 1RMs known: the lifting 1RM as a percent of the lowering 1RM."""
    out: list[Fact] = []
    maxes = athlete.one_rep_max
    for p in kb.pairings.values():
        up, down = maxes.get(p.concentric), maxes.get(p.eccentric)
        if up is not None and down:
            out.append({"type": "pairing-strength", "pairing": p.id,
                        "lifting_percent": round(up / down * 100, 2)})
    return out


def all_facts(athlete: Athlete, kb: Knowledge) -> list[Fact]:
    """The athlete's facts plus the knowledge they touch: pairings, 1RM exercises, lift variants."""
    lifts = {goal.name for goal in athlete.lifts}
    variants = {e.name for e in kb.exercises.values() if e.family in lifts}
    return athlete_facts(athlete, kb) + knowledge_facts(kb, set(athlete.one_rep_max) | variants)
