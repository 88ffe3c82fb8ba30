"""Condition coverage of the rule tests: which conditions no test case exercises both ways.

Rule coverage asks whether a rule fires in one case and stays silent in another. This goes one
level down, to the conditions a rule is made of:

- a field test on a fact (`experience: novice`) is exercised when, in the cases, some fact of
  that type passes it and some fact fails it; a test that compares with another fact
  (`$t.lift`) is judged on the facts the rule's firings matched, so it needs to pass there and
  fail for some fact of its type elsewhere;
- a branch of an `any` is exercised when the rule fired through it at least once;
- a negated pattern (`not: true`) is exercised when a case holds a fact it matches (so the rule
  was held back by it) and the rule fired in another case.

Field tests are evaluated here in Python with the rule language's semantics; `matches` (Lua
patterns in durable_rules) is not evaluated and is reported as such.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import field
from typing import Any

from negatives.engine.language.rulemodel import (
    FieldTest,
    Group,
    Pattern,
    Ref,
    Rule,
    Where,
    field_value,
)
from negatives.engine.load.records import record

Fact = dict[str, Any]

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
}


class _Unknown(Exception):
    """The test cannot be judged here (a reference without bindings, or `matches`)."""


def holds(test: FieldTest, fact: Fact, bindings: dict[str, Fact] | None = None) -> bool:
    """Whether `fact` passes `test`; references are read from `bindings`."""
    value = field_value(fact, test.field)
    if test.op == "exists":
        return (value is not None) == bool(test.value)
    if test.op == "matches":
        raise _Unknown
    expected: Any = test.value
    if isinstance(expected, Ref):
        if bindings is None or expected.alias not in bindings:
            raise _Unknown
        expected = field_value(bindings[expected.alias], expected.field)
    if value is None or expected is None:
        return test.op in ("ne", "not_in")
    try:
        return _COMPARE[test.op](value, expected)
    except TypeError:  # a number compared with text: durable_rules does not match it either
        return False


def _group_holds(where: Where, fact: Fact, bindings: dict[str, Fact] | None) -> bool:
    if isinstance(where, FieldTest):
        return holds(where, fact, bindings)
    results = [_group_holds(i, fact, bindings) for i in where.items]
    return all(results) if where.kind == "all" else any(results)


@record(frozen=False)
class Condition:
    """One condition of a rule and what the cases showed of it."""

    rule: str
    file: str
    line: int
    column: int
    text: str
    kind: str  # test | branch | negation
    passed: int = 0
    failed: int = 0
    unknown: bool = False

    def gap(self) -> str | None:
        if self.unknown:
            return "cannot be judged outside durable_rules (matches)"
        if self.kind == "branch":
            return None if self.passed else "no test case fires the rule through this branch"
        if self.kind == "negation":
            if not self.passed:
                return "no test case holds a fact that this negation rules out"
            return None if self.failed else "no test case where the rule fires past it"
        if not self.passed:
            return "never true in any test case"
        return None if self.failed else "never false in any test case"


@record(frozen=False)
class CaseRun:
    """What one case put in and what fired."""

    facts: list[Fact]
    firings: list[tuple[str, dict[str, Fact]]]  # rule id, bindings by alias


@record(frozen=False)
class ConditionCoverage:
    conditions: list[Condition] = field(default_factory=list)

    def gaps(self) -> list[tuple[Condition, str]]:
        return [(c, gap) for c in self.conditions if (gap := c.gap())]


def _branches(where: Where) -> Iterable[Where]:
    if isinstance(where, Group):
        for item in where.items:
            if where.kind == "any":
                yield item
            yield from _branches(item)


def _describe(where: Where) -> str:
    if isinstance(where, FieldTest):
        return where.describe()
    joined = f" {'and' if where.kind == 'all' else 'or'} ".join(_describe(i) for i in where.items)
    return f"({joined})"


def _first_path(where: Where) -> tuple[str | int, ...]:
    if isinstance(where, FieldTest):
        return where.path
    return _first_path(where.items[0]) if where.items else ()


MAX_PARTNERS = 50  # facts a reference is compared with, per case: enough to see both outcomes


def _candidates(pattern: Pattern | None, run: CaseRun) -> list[Fact]:
    """Facts of `pattern`'s type in the run that pass its own tests (references aside)."""
    if pattern is None:
        return []
    plain = [t for t in pattern.tests() if not isinstance(t.value, Ref) and t.op != "matches"]
    return [f for f in run.facts if f.get("type") == pattern.fact
            and all(holds(t, f) for t in plain)]


def _rule_conditions(rule: Rule, runs: list[CaseRun]) -> list[Condition]:
    out: list[Condition] = []
    fired = [bindings for run in runs for rid, bindings in run.firings if rid == rule.id]
    for p in rule.patterns:
        out.extend(_pattern_conditions(rule, p, runs, fired))
    return out


def _cond(rule: Rule, path: tuple[str | int, ...], text: str, kind: str) -> Condition:
    line, col = rule.place(path)
    return Condition(rule.id, rule.file, line, col, text, kind)


def _pattern_conditions(rule: Rule, p: Pattern, runs: list[CaseRun],
                        fired: list[dict[str, Fact]]) -> list[Condition]:
    facts = [f for run in runs for f in run.facts if f.get("type") == p.fact]
    if p.negated:
        cond = _cond(rule, p.path, f"no {p.fact} ({_describe(p.where)})", "negation")
        for run in runs:
            try:
                if any(_group_holds(p.where, f, None) for f in run.facts
                       if f.get("type") == p.fact):
                    cond.passed += 1
            except _Unknown:  # compares with another fact: a fact of the type is enough
                cond.passed += any(f.get("type") == p.fact for f in run.facts)
        cond.failed = len(fired)
        return [cond]
    out = []
    for test in p.tests():
        cond = _cond(rule, test.path, f"{p.fact}: {test.describe()}", "test")
        try:
            if isinstance(test.value, Ref):  # judged against every fact it could compare with
                other = next((q for q in rule.patterns if q.alias == test.value.alias), None)
                for run in runs:
                    kind = [f for f in run.facts if f.get("type") == p.fact]
                    for b in _candidates(other, run)[:MAX_PARTNERS]:
                        bindings = {test.value.alias: b}
                        for f in kind:
                            ok = holds(test, f, bindings)
                            cond.passed += ok
                            cond.failed += not ok
            else:
                cond.passed = sum(holds(test, f) for f in facts)
                cond.failed = len(facts) - cond.passed
        except _Unknown:
            cond.unknown = True
        out.append(cond)
    for branch in _branches(p.where):
        cond = _cond(rule, _first_path(branch), f"{p.fact}: branch {_describe(branch)}", "branch")
        try:
            cond.passed = sum(_group_holds(branch, b[p.alias], b) for b in fired if p.alias in b)
        except _Unknown:
            cond.unknown = True
        out.append(cond)
    return out


def condition_coverage(rules: Iterable[Rule], runs: list[CaseRun]) -> ConditionCoverage:
    cov = ConditionCoverage()
    for rule in rules:
        cov.conditions.extend(_rule_conditions(rule, runs))
    return cov
