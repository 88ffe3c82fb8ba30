"""The consultation asks only what can change the advice, and ends in the advice `advise` gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.population import population
from negatives.engine.advice.advise import advise
from negatives.engine.consult.questions import AnswerError, Field, load_questions, parse
from negatives.engine.consult.replay import replay
from negatives.engine.consult.select import next_question
from negatives.engine.consult.space import Space, decisions, put
from negatives.engine.infer.workspace import Workspace, knowledge_dir
from negatives.engine.load.errors import InputError
from negatives.engine.load.yamlio import dump, load, to_plain
from negatives.engine.model.athlete import parse_athlete
from tests.conftest import budget

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# A consultation runs the engine some 50-150 times: a small budget locally, a real one in CI.
BUDGET = budget(12, 3)


@pytest.fixture(scope="module")
def space(ws: Workspace) -> Space:
    return Space(ws, load_questions(knowledge_dir()))


def check_equivalent(space: Space, athlete: dict[str, object]) -> list[str]:
    """Replay the athlete, compare with advise, and re-prove every question mattered."""
    consult, asked = replay(space, athlete)
    direct = advise(parse_athlete(dump(athlete), "athlete.yaml", space.ws.kb), space.ws)
    assert decisions(consult.advice("athlete.yaml")) == decisions(direct)
    fresh = Space(space.ws, space.questions)  # no memo: the witnesses are re-run from scratch
    for w in asked[1:]:
        if w.field.key == "units":
            continue  # asked once, just before the first load question
        field = Field("one_rep_max", w.offer[0]) if w.offer else w.field  # which 1RMs: the first
        outcomes = {fresh.signature(put(w.case, field, v)) for v in w.values}
        assert len(outcomes) > 1, f"{w.field.id} cannot change the advice"
    assert [w.field.id for w in asked].count("units") <= 1
    return [w.field.id for w in asked]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_examples_end_in_the_advice_advise_gives(space: Space, name: str) -> None:
    asked = check_equivalent(space, to_plain(load(EXAMPLES / name).data))
    assert asked[0] == "lifts"


@settings(max_examples=BUDGET, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31))
def test_generated_athletes_get_the_same_advice(space: Space, seed: int) -> None:
    lifts = sorted(space.ws.kb.lifts)
    check_equivalent(space, population(1, lifts, seed)[0])


def test_a_novice_is_never_asked_for_a_1rm_to_load_accentuated_eccentrics(space: Space) -> None:
    lowering = {p.eccentric for p in space.ws.kb.pairings.values()}
    athlete = {"experience": "novice", "units": "kg", "recovery": "well-rested",
               "cycle_week": 1, "partner": True,
               "lifts": [{"name": "bench press", "stalled": True}, {"name": "squat"}]}
    asked = check_equivalent(space, athlete)
    assert not [a for a in asked if a.startswith("one_rep_max[") and a[12:-1] in lowering]


def test_several_1rms_are_offered_in_one_question_first(space: Space) -> None:
    consult, asked = replay(space, to_plain(load(EXAMPLES / "riley-deadlift.yaml").data))
    offers = [w.offer for w in asked if w.offer]
    assert len(offers) == 1 and len(offers[0]) > 1
    values = [w.field.subject for w in asked if w.field.key == "one_rep_max" and not w.offer]
    assert set(values) <= set(offers[0])
    assert set(values) <= set(consult.known.get("one_rep_max", {}))


def test_no_stall_mid_cycle_is_not_asked_about_pairings(space: Space) -> None:
    lowering = {p.eccentric for p in space.ws.kb.pairings.values()}
    athlete = {"experience": "advanced", "units": "lb", "recovery": "normal", "cycle_week": 6,
               "partner": False, "lifts": [{"name": "squat", "stalled": False}]}
    asked = check_equivalent(space, athlete)
    assert not [a for a in asked if a.startswith("one_rep_max[") and a[12:-1] in lowering]
    assert len(asked) <= 6


def test_fatigue_settles_everything(space: Space) -> None:
    known = {"lifts": [{"name": "bench press"}], "recovery": "fatigued"}
    w = next_question(space, known, frozenset({"lifts", "recovery"}))
    assert w is None or w.field.key != "one_rep_max"


def test_answers_are_checked_against_the_schema(space: Space) -> None:
    q = space.questions
    kb = space.ws.kb
    assert parse(q["experience"], "inter", kb) == "intermediate"
    assert parse(q["experience"], "1", kb) == "novice"
    assert parse(q["lifts"], "bench, ohp", kb) == ["bench press", "overhead press"]
    assert parse(q["equipment"], "all", kb) is None
    assert parse(q["stalled"], "not sure", kb) is None
    assert parse(q["one_rep_max"], "102.5", kb) == 102.5
    for key, text in (("cycle_week", "53"), ("cycle_week", "two"), ("experience", "pro"),
                      ("lifts", "bench pres"), ("partner", "maybe"), ("one_rep_max", "0")):
        with pytest.raises(AnswerError):
            parse(q[key], text, kb)


def test_thresholds_come_from_the_rules(space: Space) -> None:
    weeks = space.domain(Field("cycle_week"))
    assert 1 in weeks and any(w > 1 for w in weeks) and len(weeks) < 10
    assert put({"lifts": [{"name": "squat"}]}, Field("stalled", "squat"), True) == \
        {"lifts": [{"name": "squat", "stalled": True}]}


def test_a_question_must_name_an_athlete_field(tmp_path: Path) -> None:
    shutil.copytree(knowledge_dir(), tmp_path, dirs_exist_ok=True)  # the vocabulary names fields
    shipped = (knowledge_dir() / "questions.yaml").read_text(encoding="utf-8")
    (tmp_path / "questions.yaml").write_text(
        shipped.replace("  cycle_week:\n", "  cycle_wek:\n"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_questions(tmp_path)
    assert "question 'cycle_wek' is not an athlete field (did you mean 'cycle_week'?)" in \
        str(err.value.diagnostics[0].message)
