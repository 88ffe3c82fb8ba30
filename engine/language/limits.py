"""Static checks that a rule base stays within what durable_rules can run (see LIMITS.md).

Each limit here was measured (bench/limits.py, engine/language/LIMITS.md); past it durable_rules
crashes, hangs, exhausts memory or fails at run time with a bare error code. Checking them while
loading the rules turns each into a located error, so `rules check` passing means advise and
audit can run the rule base.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import cache

from negatives.engine.language.rulemodel import FieldTest, Pattern, Ref, Rule
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.yamlio import Document
from negatives.engine.model.knowledge import Knowledge

MAX_REGEX_LENGTH = 256  # error 503 past ~4,000 characters
MAX_REGEX_REPEATS = 32  # `*`, `+`, `-`, `?`: 127 `.*` crash durable's validateGraph (segfault)
MAX_NUMBER = 1e12  # far below what a double holds exactly; `1e400` is infinity
MAX_ASSERT_FIELDS = 200  # error 302 past 252 properties in one fact (id, sid, type count)
MAX_JOIN = 100_000  # estimated fact combinations one rule may enumerate (~20 µs each)
# Facts of which a session holds one: a pattern over them adds nothing to a cross product.
SINGLETONS = frozenset({"athlete", "program"})
# Upper estimates of input facts per session, where the knowledge base does not count them.
_INPUT_COUNTS = {"entry": 5000, "day": 1000, "week": 104, "equipment": 5000, "lift": 20,
                 "lift-muscle": 200, "one-rep-max": 200}
_DERIVED_COUNT = 100
_checked: list[str] = []


def rule_problems(doc: Document, rule: Rule, kb: Knowledge) -> Iterator[Diagnostic]:
    """Every limit `rule` breaks, located in its file."""
    for pattern in rule.patterns:
        for test in pattern.tests():
            yield from _test_problems(doc, test)
    for c in rule.conclusions:
        for key, value in c.args.items():
            message = _number_problem(value)
            if message:
                yield doc.diagnostic((*c.path, c.kind, key), message, "number")
        if c.kind == "assert" and len(c.args) > MAX_ASSERT_FIELDS:
            yield doc.diagnostic((*c.path, c.kind), f"the asserted fact has {len(c.args)} "
                                 f"fields; durable_rules takes at most {MAX_ASSERT_FIELDS}",
                                 "too-large")
    combos = join_size(rule, kb)
    if combos > MAX_JOIN:
        yield doc.diagnostic(("rules", _index(rule), "when"),
                             f"the patterns can match about {combos:.0e} combinations of facts "
                             f"(limit {MAX_JOIN:,}), all enumerated before any action runs; "
                             "join each pattern to an earlier one (`name: $alias.field`) or "
                             "narrow it with a test on its name", "join")


def _index(rule: Rule) -> int:
    path = rule.patterns[0].path if rule.patterns else ("rules", 0)
    return int(path[1])


def _test_problems(doc: Document, test: FieldTest) -> Iterator[Diagnostic]:
    values = test.value if isinstance(test.value, tuple) else (test.value,)
    for value in values:
        message = _number_problem(value)
        if message:
            yield doc.diagnostic(test.path, message, "number")
    if test.op == "matches" and isinstance(test.value, str):
        message = regex_problem(test.value)
        if message:
            yield doc.diagnostic(test.path, message, "pattern")


def _number_problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a usable number (a literal too large for a float?)"
    if abs(value) > MAX_NUMBER:
        return f"{value} is out of range: numbers in rules are at most {MAX_NUMBER:.0e}"
    return None


def regex_problem(pattern: str) -> str | None:
    """Why durable_rules cannot take `pattern` as a `matches` pattern, or None."""
    if len(pattern) > MAX_REGEX_LENGTH:
        return f"the pattern is {len(pattern)} characters long; the limit is {MAX_REGEX_LENGTH}"
    repeats = sum(pattern.count(c) for c in "*+?-")
    if repeats > MAX_REGEX_REPEATS:
        return f"the pattern repeats {repeats} times (`*`, `+`, `-`, `?`); the limit is " \
               f"{MAX_REGEX_REPEATS}"
    code = _durable_regex_error(pattern)
    if code:
        return f"durable_rules cannot read the pattern (error {code}); patterns are " \
               "Lua-style: `%` escapes, `[...]` sets, and brackets must balance"
    return None


@cache
def _durable_regex_error(pattern: str) -> str | None:
    """durable_rules' own verdict: compile a one-rule ruleset holding the pattern."""
    import json

    from negatives._durable import core as durable_rules_engine  # only `matches` pays for it

    rule = {"r": {"all": [{"m": {"$and": [{"type": "x"}, {"$mt": {"v": pattern}}]}}]}}
    try:  # kept, not deleted: one small ruleset per distinct pattern, checked once
        durable_rules_engine.create_ruleset(f"negatives-regex-{len(_checked)}",
                                            json.dumps(rule, ensure_ascii=False))
    except Exception as err:  # durable_rules reports compile failures as bare error codes
        return str(err).rsplit(" ", 1)[-1]
    finally:
        _checked.append(pattern)
    return None


def _count(fact: str, kb: Knowledge) -> int:
    known = {"exercise": len(kb.exercises), "pairing": len(kb.pairings),
             "method": len(kb.methods), "setting": len(kb.settings),
             "exercise-muscle": sum(len(e.muscles) for e in kb.exercises.values()),
             "exercise-equipment": sum(len(e.equipment) for e in kb.exercises.values())}
    return max(1, known.get(fact, _INPUT_COUNTS.get(fact, _DERIVED_COUNT)))


def _narrowed(pattern: Pattern) -> bool:
    """An equality test on the name, or an equality join with an earlier pattern."""
    items = pattern.where.items if pattern.where.kind == "all" else ()
    for item in items:
        if isinstance(item, FieldTest) and item.op == "eq" and (
                isinstance(item.value, Ref) or item.field == "name"):
            return True
    return False


def join_size(rule: Rule, kb: Knowledge) -> float:
    """An upper estimate of the fact combinations durable_rules enumerates for `rule`."""
    size = 1.0
    for pattern in rule.patterns:
        if pattern.negated or pattern.fact in SINGLETONS or _narrowed(pattern):
            continue
        size *= _count(pattern.fact, kb)
    return size
