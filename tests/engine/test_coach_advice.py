"""Regression tests: each wrong answer of issue 9 ("Why") stays fixed in advise, plan, audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from negatives.engine.advice.planfile import plan_file
from negatives.engine.audit.audit import audit
from negatives.engine.infer.workspace import Workspace, open_workspace
from negatives.engine.load.yamlio import dump, parse_text
from negatives.engine.model.athlete import parse_athlete
from negatives.engine.model.program import program_from_doc
from tests.conftest import athlete_dict, method

RunAdvice = Callable[..., dict[str, Any]]
AEL, EO, SLOW = "accentuated-eccentric", "eccentric-only", "slow-eccentric"
AUDIT = open_workspace("audit")


def recs(advice: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [r for r in advice["recommendations"] if r["method"] == name]


def plan_and_audit(ws: Workspace, **changes: Any) -> tuple[str | None, list[str]]:
    """What `plan` writes for BASE_ATHLETE with changes, and the audit's errors and warnings."""
    athlete = parse_athlete(dump(athlete_dict(**changes)), "athlete.yaml", ws.kb)
    _, written = plan_file(athlete, ws)
    if written.text is None:
        return None, []
    program = program_from_doc(parse_text(written.text, "plan.yaml"), AUDIT.kb)
    return written.text, [f"{f.rule}: {f.message}" for f in audit(program, AUDIT, athlete)
                          if f.severity != "info"]


def test_eccentric_only_on_a_315_lb_bench_never_goes_above_125_percent(
        ws: Workspace, run_advice: RunAdvice) -> None:
    changes = {"experience": "advanced", "units": "lb", "cycle_week": 6, "recovery": "normal",
               "one_rep_max": {"barbell bench press": 315}}
    eo = recs(run_advice(**changes), EO)[0]
    assert [w["load"] for w in eo["weeks"]] == [330, 360, 390]  # 395 lb would be 125.4%
    assert [w["percent_lifted"] for w in eo["weeks"]] == [104.76, 114.29, 123.81]
    text, found = plan_and_audit(ws, **changes)
    assert text and "load: 390" in text and found == []


def test_a_novice_at_105_percent_stays_at_or_below_it(ws: Workspace,
                                                      run_advice: RunAdvice) -> None:
    changes = {"experience": "novice", "cycle_week": 4, "recovery": "normal",
               "one_rep_max": {"barbell bench press": 76}}
    eo = recs(run_advice(**changes), EO)[0]
    assert {w["load"] for w in eo["weeks"]} == {77.5}  # 80 kg would be 105.3%
    assert all(w["percent_lifted"] <= 105 for w in eo["weeks"])
    assert plan_and_audit(ws, **changes)[1] == []


def test_no_dumbbell_step_near_105_percent_of_a_12_kg_1rm_keeps_the_percentages(
        ws: Workspace, run_advice: RunAdvice) -> None:
    changes = {"one_rep_max": {"dumbbell close-grip chest press": 12}}
    ael = recs(run_advice(**changes), AEL)[0]
    assert [w["load"] for w in ael["weeks"]] == [None, None, None]  # 12 or 14 kg: 100%, 117%
    assert {w["rounding_note"] for w in ael["weeks"]} == {"no-load-fits"}
    text, found = plan_and_audit(ws, **changes)
    assert text and "percent_1rm: 105" in text and found == []


def test_one_negative_method_per_lift_and_sparing_days(ws: Workspace,
                                                       run_advice: RunAdvice) -> None:
    advice = run_advice(one_rep_max={"dumbbell close-grip chest press": 30,
                                     "barbell bench press": 100})
    assert [r["method"] for r in advice["recommendations"]] == [AEL]
    bench = next(c for c in method(advice, EO)["candidates"]
                 if c["exercise"] == "barbell bench press")
    assert bench["decided_by"]["rule"] == "one-negative-method-per-lift"
    text, found = plan_and_audit(ws, one_rep_max={"barbell bench press": 100,
                                                  "dumbbell close-grip chest press": 30})
    assert text and "eccentric-only" not in text and found == []


def test_no_eccentric_only_right_after_a_finished_block(run_advice: RunAdvice) -> None:
    advice = run_advice(accentuated_eccentric_weeks_done=3, cycle_week=4, recovery="normal",
                        one_rep_max={"barbell bench press": 100})
    eo = method(advice, EO)
    assert eo["status"] == "not-now" and eo["when"] == "next-cycle"
    assert eo["decided_by"]["rule"] == "eo-not-after-ael-block"
    assert advice["answer"] == "no" and not advice["recommendations"]


def test_no_partner_lowered_back_squat_or_overhead_press(run_advice: RunAdvice) -> None:
    advice = run_advice(cycle_week=6, recovery="normal",
                        lifts=[{"name": "squat", "stalled": True},
                               {"name": "overhead press", "stalled": True}])
    used = {r["exercise"] for r in recs(advice, EO)}
    assert "back squat" not in used and "overhead press" not in used
    assert used <= {"machine shoulder press"}
    for name in ("back squat", "overhead press"):
        c = next(c for c in method(advice, EO)["candidates"] if c["exercise"] == name)
        assert c["decided_by"]["rule"] == "eo-partner-cannot-lift"


def test_more_reps_at_the_same_load_is_progress_not_a_stall(run_advice: RunAdvice) -> None:
    log = [{"week": w, "load": 100, "reps": w + 2} for w in range(1, 7)]
    advice = run_advice(cycle_week=6, recovery="normal",
                        lifts=[{"name": "bench press", "log": log}])
    assert advice["answer"] == "no"
    steps = {s["rule"] for s in advice["explanation"]}
    assert "lift-stalled-from-log" not in steps


def test_a_log_too_short_says_so(run_advice: RunAdvice) -> None:
    advice = run_advice(lifts=[{"name": "squat", "log": [{"week": 1, "load": 100, "reps": 5}]}])
    warned = [w["message"] for w in advice["warnings"] if w["rule"] == "lift-log-too-short"]
    assert len(warned) == 1 and "too short to judge" in warned[0]


def test_a_fresh_block_in_cycle_week_3_waits_for_the_next_cycle(
        ws: Workspace, run_advice: RunAdvice) -> None:
    advice = run_advice(cycle_week=3, recovery="normal")
    ael = method(advice, AEL)
    assert (ael["when"], ael["when_rule"]) == ("next-cycle", "ael-block-next-cycle")
    assert [w["week"] for w in recs(advice, AEL)[0]["weeks"]] == [1, 2, 3]
    # Nothing else to do now for a stalled deadlift: the plan is the next cycle's block.
    text, found = plan_and_audit(ws, cycle_week=3, recovery="normal",
                                 lifts=[{"name": "deadlift", "stalled": True}])
    assert text and "  - week: 1\n" in text and "  - week: 3\n" in text
    assert "  - week: 4\n" not in text and found == []


def test_a_lifting_movement_weaker_than_the_lowering_load_is_not_prescribed(
        run_advice: RunAdvice) -> None:
    advice = run_advice(one_rep_max={"dumbbell close-grip chest press": 30,
                                     "dumbbell bench press": 28})
    assert all(r["pairing"]["id"] != "db-bench-press-to-close-grip-press"
               for r in recs(advice, AEL))
    strong = run_advice(one_rep_max={"dumbbell close-grip chest press": 30,
                                     "dumbbell bench press": 33})
    weeks = recs(strong, AEL)[0]["weeks"]
    assert all(w["load"] <= 33 for w in weeks)  # never more than the press can lift


def test_rounding_says_when_a_weekly_step_vanishes(run_advice: RunAdvice) -> None:
    ael = recs(run_advice(), AEL)[0]  # a 30 kg close-grip press 1RM, 2 kg dumbbells
    assert [w["load"] for w in ael["weeks"]] == [32, 32, 34]
    assert [w["rounding_note"] for w in ael["weeks"]] == [None, "step-erased", None]
    assert [w["percent_lifted"] for w in ael["weeks"]] == [106.67, 106.67, 113.33]


def test_every_load_states_its_convention(run_advice: RunAdvice) -> None:
    advice = run_advice(lifts=[{"name": "pull-up", "stalled": True}], cycle_week=6,
                        recovery="normal", one_rep_max={"lat pulldown": 80})
    for r in advice["recommendations"]:
        assert all(w["load_convention"] for w in r["weeks"])
    ael = recs(run_advice(), AEL)[0]
    assert {w["load_convention"] for w in ael["weeks"]} == {"per-dumbbell"}
    assert "per dumbbell" in run_advice()["load_texts"]["conventions"]["per-dumbbell"]


def test_dumbbell_1rms_given_for_both_dumbbells_are_halved(run_advice: RunAdvice) -> None:
    both = run_advice(dumbbell_one_rep_max="both-dumbbells",
                      one_rep_max={"dumbbell close-grip chest press": 60})
    assert recs(both, AEL)[0]["load_basis"]["one_rep_max"] == 30.0
