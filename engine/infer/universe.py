"""Every knowledge fact an athlete's session can hold, and which athlete facts bring it in."""

from __future__ import annotations

from typing import Any

from negatives.engine.load.records import record
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.facts import athlete_facts, exercise_facts, knowledge_facts
from negatives.engine.model.knowledge import Knowledge

Fact = dict[str, Any]


@record(frozen=False)
class Known:
    """A knowledge fact; `needs` is empty when every session holds it, else alternatives
    [type, field, value] of which one athlete fact must be present (mirrors facts.all_facts)."""

    fact: Fact
    needs: list[list[Any]]


def universe(kb: Knowledge) -> list[Known]:
    """The knowledge facts of facts.all_facts for every possible athlete, with their needs."""
    always = knowledge_facts(kb, set())
    out = [Known(f, []) for f in always]
    paired = {f["name"] for f in always if f["type"] == "exercise"}
    for exercise in sorted(kb.exercises.values(), key=lambda e: e.name):
        if exercise.name in paired:
            continue
        needs: list[list[Any]] = [["one-rep-max", "exercise", exercise.name]]
        if exercise.family:
            needs.append(["lift", "name", exercise.family])
        out += [Known(f, needs) for f in exercise_facts(kb, exercise.name)]
    for lift in sorted(kb.lifts.values(), key=lambda x: x.name):
        out += [Known({"type": "lift-muscle", "lift": lift.name, "muscle": m},
                      [["lift", "name", lift.name]]) for m in lift.muscles]
    return out


def session_facts(athlete: Athlete, kb: Knowledge, skip: frozenset[str],
                  known: list[Known]) -> list[Fact]:
    """The athlete's facts and the present knowledge facts, leaving out the types in `skip`."""
    facts = [f for f in athlete_facts(athlete, kb) if f["type"] not in skip]
    if not known:
        return facts
    index = {(f["type"], k, v) for f in facts for k, v in f.items()
             if isinstance(v, (str, int, float))}
    for k in known:
        if k.fact["type"] in skip:
            continue
        if not k.needs or any((t, f, v) in index for t, f, v in k.needs):
            facts.append(k.fact)
    return facts
