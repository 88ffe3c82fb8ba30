"""Typed conditions: `impossible` agrees with brute force, and wrong values are named in words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from negatives.engine.language.rulemodel import FieldTest, Group
from negatives.engine.language.typecheck import field_problems, impossible
from negatives.engine.model.vocabulary import FieldSpec

WEEK = FieldSpec("cycle_week", "integer", "week", min=1, max=52, unit="weeks")
RECOVERY = FieldSpec("recovery", "string", "recovery", enum=("well-rested", "normal", "fatigued"))
OPS = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
       "lte": lambda a, b: a <= b, "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b}

tests = st.lists(st.tuples(st.sampled_from(sorted(OPS)), st.integers(-5, 60)), min_size=1,
                 max_size=4)


def _group(ts: list[tuple[str, int]]) -> Group:
    return Group("all", tuple(FieldTest("cycle_week", op, v, ("w", i))
                              for i, (op, v) in enumerate(ts)))


@settings(max_examples=300, deadline=None)
@given(tests)
def test_never_fires_exactly_when_no_week_satisfies_every_test(ts: list[tuple[str, int]]) -> None:
    found, dead = impossible(_group(ts), "athlete", {"cycle_week": WEEK})
    satisfiable = any(all(OPS[op](week, v) for op, v in ts) for week in range(1, 53))
    assert dead == (not satisfiable), ts
    assert bool(found) == dead


@settings(max_examples=200, deadline=None)
@given(tests, tests)
def test_any_is_dead_only_when_every_alternative_is(a: list[tuple[str, int]],
                                                    b: list[tuple[str, int]]) -> None:
    where = Group("all", (Group("any", (_group(a), _group(b))),))
    _, dead = impossible(where, "athlete", {"cycle_week": WEEK})
    _, dead_a = impossible(_group(a), "athlete", {"cycle_week": WEEK})
    _, dead_b = impossible(_group(b), "athlete", {"cycle_week": WEEK})
    assert dead == (dead_a and dead_b)


def test_exists_false_with_a_value_test_can_never_hold() -> None:
    where = Group("all", (FieldTest("cycle_week", "exists", False, ("a",)),
                          FieldTest("cycle_week", "gt", 2, ("b",))))
    found, dead = impossible(where, "athlete", {"cycle_week": WEEK})
    assert dead and "`cycle_week is not given` and `cycle_week > 2`" in found[0][1]


def test_enum_values_and_types_are_named_in_words() -> None:
    typo = FieldTest("recovery", "eq", "fatiqued", ("r",))
    assert field_problems(typo, "athlete", RECOVERY) == [(
        "'fatiqued' is not a value of athlete.recovery (did you mean 'fatigued'?); expected one "
        "of: well-rested, normal, fatigued; the test could never be true", "unknown-value")]
    capital = FieldTest("recovery", "in", ("Normal", "fatigued"), ("r",))
    assert "(did you mean 'normal'?)" in field_problems(capital, "athlete", RECOVERY)[0][0]
    text = FieldTest("cycle_week", "eq", "three", ("w",))
    assert field_problems(text, "athlete", WEEK) == [(
        "athlete.cycle_week is a whole number from 1 to 52 (weeks); 'three' is text", "type")]
    assert field_problems(FieldTest("cycle_week", "eq", 3.0, ("w",)), "athlete", WEEK) == []
    order = FieldTest("recovery", "lt", 2, ("r",))
    assert field_problems(order, "athlete", RECOVERY)[0][1] == "type"
