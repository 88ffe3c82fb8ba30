"""Partial evaluation: the static knowledge joined into the rules when they are compiled.

A fact type is static when it comes from the knowledge base and no rule concludes it. Each rule
is joined here with every combination of static facts its static patterns accept; what is left
tests only the athlete's facts (and the derived ones) against constants. A static fact that only
some athletes' sessions hold (an exercise with a 1RM, a goal lift's muscles) becomes a test for
the athlete fact that brings it in. Residual rules that differ only in equality constants are
merged into one durable rule that tests the union of the constants, plus a table from the values
of the facts it matched to the original rules' firings (merge.py). A rule that cannot be joined
here (a negated static pattern, `matches` on static facts, too many combinations) keeps the
static types it reads dynamic: they are then asserted in each session, as before.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import field
from typing import Any

from negatives.engine.infer.universe import Known
from negatives.engine.language.compiler import variants
from negatives.engine.language.rulemodel import FieldTest, Group, Ref, Rule, Where, field_value
from negatives.engine.load.records import record

Fact = dict[str, Any]
MAX_TUPLES = 4096  # static combinations one rule may join to; past it its static types stay dynamic
_FLIP = {"eq": "eq", "ne": "ne", "lt": "gt", "lte": "gte", "gt": "lt", "gte": "lte"}
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b, "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b,
    "in": lambda a, b: a in b, "not_in": lambda a, b: a not in b,
}


class Unsupported(Exception):
    """A static fact type that a rule reads in a way compile-time joining cannot take."""

    def __init__(self, fact: str) -> None:
        super().__init__(fact)
        self.fact = fact


@record(frozen=False)
class Entry:
    """One pattern of a residual rule: over dynamic facts only."""

    key: str  # the alias (or `_n{i}$not`, `_p{j}` for presence tests)
    fact: str
    negated: bool
    where: Where


@record(frozen=False)
class Residual:
    """One rule joined with one combination of static facts."""

    rule: Rule
    entries: list[Entry]
    stratum: int
    static: dict[str, Fact]  # static alias -> the static fact joined in
    dynamic: list[str]  # positive dynamic aliases
    # `no <type> with field = "text", ...`, checked when the firing is drawn instead of by a
    # durable pattern (prepare._guards): [type, [[field, text], ...]].
    guards: list[list[Any]] = field(default_factory=list)

    def staged(self) -> bool:
        """Whether it waits for its stratum's stage fact (it negates a derived fact)."""
        return bool(self.guards) or any(e.negated for e in self.entries)


def _holds(where: Where, fact: Fact, env: dict[str, Fact], statics: set[str]) -> bool:
    """Static evaluation; a test on an alias not bound yet or dynamic is left for later."""
    if isinstance(where, Group):
        results = [_holds(i, fact, env, statics) for i in where.items]
        return all(results) if where.kind == "all" else any(results)
    target: Any = where.value
    if isinstance(target, Ref):
        if target.alias not in env:
            return True
        target = field_value(env[target.alias], target.field)
    value = field_value(fact, where.field)
    if where.op == "exists":
        return (value is not None) == bool(where.value)
    if value is None or target is None:  # durable_rules fails every test on a missing field
        return False
    try:
        return _COMPARE[where.op](value, target)
    except TypeError:  # a number compared with text: durable_rules does not match it either
        return False


def _check(where: Where, fact: str, statics: set[str], inside_any: bool = False) -> None:
    """Refuse static tests this module cannot evaluate as durable_rules would."""
    if isinstance(where, Group):
        for item in where.items:
            _check(item, fact, statics, inside_any or where.kind == "any")
        return
    if where.op == "matches" or where.op not in (*_COMPARE, "exists"):
        raise Unsupported(fact)  # Lua patterns are durable_rules' own
    ref = where.value
    if isinstance(ref, Ref) and ref.alias not in statics and (inside_any or where.op not in _FLIP):
        raise Unsupported(fact)


def _dynamic_refs(where: Where, statics: set[str]) -> list[FieldTest]:
    if isinstance(where, FieldTest):
        ref = where.value
        return [where] if isinstance(ref, Ref) and ref.alias not in statics else []
    return [t for item in where.items for t in _dynamic_refs(item, statics)]


# A test that no fact passes: what a comparison with a static fact's missing field becomes.
NEVER = FieldTest("type", "eq", "$never", ())


def _subst(where: Where, env: dict[str, Fact], owner: dict[str, str]) -> Where:
    """`where` with references to static facts replaced by their values."""
    if isinstance(where, Group):
        return Group(where.kind, tuple(_subst(i, env, owner) for i in where.items))
    ref = where.value
    if isinstance(ref, Ref) and ref.alias in env:
        value = field_value(env[ref.alias], ref.field)
        if value is None:  # durable_rules fails a comparison with a missing field
            return NEVER
        if not isinstance(value, (str, int, float, bool)):
            raise Unsupported(owner[ref.alias])
        return FieldTest(where.field, where.op, value, where.path)
    return where


def _never(where: Where) -> bool:
    """Whether `where` certainly fails: NEVER among the tests of its top-level conjunction."""
    if isinstance(where, FieldTest):
        return where is NEVER
    return where.kind == "all" and any(_never(i) for i in where.items)


def _has_eq(where: Where, field: str, value: Any) -> bool:
    if isinstance(where, FieldTest):
        return where.field == field and where.op == "eq" and where.value == value
    return where.kind == "all" and any(_has_eq(i, field, value) for i in where.items)


class Joiner:
    """Joins rules with the static facts; one per compile."""

    def __init__(self, known: list[Known], static: frozenset[str]) -> None:
        self.static = static
        self.by_type: dict[str, list[Known]] = {}
        for k in known:
            if k.fact["type"] in static:
                self.by_type.setdefault(k.fact["type"], []).append(k)
        self.needs = {id(k.fact): k.needs for k in known}

    def residuals(self, rule: Rule, stratum: int) -> Iterator[Residual]:
        for combo in variants(rule):
            yield from self._variant(rule, combo, stratum)

    def _tuples(self, pats: list[tuple[Any, Where]], env: dict[str, Fact],
                statics: set[str]) -> Iterator[dict[str, Fact]]:
        if len(env) == len(pats):
            if all(_holds(w, env[p.alias], env, statics) for p, w in pats):
                yield dict(env)
            return
        p, w = pats[len(env)]
        for k in self.by_type.get(p.fact, []):
            if _holds(w, k.fact, env, statics):
                env[p.alias] = k.fact
                yield from self._tuples(pats, env, statics)
                del env[p.alias]

    def _variant(self, rule: Rule, combo: tuple[Where, ...],
                 stratum: int) -> Iterator[Residual]:
        pats = list(zip(rule.patterns, combo, strict=True))
        static = [(p, w) for p, w in pats if p.fact in self.static]
        dynamic = [(p, w) for p, w in pats if p.fact not in self.static]
        statics = {p.alias for p, _ in static}
        owner = {p.alias: p.fact for p, _ in static}
        for p, w in static:
            if p.negated:
                raise Unsupported(p.fact)
            _check(w, p.fact, statics)
        positive = [p.alias for p, _ in dynamic if not p.negated]
        envs = list(itertools.islice(self._tuples(static, {}, statics), MAX_TUPLES + 1))
        if len(envs) > MAX_TUPLES:
            raise Unsupported(static[0][0].fact)
        for env in envs:
            extra: dict[str, list[FieldTest]] = {}
            dead = False
            for p, w in static:
                for t in _dynamic_refs(w, statics):
                    value = field_value(env[p.alias], t.field)
                    ref = t.value
                    if value is None or not isinstance(ref, Ref):
                        dead = True  # durable_rules fails a test on a missing field
                        break
                    extra.setdefault(ref.alias, []).append(
                        FieldTest(ref.field, _FLIP[t.op], value, t.path))
            if dead:
                continue
            residual: list[tuple[Any, Where]] = []
            for p, w in dynamic:
                w2 = _subst(w, env, owner)
                if extra.get(p.alias):
                    items = (w2,) if not isinstance(w2, Group) or w2.items else ()
                    w2 = Group("all", (*items, *extra[p.alias]))
                residual.append((p, w2))
            if any(not p.negated and _never(w2) for p, w2 in residual):
                continue
            needs = {tuple(tuple(a) for a in self.needs[id(f)])
                     for f in env.values() if self.needs[id(f)]}
            needs = {alts for alts in needs if not any(
                not p.negated and p.fact == t and _has_eq(w2, field, value)
                for t, field, value in alts for p, w2 in residual)}
            for choice in itertools.product(*sorted(needs, key=repr)):
                entries = [Entry(f"_n{i}$not" if p.negated else p.alias, p.fact, p.negated, w2)
                           for i, (p, w2) in enumerate(residual)]
                entries += [Entry(f"_p{j}", t, False, FieldTest(field, "eq", value, ()))
                            for j, (t, field, value) in enumerate(sorted(set(choice), key=repr))]
                yield Residual(rule, entries, stratum, env, positive)
