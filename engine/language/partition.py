"""Spread compiled rules over as few durable_rules rulesets as its measured limits allow.

durable_rules fails on large rulesets in ways that depend on their shape, not only their size
(measured on 2.0.28; `bench/run.py` and tests/engine/test_partition.py repeat the measurements):

- error 106 past 4,096 rules in one ruleset;
- error 303, when a fact is asserted, once one fact passes more than 64 tests under one node of
  the network: 65 rules with different `gt` thresholds on a fact's field, or different `ne`
  values, are enough (jruizgit/rules#312 saw it "near 483 rules" because its rules were larger);
- a compile that never ends past 512 distinct equality tests on one field (error 303 at 512);
- error 108 past 256 rules fed by one identical pattern;
- a compile that never ends once the distinct tests on one fact type reach 512 together, even
  when each kind stays within its own limit: 472 equality values on `athlete.name` plus 40 `gt`
  thresholds on `athlete.cycle_week` hang, 460 + 48 do not (engine/language/LIMITS.md).

Each ruleset keeps within the limits below, with a margin; the runtime passes derived facts from
one ruleset to the others, so chaining and stratified negation behave as in a single ruleset.
A single rule over a limit cannot be split: that is a RuleCompileError naming it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import field
from typing import Any

from negatives.engine.load.errors import RuleCompileError
from negatives.engine.load.records import record

MAX_RULES_PER_SET = 2000  # error 106 past 4,096; smaller sets also compile faster
MAX_RANGE_PATTERNS = 48  # per fact type: patterns with a non-equality test (error 303 past 64)
MAX_EQ_VALUES = 480  # per fact field: distinct equality values (compile hangs past 512)
MAX_RULES_PER_PATTERN = 240  # rules fed by one identical pattern (error 108 past 256)
MAX_TESTS_PER_FACT = 480  # per fact type: equality values + range tests together (hang at 512)

_EQUALITY_FREE = ("$neq", "$lt", "$lte", "$gt", "$gte", "$mt", "$imt", "$or", "$ex", "$nex")


@record(frozen=False)
class _Budget:
    """What one ruleset already holds, measured the way the limits count."""

    rules: int = 0
    range_patterns: dict[str, set[str]] = field(default_factory=dict)
    eq_values: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    fed: Counter[str] = field(default_factory=Counter)
    tests: dict[str, set[str]] = field(default_factory=dict)


@record
class _Need:
    range_patterns: dict[str, set[str]]
    eq_values: dict[tuple[str, str], set[str]]
    patterns: tuple[str, ...]
    tests: dict[str, set[str]]


def _leaves(test: Any) -> list[tuple[str, Any]]:
    """(field, value) of the plain equality tests in a durable condition."""
    if not isinstance(test, dict):
        return []
    if "$and" in test:
        return [leaf for item in test["$and"] for leaf in _leaves(item)]
    if "$or" in test:  # a merged rule's alternatives are each a test under the fact's node
        return [leaf for item in test["$or"] for leaf in _leaves(item)]
    return [(k, v) for k, v in test.items() if not k.startswith("$") and not isinstance(v, dict)]


def _need(definition: dict[str, Any]) -> _Need:
    ranges: dict[str, set[str]] = {}
    eqs: dict[tuple[str, str], set[str]] = {}
    tests: dict[str, set[str]] = {}
    patterns = []
    for term in definition["all"]:
        ((_, pattern),) = term.items()
        text = json.dumps(pattern, sort_keys=True)
        patterns.append(text)
        fact = next((v for k, v in _leaves(pattern) if k == "type"), "?")
        if any(op in text for op in _EQUALITY_FREE):
            ranges.setdefault(fact, set()).add(text)
            # each operator of the pattern is one test under the fact's node
            count = sum(text.count(f'"{op}"') for op in _EQUALITY_FREE)
            tests.setdefault(fact, set()).update(f"{text}#{k}" for k in range(max(count, 1)))
        for name, value in _leaves(pattern):
            if name != "type":
                eqs.setdefault((fact, name), set()).add(json.dumps(value))
                tests.setdefault(fact, set()).add(f"{name}={json.dumps(value)}")
    return _Need(ranges, eqs, tuple(patterns), tests)


def _fits(budget: _Budget, need: _Need) -> bool:
    if budget.rules + 1 > MAX_RULES_PER_SET:
        return False
    for fact, texts in need.range_patterns.items():
        if len(budget.range_patterns.get(fact, set()) | texts) > MAX_RANGE_PATTERNS:
            return False
    for key, values in need.eq_values.items():
        if len(budget.eq_values.get(key, set()) | values) > MAX_EQ_VALUES:
            return False
    for fact, found in need.tests.items():
        if len(budget.tests.get(fact, set()) | found) > MAX_TESTS_PER_FACT:
            return False
    return all(budget.fed[p] + n <= MAX_RULES_PER_PATTERN
               for p, n in Counter(need.patterns).items())


def _take(budget: _Budget, need: _Need) -> None:
    budget.rules += 1
    for fact, texts in need.range_patterns.items():
        budget.range_patterns.setdefault(fact, set()).update(texts)
    for key, values in need.eq_values.items():
        budget.eq_values.setdefault(key, set()).update(values)
    for fact, found in need.tests.items():
        budget.tests.setdefault(fact, set()).update(found)
    budget.fed.update(need.patterns)


def partition(definition: dict[str, Any], shared: frozenset[str],
              where: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    """Names of the durable rules in each ruleset, first fit in declaration order.

    `shared` rules go into every ruleset (the start rule); `where` gives `file:line: rule 'id'`
    for each durable rule name, for the error about a rule that fits in no ruleset at all.
    """
    base = _Budget()
    for name in shared:
        _take(base, _need(definition[name]))
    sets: list[tuple[_Budget, list[str]]] = []
    for name, rule in definition.items():
        if name in shared:
            continue
        need = _need(rule)
        for budget, names in sets:
            if _fits(budget, need):
                _take(budget, need)
                names.append(name)
                break
        else:
            fresh = _Budget(base.rules, {k: set(v) for k, v in base.range_patterns.items()},
                            {k: set(v) for k, v in base.eq_values.items()}, Counter(base.fed),
                            {k: set(v) for k, v in base.tests.items()})
            if not _fits(fresh, need):
                raise RuleCompileError(
                    f"{where.get(name, name)} alone exceeds what one durable_rules ruleset "
                    f"takes (at most {MAX_RANGE_PATTERNS} non-equality patterns per fact type, "
                    f"{MAX_EQ_VALUES} values per field, {MAX_TESTS_PER_FACT} tests per fact type); "
                    "split it into several rules")
            _take(fresh, need)
            sets.append((fresh, [name]))
    return tuple(tuple(names) for _, names in sets) or ((),)
