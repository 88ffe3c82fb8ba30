"""Sentence templates: rule placeholders filled from firings, phrase placeholders checked."""

from __future__ import annotations

from negatives.engine.model.templates import (
    PHRASES,
    fill_named,
    fill_rule,
    unknown_phrase_placeholders,
)


def test_a_rule_placeholder_takes_the_matched_value() -> None:
    text = fill_rule("Week {a.cycle_week} of your cycle, {a.recovery}.",
                     [{"a": {"cycle_week": 1.0, "recovery": "well-rested"}}])
    assert text == "Week 1 of your cycle, well-rested."


def test_several_firings_make_one_sentence_listing_each_value_once() -> None:
    bindings = [{"t": {"lift": "squat"}, "u": {"equipment": e}}
                for e in ("leg press machine", "smith machine", "leg press machine")]
    text = fill_rule("every pairing for your {t.lift} needs: {u.equipment}.", bindings)
    assert text == "every pairing for your squat needs: leg press machine, smith machine."


def test_display_names_ids_and_dotted_fields_reach_in() -> None:
    names = {"anterior-deltoids": "front shoulders"}
    text = fill_rule("{em.muscle} ({x.deep.value})",
                     [{"em": {"muscle": "anterior-deltoids"}, "x": {"deep": {"value": 2.5}}}],
                     lambda field, v: names.get(str(v), str(v)))
    assert text == "front shoulders (2.5)"


def test_a_missing_value_shows_as_a_question_mark_not_an_error() -> None:
    assert fill_rule("{a.nothing}", [{"a": {}}]) == "?"


def test_phrase_placeholders_are_checked_against_what_the_renderer_gives() -> None:
    assert unknown_phrase_placeholders("title", "{name}: should you?") == []
    assert unknown_phrase_placeholders("title", "{athlete} {x.y}") == ["athlete", "x.y"]
    assert set(PHRASES["plan-week"]) == {"week", "percent", "load", "units"}
    assert fill_named("week {week}: {percent}%", {"week": 2, "percent": 107.5}) == \
        "week 2: 107.5%"
