"""The lifter's text: one screen, no debugger lines, "why not" only about the lifts asked about."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negatives.engine.advice.lifter import to_text
from negatives.engine.advice.whynot import reasons, unexplained
from tests.conftest import budget
from tests.engine.test_properties import KB, advise_on, athletes

MAX_LINES = 50
DEBUGGER = re.compile(r"\b[a-z_]+\.[a-z_]+ *= *[^ ]")  # `athlete.recovery="fatigued"` and the like
BUDGET = settings(max_examples=budget(150, 25), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])


def two_lift_athletes() -> st.SearchStrategy[dict[str, Any]]:
    return athletes().map(lambda a: {**a, "lifts": a["lifts"][:2]})


@BUDGET
@given(two_lift_athletes())
def test_every_athlete_with_two_lifts_gets_one_screen_in_plain_words(
        athlete: dict[str, Any]) -> None:
    advice = advise_on(athlete)
    text = to_text(advice, KB)
    lines = text.splitlines()
    assert len(lines) <= MAX_LINES, text
    assert not [ln for ln in lines if DEBUGGER.search(ln)], text
    assert "{" not in text and "?" not in text.replace("use negatives now?", ""), text


@BUDGET
@given(two_lift_athletes())
def test_why_not_speaks_only_of_asked_lifts_and_always_has_a_reason(
        athlete: dict[str, Any]) -> None:
    advice = advise_on(athlete)
    asked = set(advice["athlete"]["lifts"])
    assert {r.lift for r in reasons(advice)} <= asked
    assert unexplained(advice) == []


def test_home_lifter_hears_that_every_pairing_needs_equipment_they_lack() -> None:
    athlete = {"name": "Kim", "experience": "intermediate", "units": "kg",
               "recovery": "well-rested", "cycle_week": 1, "partner": False,
               "equipment": ["dumbbells"], "lifts": [{"name": "squat", "stalled": True}],
               "one_rep_max": {}, "accentuated_eccentric_weeks_done": 0}
    text = to_text(advise_on(athlete), KB)
    ael = next(ln for ln in text.splitlines() if "accentuated eccentric loading:" in ln)
    assert "every pairing that trains your squat needs equipment you did not list" in \
        " ".join(text.lower().split())
    assert "not now" in ael and "no rule" not in text


def test_why_not_leaves_out_lifts_not_asked_about() -> None:
    athlete = {"name": "Kim", "experience": "intermediate", "units": "kg",
               "recovery": "normal", "cycle_week": 6, "partner": True,
               "equipment": ["dumbbells", "bench"],
               "lifts": [{"name": "bench press", "stalled": True}],
               "one_rep_max": {}, "accentuated_eccentric_weeks_done": 0}
    text = to_text(advise_on(athlete), KB)
    for other in ("squat", "deadlift", "barbell row", "goblet", "leg press"):
        assert other not in text.split("Why not")[-1].split("How it works")[0]


def test_a_lift_that_is_progressing_is_told_so_with_its_own_numbers() -> None:
    athlete = {"name": "Sam", "experience": "advanced", "units": "lb", "recovery": "normal",
               "cycle_week": 6, "partner": False,
               "lifts": [{"name": "squat", "log": [{"week": 1, "load": 300},
                                                   {"week": 5, "load": 330}]}],
               "one_rep_max": {}, "accentuated_eccentric_weeks_done": 0}
    found = reasons(advise_on(athlete))
    assert [r.rule for r in found] == ["why-not-lift-log-progressing"]
    assert "progress over" in found[0].says and "%" in found[0].says
