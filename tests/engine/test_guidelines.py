"""One test per guideline of the two source articles (checklist A1-A15, E1-E10), run through the
real engine on the shipped rules and knowledge (or a copy of them with one pairing added)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from negatives.engine.advice.advise import advise
from negatives.engine.infer.workspace import Workspace, open_workspace, shipped
from negatives.engine.load.yamlio import dump
from negatives.engine.model.athlete import parse_athlete
from negatives.engine.model.knowledge import Knowledge
from tests.conftest import athlete_dict, fired, method

Advice = dict[str, Any]
RunAdvice = Callable[..., Advice]

AEL = "accentuated-eccentric"
SLOW = "slow-eccentric"
EO = "eccentric-only"
FN = "forced-negatives"
ALL_METHODS = (AEL, SLOW, EO, FN)

# A bench press that moved last 3 weeks ago no better than before (stall window: 3 weeks).
FLAT_LOG = [{"week": w, "load": 100} for w in range(1, 7)]
RISING_LOG = [{"week": w, "load": 100 + 2.5 * w} for w in range(1, 7)]


# --------------------------------------------------------------------------- helpers


def advise_on(ws: Workspace, **changes: Any) -> Advice:
    """Advice for BASE_ATHLETE with changes, on any workspace (the shipped one or a copy)."""
    return advise(parse_athlete(dump(athlete_dict(**changes)), "athlete.yaml", ws.kb), ws)


def recs(advice: Advice, name: str) -> list[dict[str, Any]]:
    return [r for r in advice["recommendations"] if r["method"] == name]


def candidate(advice: Advice, name: str, key: str) -> dict[str, Any]:
    """The candidate (pairing id or exercise name) of a method."""
    return next(c for c in method(advice, name)["candidates"]
                if c.get("pairing") == key or c.get("exercise") == key)


def warnings_of(advice: Advice, name: str, rule: str) -> list[str]:
    return [w["message"] for w in method(advice, name)["warnings"] if w["rule"] == rule]


def background(advice: Advice) -> dict[str, dict[str, Any]]:
    return {b["concept"]: b for b in advice["background"]}


def decided_by(advice: Advice, name: str) -> str | None:
    by = method(advice, name)["decided_by"]
    return by["rule"] if by else None


def param(kb: Knowledge, name: str, parameter: str) -> Any:
    return kb.methods[name].parameters[parameter].value


def muscles(kb: Knowledge, exercise: str) -> set[str]:
    found = kb.exercise(exercise)
    assert found is not None, f"unknown exercise {exercise!r}"
    return set(found.muscles)


def pairing_exercises(kb: Knowledge, rec: dict[str, Any]) -> list[str]:
    """Canonical names of both exercises of a recommendation's pairing."""
    pairing = rec["pairing"]
    out = []
    for side in ("concentric", "eccentric"):
        found = kb.exercise(pairing[side])
        assert found is not None
        out.append(found.name)
    return out


def workspace_with_pairing(tmp_path: Path, concentric: str, eccentric: str) -> Workspace:
    """A workspace on copies of the shipped rules and knowledge, with one more AEL pairing."""
    rules = tmp_path / "rules"
    knowledge = tmp_path / "knowledge"
    shutil.copytree(shipped("rules"), rules)
    shutil.copytree(shipped("knowledge"), knowledge)
    extra = {"pairings": [{
        "id": "test-deadlift-pairing", "method": AEL, "movement_target": "hinging",
        "concentric": concentric, "eccentric": eccentric, "source": "project-default",
        "note": "Added by a test to check that no deadlift pairing is ever used.",
    }]}
    (knowledge / "zz-test-pairings.yaml").write_text(dump(extra), encoding="utf-8")
    return open_workspace("advise", rules=rules, knowledge=knowledge)


# --------------------------------------------------------------------------- angelino-ael


def test_a1_pairings_lift_with_one_movement_and_lower_with_a_harder_one(
        ws: Workspace, run_advice: RunAdvice) -> None:
    kb = ws.kb
    ael = [p for p in kb.pairings.values() if p.method == AEL]
    assert ael
    for p in ael:
        up, down = kb.exercise(p.concentric), kb.exercise(p.eccentric)
        assert up is not None and down is not None, p.id
        assert up.name != down.name, f"{p.id}: lifts and lowers with the same exercise"
        if down.laterality == "unilateral":
            # two limbs up, one limb down
            assert down.unilateral_of == up.name, p.id
            assert up.laterality == "bilateral", p.id
        else:
            # one movement up, a different (harder) one down
            assert down.unilateral_of != up.name, p.id
    pairs = {(p.concentric, p.eccentric) for p in ael}
    assert ("dumbbell bench press", "dumbbell chest flye") in pairs
    assert ("bilateral leg extension", "unilateral leg extension") in pairs
    # Through the engine: with the flye's 1RM known, the press-up / flye-down pairing is chosen.
    rec = recs(run_advice(one_rep_max={"dumbbell chest flye": 20}), AEL)[0]
    assert rec["pairing"] == {"id": "db-bench-press-to-chest-flye",
                              "concentric": "dumbbell bench press",
                              "eccentric": "dumbbell chest flye"}
    # ... and for a stalled squat with the one-leg extension's 1RM, the two-to-one leg extension.
    rec = recs(run_advice(lifts=[{"name": "squat", "stalled": True}],
                          one_rep_max={"unilateral leg extension": 40}), AEL)[0]
    assert rec["pairing"]["concentric"] == "bilateral leg extension"
    assert rec["pairing"]["eccentric"] == "unilateral leg extension"


A2_TABLE = {
    ("pressing", "dumbbell bench press", "dumbbell close-grip chest press"),
    ("pulling", "dumbbell rear delt row", "dumbbell rear delt flye"),
    ("pulling", "dumbbell hammer curl", "dumbbell reverse curl"),
    ("squatting", "bilateral leg press", "unilateral leg press"),
    ("squatting", "bilateral lying leg curl", "unilateral lying leg curl"),
    ("hinging", "bilateral smith machine hip thrust", "unilateral smith machine hip thrust"),
    # the two pairings from the text (A1)
    ("pressing", "dumbbell bench press", "dumbbell chest flye"),
    ("squatting", "bilateral leg extension", "unilateral leg extension"),
}


def test_a2_pairings_table_is_in_the_knowledge(ws: Workspace) -> None:
    kb = ws.kb
    found = {(p.movement_target, p.concentric, p.eccentric)
             for p in kb.pairings.values() if p.method == AEL}
    assert found >= A2_TABLE, f"missing: {sorted(A2_TABLE - found)}"
    for p in kb.pairings.values():
        if (p.movement_target, p.concentric, p.eccentric) in A2_TABLE:
            assert p.cite.source == "angelino-ael", p.id
            for side in (p.concentric, p.eccentric):
                exercise = kb.exercise(side)
                assert exercise is not None and exercise.name == side, \
                    f"{p.id}: '{side}' is not a canonical exercise name"


def test_a3_shipped_rules_never_pair_the_deadlift(ws: Workspace, run_advice: RunAdvice) -> None:
    kb = ws.kb
    for p in kb.pairings.values():
        for side in (p.concentric, p.eccentric):
            exercise = kb.exercise(side)
            assert exercise is not None and exercise.family != "deadlift", p.id
    advice = run_advice(lifts=[{"name": "deadlift", "stalled": True}])
    ael = recs(advice, AEL)
    assert ael, "the deadlift's muscles should still be trained indirectly"
    for rec in ael:
        assert rec["target_lift"] == "deadlift"
        for name in pairing_exercises(kb, rec):
            assert kb.exercises[name].family != "deadlift", rec["pairing"]
        # indirectly: the lowering exercise trains a muscle of the deadlift
        lift = kb.lifts["deadlift"]
        assert muscles(kb, rec["pairing"]["eccentric"]) & set(lift.muscles)
    notes = warnings_of(advice, AEL, "ael-deadlift-indirectly")
    assert notes and "never loaded eccentrically" in notes[0]
    assert "indirectly" in ws.compiled.rules["ael-deadlift-indirectly"].title


@pytest.mark.parametrize(("concentric", "eccentric"), [
    pytest.param("conventional deadlift", "romanian deadlift", id="deadlift-up"),
    pytest.param(
        "bilateral smith machine hip thrust", "romanian deadlift", id="deadlift-down"),
    pytest.param(
        "deadlift", "unilateral smith machine hip thrust", id="deadlift-by-alias"),
])
def test_a3_a_deadlift_pairing_is_blocked(tmp_path: Path, concentric: str,
                                          eccentric: str) -> None:
    ws = workspace_with_pairing(tmp_path, concentric, eccentric)
    eccentric_name = ws.kb.exercise(eccentric)
    assert eccentric_name is not None
    advice = advise_on(ws, lifts=[{"name": "deadlift", "stalled": True}],
                       one_rep_max={eccentric_name.name: 100})
    blocked = candidate(advice, AEL, "test-deadlift-pairing")
    assert blocked["status"] == "blocked"
    assert blocked["decided_by"]["rule"] == "ael-never-pair-deadlift"
    assert blocked["decided_by"]["source"]["id"] == "angelino-ael"
    for rec in recs(advice, AEL):
        assert rec["pairing"]["id"] != "test-deadlift-pairing"
        for name in pairing_exercises(ws.kb, rec):
            assert ws.kb.exercises[name].family != "deadlift"


@pytest.mark.parametrize("lift", [
    pytest.param({"name": "bench press", "stalled": True}, id="reported"),
    pytest.param({"name": "bench press", "log": FLAT_LOG}, id="from-log"),
])
def test_a4_a_stalled_lift_gets_ael_mid_cycle(run_advice: RunAdvice,
                                              lift: dict[str, Any]) -> None:
    advice = run_advice(cycle_week=6, recovery="normal", lifts=[lift])
    ael = method(advice, AEL)
    assert ael["status"] == "recommended"
    assert ael["decided_by"]["rule"] == "ael-recommend-for-stalled-lift"
    assert [r["target_lift"] for r in recs(advice, AEL)] == ["bench press"]
    expected = "lift-stalled-as-given" if "stalled" in lift else "lift-stalled-from-log"
    assert expected in fired(advice)


@pytest.mark.parametrize("lift", [
    pytest.param({"name": "bench press", "stalled": False}, id="reported"),
    pytest.param({"name": "bench press", "log": RISING_LOG}, id="from-log"),
])
def test_a4_without_a_stall_mid_cycle_waits(run_advice: RunAdvice,
                                            lift: dict[str, Any]) -> None:
    advice = run_advice(cycle_week=6, recovery="normal", lifts=[lift])
    assert method(advice, AEL)["status"] == "not-now"
    assert decided_by(advice, AEL) == "ael-wait-for-timing"
    assert not recs(advice, AEL)


def test_a5_three_lowest_volume_days_in_the_first_three_weeks(
        ws: Workspace, run_advice: RunAdvice) -> None:
    assert param(ws.kb, AEL, "days_per_week") == 3
    assert param(ws.kb, AEL, "cycle_start_weeks") == 3
    start = run_advice()
    where = warnings_of(start, AEL, "ael-where-in-the-week")
    assert len(where) == 1
    assert "3 days of the week" in where[0] and "lowest training volume" in where[0]
    assert not warnings_of(start, AEL, "ael-mid-cycle-placement")
    mid = run_advice(cycle_week=6, recovery="normal")
    placement = warnings_of(mid, AEL, "ael-mid-cycle-placement")
    assert len(placement) == 1
    assert "next cycle" in placement[0] and "first 3 weeks" in placement[0]
    assert method(mid, AEL)["when"] == "next-cycle"
    assert [w["week"] for w in recs(mid, AEL)[0]["weeks"]] == [1, 2, 3]


@pytest.mark.parametrize("lift", ["bench press", "squat", "deadlift", "overhead press",
                                  "pull-up", "barbell row"])
def test_a6_one_pairing_that_trains_a_muscle_of_the_lift(
        ws: Workspace, run_advice: RunAdvice, lift: str) -> None:
    assert param(ws.kb, AEL, "pairings_per_block") == 1
    advice = run_advice(lifts=[{"name": lift, "stalled": True}])
    ael = recs(advice, AEL)
    assert len(ael) == 1
    rec = ael[0]
    assert rec["target_lift"] == lift
    shared = muscles(ws.kb, rec["pairing"]["eccentric"]) & set(ws.kb.lifts[lift].muscles)
    assert shared, f"{rec['pairing']['id']} trains no muscle of the {lift}"


def test_a6_one_pairing_even_with_two_stalled_lifts(ws: Workspace,
                                                    run_advice: RunAdvice) -> None:
    advice = run_advice(lifts=[{"name": "bench press", "stalled": True},
                               {"name": "squat", "stalled": True}])
    ael = recs(advice, AEL)
    assert len(ael) == 1
    lift = ws.kb.lifts[ael[0]["target_lift"]]
    assert muscles(ws.kb, ael[0]["pairing"]["eccentric"]) & set(lift.muscles)


def test_a7_replaces_accessory_work_or_goes_at_the_end(run_advice: RunAdvice) -> None:
    where = warnings_of(run_advice(), AEL, "ael-where-in-the-week")
    assert len(where) == 1
    assert "in place of those days' accessory exercises" in where[0]
    assert "at the end of the workout" in where[0]


def test_a8_load_is_based_on_the_lowering_exercise(run_advice: RunAdvice) -> None:
    flye = recs(run_advice(one_rep_max={"dumbbell chest flye": 20}), AEL)[0]
    assert flye["load_basis"] == {"exercise": "dumbbell chest flye", "one_rep_max": 20.0}
    assert flye["load_basis"]["exercise"] == flye["pairing"]["eccentric"]
    assert [w["exact_load"] for w in flye["weeks"]] == [21.0, 21.5, 22.0]


def test_a8_the_lifting_exercise_1rm_gives_no_load(run_advice: RunAdvice) -> None:
    advice = run_advice(one_rep_max={"dumbbell bench press": 40})
    rec = recs(advice, AEL)[0]
    assert rec["pairing"]["concentric"] == "dumbbell bench press"
    basis = rec["load_basis"]
    assert basis["exercise"] == rec["pairing"]["eccentric"] != "dumbbell bench press"
    assert basis["one_rep_max"] is None
    assert all(w["load"] is None and w["exact_load"] is None for w in rec["weeks"])
    assert any(f"Find your concentric 1RM of the {basis['exercise']} first" in n
               for n in rec["notes"])
    assert warnings_of(advice, AEL, "ael-find-eccentric-1rm")


@pytest.mark.parametrize(("units", "one_rm", "exact", "loads"), [
    pytest.param("kg", 30, [31.5, 32.25, 33.0], [32.0, 32.0, 34.0], id="kg"),
    pytest.param("lb", 70, [73.5, 75.25, 77.0], [75.0, 75.0, 75.0], id="lb"),
])
def test_a9_a10_a11_105_percent_3x10_plus_2_5_a_week(
        ws: Workspace, run_advice: RunAdvice, units: str, one_rm: float,
        exact: list[float], loads: list[float]) -> None:
    advice = run_advice(units=units, one_rep_max={"dumbbell close-grip chest press": one_rm})
    rx = method(advice, AEL)["prescription"]
    assert rx["start_percent_1rm"]["value"] == 105
    assert rx["weekly_increase_percent_1rm"]["value"] == 2.5
    assert rx["sets"]["value"] == 3 and rx["reps"]["value"] == 10
    dose = ("start_percent_1rm", "weekly_increase_percent_1rm", "sets", "reps")
    assert {rx[p]["rule"] for p in dose} == {"ael-dose"}
    rec = recs(advice, AEL)[0]
    assert rec["pairing"]["eccentric"] == "dumbbell close-grip chest press"
    assert (rec["sets"], rec["reps"]) == (3, 10)
    assert [w["week"] for w in rec["weeks"]] == [1, 2, 3]
    assert [w["percent_1rm"] for w in rec["weeks"]] == [105.0, 107.5, 110.0]
    assert [w["exact_load"] for w in rec["weeks"]] == exact
    assert [w["load"] for w in rec["weeks"]] == loads
    step = Decimal(str(ws.kb.rounding_step(units, ("dumbbells", "bench"))))
    for i, w in enumerate(rec["weeks"]):
        raw = Decimal(str(one_rm)) * Decimal(str(w["percent_1rm"])) / 100
        assert w["exact_load"] == float(raw)
        assert Decimal(str(w["load"])) % step == 0  # a dumbbell that exists
        assert w["percent_lifted"] == round(w["load"] / one_rm * 100, 2)
        assert w["load_convention"] == "per-dumbbell"
        # A load equal to the week before's says the weekly step vanished.
        erased = i > 0 and w["load"] == rec["weeks"][i - 1]["load"]
        assert (w["rounding_note"] == "step-erased") == erased
        assert w["units"] == units
    # a weight you can lower but not lift: above the 1RM every week
    assert all(w["exact_load"] > one_rm for w in rec["weeks"])


def test_a12_start_of_cycle_well_rested_not_stalled(run_advice: RunAdvice) -> None:
    advice = run_advice(lifts=[{"name": "bench press", "stalled": False}])
    assert method(advice, AEL)["status"] == "recommended"
    assert decided_by(advice, AEL) == "ael-recommend-at-cycle-start"
    assert "ael-at-cycle-start" in fired(advice)


@pytest.mark.parametrize("changes", [
    pytest.param({"recovery": "normal"}, id="cycle-start-not-rested"),
    pytest.param({"cycle_week": 2}, id="rested-but-week-2"),
])
def test_a12_otherwise_not_now(run_advice: RunAdvice, changes: dict[str, Any]) -> None:
    advice = run_advice(lifts=[{"name": "bench press", "stalled": False}], **changes)
    assert method(advice, AEL)["status"] == "not-now"
    assert decided_by(advice, AEL) == "ael-wait-for-timing"
    assert not recs(advice, AEL)
    assert "training quality later" in method(advice, AEL)["reasons"][0]


def test_a12_not_when_fatigued_even_if_stalled(run_advice: RunAdvice) -> None:
    advice = run_advice(recovery="fatigued")
    assert method(advice, AEL)["status"] == "not-now"
    assert decided_by(advice, AEL) == "ael-not-when-fatigued"
    assert not recs(advice, AEL)


def test_a13_three_weeks_at_a_time(ws: Workspace, run_advice: RunAdvice) -> None:
    assert param(ws.kb, AEL, "weeks") == 3
    done = run_advice(accentuated_eccentric_weeks_done=3)
    assert method(done, AEL)["status"] == "not-now"
    assert decided_by(done, AEL) == "ael-three-weeks-max"
    assert not recs(done, AEL)


@pytest.mark.parametrize(("done", "weeks", "percents"), [
    (1, [2, 3], [107.5, 110.0]),
    (2, [3], [110.0]),
])
def test_a13_a_block_under_way_covers_only_the_weeks_left(
        run_advice: RunAdvice, done: int, weeks: list[int], percents: list[float]) -> None:
    advice = run_advice(accentuated_eccentric_weeks_done=done, cycle_week=done + 1,
                        lifts=[{"name": "bench press", "stalled": False}])
    rec = recs(advice, AEL)[0]
    assert [w["week"] for w in rec["weeks"]] == weeks
    assert [w["percent_1rm"] for w in rec["weeks"]] == percents
    assert "ael-continue-block" in fired(advice)


def test_a14_novices_skip_ael(run_advice: RunAdvice) -> None:
    advice = run_advice(experience="novice")
    ael = method(advice, AEL)
    assert ael["status"] == "blocked"
    assert ael["decided_by"]["rule"] == "ael-skip-novice"
    assert ael["decided_by"]["source"]["id"] == "angelino-ael"
    assert not recs(advice, AEL)
    # the two articles differ: the reasons cite both, each for its own method
    assert ael["reasons"][0].startswith("Novices skip accentuated eccentric loading")
    assert any(r.startswith("See also [eo-beginner-start] (eccentric-training)")
               for r in ael["reasons"])
    step = next(s for s in advice["explanation"] if s["rule"] == "ael-skip-novice")
    assert step["source"]["id"] == "angelino-ael"


def test_a14_e4_stalled_novice_gets_eccentric_only_at_105(run_advice: RunAdvice) -> None:
    advice = run_advice(experience="novice", one_rep_max={"barbell bench press": 100})
    eo = method(advice, EO)
    assert eo["status"] == "recommended"
    pct = eo["prescription"]["percent_1rm"]
    assert pct["value"] == 105
    assert pct["rule"] == "eo-beginner-start"
    assert pct["overrides"] == [{"rule": "eo-nsca-load", "value": 125}]
    rec = recs(advice, EO)[0]
    assert rec["weeks"][0]["percent_1rm"] == 105.0
    assert rec["weeks"][0]["load"] == 105.0
    assert "eo-beginner-start" in rec["rules"]
    step = next(s for s in advice["explanation"] if s["rule"] == "eo-beginner-start")
    assert step["source"]["id"] == "eccentric-training"


def test_a14_beginner_load_names_the_skip_novice_rule(run_advice: RunAdvice) -> None:
    advice = run_advice(experience="novice")
    shown = json.dumps(method(advice, EO)) + json.dumps(
        [s for s in advice["explanation"] if s["rule"] == "eo-beginner-start"])
    assert "ael-skip-novice" in shown


def test_a15_why_ael_works_is_in_the_background(ws: Workspace, run_advice: RunAdvice) -> None:
    wanted = {"ael-mechanism": ["deluca-1982"],
              "ael-neural": ["brandenburg-2002", "walker-2016"],
              "ael-fatigue": []}
    advice = run_advice()
    assert method(advice, AEL)["status"] == "recommended"
    shown = background(advice)
    for concept, cites in wanted.items():
        assert concept in shown, concept
        assert shown[concept]["source"]["id"] == "angelino-ael"
        assert shown[concept]["cites"] == cites
        for cite in cites:
            assert ws.kb.sources[cite].kind == "study"
            assert ws.kb.sources[cite].cited_by == "angelino-ael"
    assert "motor units" in shown["ael-mechanism"]["statement"]
    assert "neural" in shown["ael-neural"]["statement"]
    assert "fatigued" in shown["ael-fatigue"]["statement"]
    # not shown when the method is not on the table
    waiting = run_advice(recovery="normal", lifts=[{"name": "bench press", "stalled": False}])
    assert not set(wanted) & set(background(waiting))


# --------------------------------------------------------------------------- eccentric-training


def test_e1_rep_phases_and_eccentric_strongest(ws: Workspace, run_advice: RunAdvice) -> None:
    for advice in (run_advice(), run_advice(recovery="fatigued")):
        shown = background(advice)
        assert {"rep-phases", "eccentric-strongest"} <= set(shown)
    phases = ws.kb.concepts["rep-phases"]
    assert all(w in phases.statement for w in ("concentric", "isometric", "eccentric"))
    strongest = ws.kb.concepts["eccentric-strongest"].statement
    assert strongest.index("most force when lowering") < strongest.index("less when holding") \
        < strongest.index("least when lifting")
    for concept in ("rep-phases", "eccentric-strongest"):
        assert ws.kb.concepts[concept].cite.source == "eccentric-training"


def test_e2_advanced_technique_for_plateaus_used_sparingly(run_advice: RunAdvice) -> None:
    advice = run_advice()
    plateaus = background(advice)["advanced-plateaus"]
    assert "plateaus" in plateaus["statement"] and "advanced" in plateaus["statement"]
    sparingly = [w for w in advice["warnings"] if w["rule"] == "negatives-sparingly"]
    assert len(sparingly) == 1
    assert "sparingly" in sparingly[0]["message"]


def test_e3_slow_and_controlled_1s_up_4s_down_no_pause(run_advice: RunAdvice) -> None:
    advice = run_advice(partner=False, cycle_week=6, recovery="normal")
    slow = method(advice, SLOW)
    rx = {k: v["value"] for k, v in slow["prescription"].items()}
    tempo = ("concentric_seconds", "eccentric_seconds", "bottom_pause_seconds")
    assert {k: rx[k] for k in tempo} == {"concentric_seconds": 1, "eccentric_seconds": 4,
                                         "bottom_pause_seconds": 0}
    assert slow["status"] == "recommended"
    rec = recs(advice, SLOW)[0]
    assert rec["tempo"] == {"concentric_seconds": 1.0, "eccentric_seconds": 4.0,
                            "bottom_pause_seconds": 0.0}


def test_e4_eccentric_only_nsca_125_percent_3_sets_6_to_10(
        ws: Workspace, run_advice: RunAdvice) -> None:
    # Mid-cycle: the accentuated-eccentric block waits for the next cycle, so the stalled bench
    # press can take eccentric-only reps now (one negative method per lift at a time).
    advice = run_advice(one_rep_max={"barbell bench press": 100}, cycle_week=6,
                        recovery="normal")
    eo = method(advice, EO)
    assert eo["status"] == "recommended" and eo["when"] == "now"
    assert eo["decided_by"]["rule"] == "eo-for-stalled-lift"
    rx = {k: (v["value"], v["rule"]) for k, v in eo["prescription"].items()}
    assert {k: rx[k] for k in ("percent_1rm", "sets", "reps_min", "reps_max")} == {
        "percent_1rm": (125, "eo-nsca-load"), "sets": (3, "eo-nsca-load"),
        "reps_min": (6, "eo-nsca-load"), "reps_max": (10, "eo-nsca-load")}
    assert rx["build_up_start_percent_1rm"] == (105, "eo-progressive-build-up")
    rec = recs(advice, EO)[0]
    assert rec["target_lift"] == "bench press"
    exercise = ws.kb.exercises[rec["exercise"]]
    assert exercise.family == "bench press" and exercise.spottable
    assert (rec["sets"], rec["reps_min"], rec["reps"]) == (3, 6, 10)
    # A progressive build-up to 125% (E4), on the loads a barbell takes.
    assert [w["percent_1rm"] for w in rec["weeks"]] == [105.0, 115.0, 125.0]
    assert [w["load"] for w in rec["weeks"]] == [105.0, 115.0, 125.0]
    assert [w["week"] for w in rec["weeks"]] == [6, 7, 8]
    assert rec["load_basis"] == {"exercise": "barbell bench press", "one_rep_max": 100.0}


def test_e4_eccentric_only_needs_a_stalled_lift(run_advice: RunAdvice) -> None:
    advice = run_advice(lifts=[{"name": "bench press", "stalled": False}])
    assert method(advice, EO)["status"] == "allowed"
    assert not recs(advice, EO)


def test_e5_forced_negatives_2_to_4_on_the_last_reps(ws: Workspace,
                                                    run_advice: RunAdvice) -> None:
    assert param(ws.kb, FN, "last_reps_only") is True
    advice = run_advice()
    fn = method(advice, FN)
    rx = {k: (v["value"], v["rule"]) for k, v in fn["prescription"].items()}
    assert {k: rx[k] for k in ("reps_min", "reps_max")} == {
        "reps_min": (2, "fn-last-reps-only"), "reps_max": (4, "fn-last-reps-only")}
    last = warnings_of(advice, FN, "fn-last-reps-only")
    assert len(last) == 1
    assert "Only at the end of a set" in last[0] and "2-4 times" in last[0]


def test_e6_never_on_an_exercise_that_cannot_be_spotted(ws: Workspace,
                                                       run_advice: RunAdvice) -> None:
    dead = run_advice(lifts=[{"name": "deadlift", "stalled": True}], partner=True)
    assert method(dead, EO)["status"] != "recommended"
    assert not recs(dead, EO) and not recs(dead, FN)
    for name in (EO, FN):
        c = candidate(dead, name, "conventional deadlift")
        assert c["status"] == "blocked"
        assert "eo-not-unspottable" in c["rules"]  # (a deadlift-only safety rule may win first)
    squat = run_advice(lifts=[{"name": "squat", "stalled": True}])
    assert not ws.kb.exercises["goblet squat"].spottable
    for name in (EO, FN):
        c = candidate(squat, name, "goblet squat")
        assert c["status"] == "blocked"
        assert c["decided_by"]["rule"] == "eo-not-unspottable"
    # One partner cannot lift a supramaximal squat for the athlete: no eccentric-only squats.
    assert not recs(squat, EO)
    assert candidate(squat, EO, "back squat")["decided_by"]["rule"] == "eo-partner-cannot-lift"
    bench = run_advice(cycle_week=6, recovery="normal")
    rec = recs(bench, EO)[0]
    exercise = ws.kb.exercises[rec["exercise"]]
    assert exercise.spottable and exercise.compound  # best for compound exercises
    for advice in (dead, squat, bench, run_advice()):
        for r in recs(advice, EO) + recs(advice, FN):
            assert ws.kb.exercises[r["exercise"]].spottable, r["exercise"]


def test_e7_without_a_partner_one_arm_exercises(run_advice: RunAdvice) -> None:
    advice = run_advice(partner=False)
    for name in (EO, FN):
        m = method(advice, name)
        assert m["status"] == "allowed"
        assert m["decided_by"]["rule"] == "eo-needs-partner-or-one-arm"
        assert "one-arm" in m["reasons"][0] and "one hand" in m["reasons"][0]
    assert not recs(advice, EO)
    step = next(s for s in advice["explanation"] if s["rule"] == "eo-needs-partner-or-one-arm")
    assert "one-arm exercises only" in step["conclusion"]
    assert "no-partner-one-arm" in background(advice)


def test_e8_risks_are_known_and_fatigue_stops_everything(
        ws: Workspace, run_advice: RunAdvice) -> None:
    for concept in ("risk-muscle-damage", "risk-overtraining", "risk-joints-tendons",
                    "risk-form"):
        assert ws.kb.concepts[concept].cite.source == "eccentric-training"
        assert concept in background(run_advice())
    advice = run_advice(recovery="fatigued")
    assert {m["method"]: m["status"] for m in advice["methods"]} == \
        dict.fromkeys(ALL_METHODS, "not-now")
    assert advice["verdict"] == "not-now" and advice["answer"] == "no"
    assert not advice["recommendations"]
    assert decided_by(advice, SLOW) == "negatives-not-when-fatigued"
    assert decided_by(advice, EO) == "negatives-not-when-fatigued"
    assert decided_by(advice, FN) == "negatives-not-when-fatigued"


def test_e9_phase_examples_bench_press_and_lat_pulldown(ws: Workspace,
                                                        run_advice: RunAdvice) -> None:
    statement = ws.kb.concepts["phase-examples"].statement
    assert "Bench press" in statement and "Lat pulldown" in statement
    assert ws.kb.exercise("bench press") is not None
    assert ws.kb.exercise("lat pulldown") is not None
    assert "phase-examples" in background(run_advice())


def test_e10_rehabilitation_shown_with_slow_eccentrics(ws: Workspace,
                                                       run_advice: RunAdvice) -> None:
    assert ws.kb.concepts["rehabilitation"].methods == (SLOW,)
    advice = run_advice()
    assert method(advice, SLOW)["status"] == "allowed"
    assert "rehabilitation" in background(advice)
    tired = run_advice(recovery="fatigued")
    assert method(tired, SLOW)["status"] == "not-now"
    assert "rehabilitation" not in background(tired)
