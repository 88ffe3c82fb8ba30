"""Condition coverage: each condition of a rule is seen true and false in the test cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from negatives.cli.main import cli
from negatives.engine.infer.workspace import open_workspace
from negatives.engine.language.condcover import CaseRun, condition_coverage, holds
from negatives.engine.language.rulemodel import FieldTest, Ref, Rule
from tests.conftest import ROOT


def t(field: str, op: str, value: object) -> FieldTest:
    return FieldTest(field, op, value, ("x",))  # type: ignore[arg-type]


@pytest.mark.parametrize(("test", "fact", "expected"), [
    (t("a", "eq", 1), {"a": 1}, True),
    (t("a", "eq", 1), {"a": 2}, False),
    (t("a", "ne", 1), {}, True),
    (t("a", "gt", 1), {"a": 2}, True),
    (t("a", "gt", 1), {"a": "text"}, False),
    (t("a", "lte", 1), {"a": 1}, True),
    (t("a", "in", ("x", "y")), {"a": "y"}, True),
    (t("a", "not_in", ("x", "y")), {"a": "y"}, False),
    (t("a", "exists", True), {"a": 0}, True),
    (t("a", "exists", False), {"a": 0}, False),
    (t("b.c", "eq", 3), {"b": {"c": 3}}, True),
])
def test_holds_follows_the_rule_language(test: FieldTest, fact: dict[str, object],
                                         expected: bool) -> None:
    assert holds(test, fact) is expected


def test_a_reference_reads_the_bindings() -> None:
    test = t("a", "gte", Ref("m", "value"))
    assert holds(test, {"a": 3}, {"m": {"value": 3}})
    assert not holds(test, {"a": 2}, {"m": {"value": 3}})


RULE = """\
  - id: zz-branches
    title: A rule with two branches, one never used
    priority: 80
    when:
      - fact: athlete
        where:
          any:
            - {cycle_week: 2}
            - {cycle_week: 40}
    then:
      - warn: {message: branch}
    because: test
    source: project-default
    note: test
"""
CASES = """\
  - name: week 2 takes the first branch
    athlete: {cycle_week: 2}
    expect: {fires: [zz-branches]}
"""


@pytest.fixture()
def edited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    safety = tmp_path / "rules" / "advise" / "safety.yaml"
    safety.write_text(safety.read_text(encoding="utf-8") + "\n" + RULE, encoding="utf-8")
    tests = tmp_path / "rules" / "advise" / "safety.test.yaml"
    tests.write_text(tests.read_text(encoding="utf-8").rstrip("\n") + "\n" + CASES,
                     encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_unused_branch_is_reported_with_its_location(edited: Path) -> None:
    result = CliRunner().invoke(cli, ["rules", "coverage", "--rules", "rules"])
    assert result.exit_code == 0, result.output
    text = (edited / "rules" / "advise" / "safety.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    line = lines.index("            - {cycle_week: 40}") + 1
    col = lines[line - 1].index("cycle_week") + 1
    assert (f"rules/advise/safety.yaml:{line}:{col}: warning zz-branches: athlete: branch "
            "(cycle_week is 40): no test case fires the rule through this branch "
            "[condition-coverage]") in result.output
    assert "zz-branches: athlete: branch (cycle_week is 2)" not in result.output
    assert "conditions exercised both ways" in result.output


def test_strict_fails_on_condition_gaps(edited: Path) -> None:
    result = CliRunner().invoke(cli, ["rules", "coverage", "--rules", "rules", "--strict"])
    assert result.exit_code == 1
    assert "error zz-branches: athlete: branch (cycle_week is 40)" in result.output


def test_no_conditions_reports_rules_only(edited: Path) -> None:
    result = CliRunner().invoke(cli, ["rules", "coverage", "--rules", "rules",
                                      "--no-conditions"])
    assert result.exit_code == 0
    assert "condition-coverage" not in result.output


def test_a_negation_needs_a_case_that_it_holds_back() -> None:
    def plain_eq(rule: Rule) -> bool:
        neg = [p for p in rule.patterns if p.negated]
        return bool(neg) and all(tt.op == "eq" and not isinstance(tt.value, Ref)
                                 for tt in neg[0].tests())

    rule = next(r for r in open_workspace("advise").base.rules if plain_eq(r))
    negated = next(p for p in rule.patterns if p.negated)
    fired = CaseRun(facts=[], firings=[(rule.id, {})])
    gaps = [gap for c, gap in condition_coverage([rule], [fired]).gaps() if c.kind == "negation"]
    assert gaps == ["no test case holds a fact that this negation rules out"]
    blocker = {"type": negated.fact, **{tt.field: tt.value for tt in negated.tests()}}
    held = CaseRun(facts=[blocker], firings=[])
    found = condition_coverage([rule], [fired, held])
    assert [c for c, _ in found.gaps() if c.kind == "negation"] == []
    alone = condition_coverage([rule], [held])
    assert [gap for c, gap in alone.gaps() if c.kind == "negation"] == [
        "no test case where the rule fires past it"]


def test_the_shipped_rules_exercise_most_conditions() -> None:
    result = CliRunner().invoke(cli, ["rules", "coverage"])
    assert result.exit_code == 0
    last = result.output.strip().splitlines()[-1]
    done, _, rest = last.partition(" of ")
    total = int(rest.split()[0])
    assert total > 100 and int(done) / total > 0.85, last
    for line in result.output.splitlines():
        if "[condition-coverage]" in line:
            assert line.startswith("rules/") and ": warning " in line, line


def test_every_field_test_has_its_own_location() -> None:
    for domain in ("advise", "audit"):
        for rule in open_workspace(domain).base.rules:
            tests = [tt for p in rule.patterns for tt in p.tests()]
            assert all(rule.place(tt.path)[0] > rule.line for tt in tests), rule.id
