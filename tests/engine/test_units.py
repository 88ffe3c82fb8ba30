"""Unit tests of the small engine modules: each stage on plain inputs."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from negatives.engine.advice.plan import round_to
from negatives.engine.authoring.ruletest import Case, run_case
from negatives.engine.infer.resolve import Decision, _verdict
from negatives.engine.infer.workspace import open_workspace
from negatives.engine.language.compiler import _expand, stratify
from negatives.engine.language.lint import lint
from negatives.engine.language.rulemodel import (
    Conclusion,
    FieldTest,
    Group,
    Pattern,
    Ref,
    Rule,
    parse_value,
)
from negatives.engine.language.rules import RuleBase
from negatives.engine.load.diagnostics import Diagnostic, format_path
from negatives.engine.load.errors import InputError
from negatives.engine.load.validate import did_you_mean
from negatives.engine.load.yamlio import parse_text, write_atomic
from negatives.engine.model.kbread import load_knowledge
from negatives.engine.model.knowledge import Citation, name_key
from tests.conftest import ROOT

CITE = Citation("project-default", None, "test", "t.yaml", 1)


def rule(rid: str, patterns: tuple[Pattern, ...], conclusions: tuple[Conclusion, ...],
         priority: int = 1) -> Rule:
    return Rule(rid, rid, priority, patterns, conclusions, "because", CITE, (), (), "t.yaml", 1,
                "advise")


def pattern(fact: str, negated: bool = False, *tests: FieldTest) -> Pattern:
    return Pattern(fact, fact, negated, Group("all", tests), ())


def test_locate_points_at_keys_and_items() -> None:
    doc = parse_text("a: 1\nweeks:\n  - week: 1\n    days: []\n", "f.yaml")
    assert doc.locate(("weeks", 0, "days")) == (4, 5)
    assert doc.locate(("missing",)) == (1, 1)


def test_format_path_and_render() -> None:
    assert format_path(("weeks", 0, "days", 1)) == "weeks[0].days[1]"
    d = Diagnostic("f.yaml", 3, 5, "bad", "error", "schema", "weeks[0]")
    assert d.render() == "f.yaml:3:5: error bad [schema] (at weeks[0])"


def test_did_you_mean_only_when_close() -> None:
    assert did_you_mean("experiance", ["experience", "units"]) == " (did you mean 'experience'?)"
    assert did_you_mean("colour", ["experience", "units"]) == ""


def test_name_key_ignores_case_hyphens_and_apostrophes() -> None:
    assert name_key("Close-Grip  Bench_Press") == name_key("close grip bench press")
    assert name_key("farmer\u2019s walk") == name_key("farmer's walk")


def test_parse_value_references_and_escapes() -> None:
    assert parse_value("$m.weeks") == Ref("m", "weeks")
    assert parse_value("$$5") == "$5"
    assert parse_value(3) == 3


def test_disjunction_over_a_reference_is_split_but_literal_one_is_kept() -> None:
    ref_any = Group("any", (FieldTest("name", "eq", Ref("p", "a"), ()),
                            FieldTest("name", "eq", Ref("p", "b"), ())))
    assert len(_expand(Group("all", (ref_any,)))) == 2
    literal_any = Group("any", (FieldTest("name", "eq", "a", ()),
                                FieldTest("name", "eq", "b", ())))
    assert len(_expand(Group("all", (literal_any,)))) == 1


def test_stratify_puts_negation_above_the_producers() -> None:
    make = rule("make", (pattern("athlete"),), (Conclusion("assert", {"fact": "ok"}, ()),))
    negate = rule("negate", (pattern("athlete"), pattern("ok", True)),
                  (Conclusion("block", {"method": "x"}, ()),))
    assert stratify((make, negate)) == {"make": 0, "negate": 1}


def test_round_to_steps_half_up() -> None:
    assert round_to(Decimal("31.5"), 1) == Decimal("32")
    assert round_to(Decimal("62.99"), 2.5) == Decimal("62.5")
    assert round_to(Decimal("241.875"), 5) == Decimal("240")


def test_lower_priority_number_wins_and_ties_go_to_the_cautious_status() -> None:
    rec = Decision("recommended", "r", 50, "m", None, None, None, None, 1)
    block = Decision("blocked", "b", 1, "m", None, None, None, None, 2)
    assert _verdict([rec, block], "not-now").winner == block
    tie = Decision("not-now", "n", 50, "m", None, None, None, None, 3)
    verdict = _verdict([rec, tie], "not-now")
    assert verdict.status == "not-now" and verdict.overridden == [rec]


def test_lint_finds_contradictions_and_unread_facts() -> None:
    a = rule("a", (pattern("athlete"),), (Conclusion("block", {"method": "x"}, ()),
                                          Conclusion("assert", {"fact": "orphan"}, ())))
    b = rule("b", (pattern("athlete"),), (Conclusion("recommend", {"method": "x"}, ()),))
    codes = {d.code for d in lint(RuleBase("advise", (a, b)), {"athlete"})}
    assert codes == {"contradiction", "unread-fact"}


def test_write_atomic_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    write_atomic(target, "a: 1\n")
    assert target.read_text(encoding="utf-8") == "a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_unsafe_yaml_is_refused_before_anything_is_built() -> None:
    with pytest.raises(InputError) as err:
        parse_text("a: !!python/object/apply:os.system ['true']\n", "f.yaml")
    assert err.value.diagnostics[0].code == "tag"


def test_a_parameter_outside_its_bounds_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", folder)
    methods = folder / "methods.yaml"
    text = methods.read_text(encoding="utf-8")
    head, _, tail = text.partition("      weeks:\n        value: 3\n")
    assert tail, "the shipped weeks parameter moved"
    methods.write_text(head + "      weeks:\n        value: 1000\n" + tail, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_knowledge(folder)
    (problem,) = err.value.diagnostics
    assert problem.code == "out-of-range"
    assert "parameter weeks of accentuated-eccentric is 1000; it must be between 1 and 12" \
        in problem.message
    assert problem.line == text[: text.index("      weeks:\n")].count("\n") + 2


def test_expectations_naming_unknown_rules_or_methods_fail_with_a_hint() -> None:
    athlete = {"name": "A", "experience": "novice", "units": "kg", "recovery": "normal",
               "cycle_week": 1, "lifts": [{"name": "bench press"}]}
    case = Case("t.test.yaml", 3, "typos", athlete, None,
                {"fires": ["ael-skip-novise"], "methods": {"accentuated-eccentrc": "blocked"}},
                ())
    result = run_case(case, open_workspace("advise"))
    assert "unknown rule 'ael-skip-novise' (did you mean 'ael-skip-novice'?)" in result.failures
    assert "unknown method 'accentuated-eccentrc' (did you mean 'accentuated-eccentric'?)" \
        in result.failures
