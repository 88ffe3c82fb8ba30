"""Which question comes next: the most decisive one whose answer can still change the advice."""

from __future__ import annotations

import json
from typing import Any

from negatives.engine.consult.questions import Field, athlete_schema
from negatives.engine.consult.space import Athlete, Space, put, settled
from negatives.engine.load.records import record


@record
class Witness:
    """Why a field is worth asking: in `case`, its values lead to different advice."""

    field: Field
    case: Athlete
    values: tuple[Any, ...]
    outcomes: int  # how many different pieces of advice its values lead to
    flips: int = 0  # how many methods (or the recommendations) its values change
    offer: tuple[str, ...] = ()  # for "which of these 1RMs do you know": the exercises


def required() -> list[str]:
    """Athlete fields a file must give (the lifts aside: the first question asks them)."""
    return [k for k in athlete_schema()["required"] if k != "lifts"]


def completed(space: Space, known: Athlete, fields: list[Field],
              answered: frozenset[str] = frozenset()) -> Athlete:
    """The known answers, with every open field at the value it stands at when not asked."""
    case = dict(known)
    for key in required():
        if key not in case:
            case[key] = space.questions[key].assume
    for field in fields:
        if not settled(known, field) and field.id not in answered:
            case = put(case, field, space.assume(field))
    return case


def open_fields(space: Space, known: Athlete,
                answered: frozenset[str] = frozenset()) -> tuple[Athlete, list[Field]]:
    """The case with open fields at their assumed values, and the open fields: the athlete's,
    plus the 1RMs of the exercises any single changed answer would load from."""
    fields = [f for f in space.fields(known, set())
              if not settled(known, f) and f.id not in answered]
    case = completed(space, known, fields, answered)
    bases = space.load_bases(space.advice(case))
    for field in fields:
        for value in space.domain(field):
            bases |= space.load_bases(space.advice(put(case, field, value)))
    fields = [f for f in space.fields(known, bases)
              if not settled(known, f) and f.id not in answered]
    return case, fields


def _witness(space: Space, case: Athlete, field: Field) -> Witness | None:
    values = tuple(space.domain(field))
    outcomes = {space.signature(put(case, field, v)) for v in values}
    if len(outcomes) < 2:
        return None
    coarse = [json.loads(space.coarse(put(case, field, v))) for v in values]
    flips = sum(len({c[k] for c in coarse}) > 1 for k in coarse[0])
    return Witness(field, case, values, len(outcomes), flips)


def _order(space: Space, field: Field,
           bases: frozenset[str] = frozenset()) -> tuple[int, bool, str]:
    """Questions file order; among 1RMs, the ones the advice loads from now come first."""
    return (space.questions[field.key].order, field.subject not in bases, field.subject or "")


def next_question(space: Space, known: Athlete,
                  answered: frozenset[str] = frozenset()) -> Witness | None:
    """The next question, with the case showing it matters; None when the advice is settled.

    A field matters when, with every other open field at its assumed value or with one of them
    changed, two of its values give different advice. The most decisive goes first (its values
    change the most methods), then the questions file's order.
    """
    if not known.get("lifts"):
        return Witness(Field("lifts"), known, (), 0)
    case, fields = open_fields(space, known, answered)
    recs = space.advice(case)["recommendations"]
    now = frozenset(str(r["load_basis"]["exercise"]) for r in recs if r.get("load_basis"))
    ranked = sorted((w for f in fields if (w := _witness(space, case, f))),
                    key=lambda w: (-w.flips, _order(space, w.field, now)))
    found = ranked[0] if ranked else _pairwise(space, case, fields)
    if found and found.field.key == "one_rep_max" and "units" not in known:
        return Witness(Field("units"), found.case, found.values, found.outcomes)
    maxes = [w.field.subject for w in ranked if w.field.key == "one_rep_max"]
    if found and found.field.key == "one_rep_max" and len(maxes) > 1 and \
            "one_rep_max" not in answered:
        # Several 1RMs matter: one question finds which ones the lifter knows at all.
        return Witness(Field("one_rep_max"), found.case, found.values, found.outcomes,
                       found.flips, tuple(str(m) for m in maxes))
    return found


def _pairwise(space: Space, case: Athlete, fields: list[Field]) -> Witness | None:
    for field in sorted(fields, key=lambda f: _order(space, f)):
        for other in fields:
            if other == field:
                continue
            for value in space.domain(other):
                if value != space.assume(other):
                    found = _witness(space, put(case, other, value), field)
                    if found:
                        return found
    return None
