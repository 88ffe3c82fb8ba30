"""Compile a rule base to a durable_rules ruleset (JSON form), stratified so negation is sound."""

from __future__ import annotations

import itertools
import json
from typing import Any

from negatives.engine.language.rulemodel import FieldTest, Group, Ref, Rule, Where
from negatives.engine.language.rules import RuleBase
from negatives.engine.load.errors import RuleCompileError
from negatives.engine.load.records import record

START_FACT = "$start"
STAGE_FACT = "$stage"
# Fires in every session: durable_rules crashes deleting a session in which nothing fired.
START_RULE = "_start"
STAGE_ALIAS = "_stage"
# durable_rules rejects more than 16 patterns in one `all` (error 304); one is ours.
MAX_PATTERNS = 15
MAX_VARIANTS = 32  # durable rules one YAML rule may expand to (split disjunctions)
# Limits on the size of one ruleset are met by spreading the rules over several: partition.py.

# durable_rules' bare error codes, in words (measured; see shared DURABLE_RULES.md).
DURABLE_ERRORS: dict[str, str] = {
    "102": "a list literal in a condition",
    "105": "an unknown key in a rule",
    "106": "more than 4,096 rules in one ruleset",
    "108": "more than 256 join rules fed by one pattern",
    "113": "too many cross-fact comparisons in one pattern",
    "202": "an unknown operator",
    "302": "more than 252 properties in one fact",
    "303": "one fact passed more than 64 tests under one node, such as many different "
           "thresholds on one field",
    "304": "more than 16 patterns in one rule",
}

# Field operators: rule-language name -> durable_rules operator (eq is plain equality).
_DURABLE_OPS: dict[str, str] = {"ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt",
                                "gte": "$gte", "matches": "$mt"}


@record
class Compiled:
    """A rule base ready for durable_rules, with what the runtime needs to drive it."""

    name: str
    definition: dict[str, Any]
    strata: dict[str, int]
    max_stratum: int
    reads: frozenset[str]
    rules: dict[str, Rule]
    # The durable rules of each ruleset (the start rule is in every one); one part when it fits.
    parts: tuple[tuple[str, ...], ...]

    def part(self, index: int) -> dict[str, Any]:
        """The durable_rules definition of ruleset `index`."""
        names = (START_RULE, *self.parts[index])
        return {name: self.definition[name] for name in names}

    def part_reads(self, index: int) -> frozenset[str]:
        """Fact types the rules of ruleset `index` read."""
        return frozenset(f for name in self.parts[index]
                         for f in self.rules[self.definition[name]["run"]].reads())


def _value(value: Any) -> Any:
    return {value.alias: value.field} if isinstance(value, Ref) else value


def _test(t: FieldTest) -> dict[str, Any]:
    if t.op == "eq":
        return {t.field: _value(t.value)}
    if t.op == "in" and isinstance(t.value, tuple):
        return {"$or": [{t.field: v} for v in t.value]}
    if t.op == "not_in" and isinstance(t.value, tuple):
        return {"$and": [{"$neq": {t.field: v}} for v in t.value]}
    if t.op == "exists":
        return {"$ex" if t.value else "$nex": {t.field: 1}}
    return {_DURABLE_OPS[t.op]: {t.field: _value(t.value)}}


def _where(where: Where) -> dict[str, Any]:
    if isinstance(where, FieldTest):
        return _test(where)
    if len(where.items) == 1:
        # durable_rules matches only the first branch of an $or whose branches are one-item
        # $and groups referring to another fact: never emit a one-item group.
        return _where(where.items[0])
    return {"$and" if where.kind == "all" else "$or": [_where(i) for i in where.items]}


def _pattern(fact: str, where: Where) -> dict[str, Any]:
    # Every pattern tests the fact type: $nex tests alone loop forever in durable_rules.
    tests: list[dict[str, Any]] = [{"type": fact}]
    if not isinstance(where, Group) or where.items:
        tests.append(_where(where))
    return {"$and": tests}


def _has_ref(where: Where) -> bool:
    if isinstance(where, FieldTest):
        return isinstance(where.value, Ref)
    return any(_has_ref(i) for i in where.items)


def _expand(where: Where) -> list[Where]:
    """Alternatives of `where` with every `any` that holds a reference split out.

    durable_rules 2.0.28 matches only the first branch of an $or whose branches compare with
    another fact, so such a disjunction becomes one durable rule per branch.
    """
    if isinstance(where, FieldTest):
        return [where]
    if where.kind == "any" and _has_ref(where):
        return [alt for item in where.items for alt in _expand(item)]
    options = [_expand(i) for i in where.items]
    return [Group(where.kind, tuple(combo)) for combo in itertools.product(*options)]


def variants(rule: Rule) -> list[tuple[Where, ...]]:
    """The rule's patterns' conditions, once per combination of split disjunctions."""
    combos = list(itertools.product(*(_expand(p.where) for p in rule.patterns)))
    if len(combos) > MAX_VARIANTS:
        raise RuleCompileError(f"{rule.file}:{rule.line}: rule '{rule.id}' expands to "
                               f"{len(combos)} durable rules (limit {MAX_VARIANTS}); split it")
    return combos


def stratify(rules: tuple[Rule, ...]) -> dict[str, int]:
    """Stratum of each rule: above every rule producing a fact it negates, level with positives."""
    producers: dict[str, list[Rule]] = {}
    for rule in rules:
        for fact in rule.produces():
            producers.setdefault(fact, []).append(rule)
    strata = {rule.id: 0 for rule in rules}
    for _ in range(len(rules) + 1):
        changed = False
        for rule in rules:
            level = 0
            for p in rule.patterns:
                below = max((strata[r.id] for r in producers.get(p.fact, [])), default=0)
                level = max(level, below + 1 if p.negated else below)
            if rule.negates() and level == 0:
                level = 1  # negation waits until every input fact is in
            if level != strata[rule.id]:
                strata[rule.id] = level
                changed = True
        if not changed:
            return strata
    cycle = sorted(r.id for r in rules if strata[r.id] > len(rules) // 2)
    raise RuleCompileError("rules negate facts that depend on their own conclusions, so no order "
                           f"makes them sound: {', '.join(cycle)}")


def check_limits(base: RuleBase) -> None:
    """Refuse rules durable_rules rejects with a bare code at assert time, whatever the split."""
    for rule in base.rules:
        if len(rule.patterns) > MAX_PATTERNS:
            raise RuleCompileError(f"{rule.file}:{rule.line}: rule '{rule.id}' has "
                                   f"{len(rule.patterns)} patterns; durable_rules takes at most "
                                   f"{MAX_PATTERNS}")


def compile_rules(base: RuleBase) -> Compiled:
    # Only a cache miss compiles: these imports stay out of the usual run's start-up.
    import hashlib

    from negatives.engine.language.partition import partition

    check_limits(base)
    strata = stratify(base.rules)
    definition: dict[str, Any] = {
        START_RULE: {"all": [{"_m": {"type": START_FACT}}], "pri": 0, "run": START_RULE}
    }
    for rule in base.rules:
        combos = variants(rule)
        for k, combo in enumerate(combos, 1):
            terms: list[dict[str, Any]] = []
            for i, (p, where) in enumerate(zip(rule.patterns, combo, strict=True)):
                key = f"_n{i}$not" if p.negated else p.alias
                terms.append({key: _pattern(p.fact, where)})
            if rule.negates():
                stage = {"$and": [{"type": STAGE_FACT}, {"n": strata[rule.id]}]}
                terms.insert(0, {STAGE_ALIAS: stage})
            name = rule.id if len(combos) == 1 else f"{rule.id}#{k}"
            definition[name] = {"all": terms, "pri": rule.priority, "run": rule.id}
    digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()[:12]
    reads = frozenset(f for r in base.rules for f in r.reads())
    by_id = base.by_id()
    located = {name: f"{by_id[d['run']].file}:{by_id[d['run']].line}: rule '{d['run']}'"
               for name, d in definition.items() if d["run"] in by_id}
    parts = partition(definition, frozenset({START_RULE}), located)
    return Compiled(f"negatives-{base.domain}-{digest}", definition, strata,
                    max(strata.values(), default=0), reads, by_id, parts)


def describe(rule: Rule) -> list[str]:
    """The rule's conditions in words, one line per pattern, for explanations and `rules show`."""
    lines = []
    for p in rule.patterns:
        tests = "; ".join(t.describe() for t in p.tests()) or "any"
        prefix = "no " if p.negated else ""
        lines.append(f"{prefix}{p.fact} ({tests})")
    return lines
