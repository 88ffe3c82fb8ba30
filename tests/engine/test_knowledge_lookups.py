"""Knowledge.exercise remembers the names it looked up: the same answers, a bounded memory."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from negatives.engine.model.knowledge import name_key
from tests.engine.test_properties import KB

NAMES = sorted(KB.exercises)


def looked_up(name: str) -> object:
    """The lookup without the memory: by the name as written, else by its key."""
    canonical = KB.exercise_index.get(name_key(name))
    return KB.exercises.get(name) or (KB.exercises[canonical] if canonical else None)


spelled = st.sampled_from(NAMES).flatmap(lambda n: st.sampled_from(
    [n, n.upper(), n.replace(" ", "-"), n.title(), f" {n}\u200b", n[:-1]]))


@given(st.lists(spelled | st.text(max_size=12), max_size=8))
def test_a_remembered_exercise_is_the_one_looked_up(names: list[str]) -> None:
    for name in names * 2:  # the second time from memory
        assert KB.exercise(name) is looked_up(name)


def test_remembered_names_stay_bounded() -> None:
    for n in range(5_000):
        assert KB.exercise(f"no such exercise {n}") is None
    assert len(KB._derived["exercise-names"]) <= 4_096
    assert KB.exercise("BENCH-press") is looked_up("BENCH-press")
