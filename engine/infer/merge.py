"""Residual rules that differ only in equality constants, merged into one durable rule each.

The merged rule tests the union of the constants (`$or`); its table maps the values of the
facts a durable firing matched to the original rules' firings, each with its static bindings
and the conclusions it draws already resolved where they do not depend on the session.

Rules whose constants vary together on several facts merge too (stalled lift L with a 1RM of
exercise E, for the pairs of the knowledge): the merged rule then also matches pairs no table
entry holds, which the driver drops. Keeping such rules apart (113 durable rules instead of
56) cost more than those frames: registering the rule base 9.7 ms instead of 6.3, and 6% more
time per athlete (the C core opens a larger state per session, and tests each fact against
more patterns).
"""

from __future__ import annotations

import json
from typing import Any

from negatives.engine.infer.partial import Entry, Residual
from negatives.engine.infer.partialdata import Expansion, Merged, fact_key, norm_key, pack
from negatives.engine.language.compiler import STAGE_ALIAS, STAGE_FACT, _test
from negatives.engine.language.rulemodel import FieldTest, Group, Ref, Where, field_value

Fact = dict[str, Any]
MAX_OR = 32  # constants one merged test takes; more are spread over several durable rules
_TEMPLATE_MARK = "{"
_PLACE = "\x00?"


def _flat(where: Where) -> list[FieldTest] | None:
    """The tests of a conjunction, or None when it holds a disjunction."""
    if isinstance(where, FieldTest):
        return [where]
    if where.kind != "all":
        return None
    out: list[FieldTest] = []
    for item in where.items:
        sub = _flat(item)
        if sub is None:
            return None
        out += sub
    return out


def _durable(where: Where, subst: dict[int, list[Any]]) -> Any:
    """compiler._where with each merged test (by id) given its constants."""
    if isinstance(where, FieldTest):
        if id(where) in subst:
            values = subst[id(where)]
            if len(values) == 1:
                return {where.field: values[0]}
            return {"$or": [{where.field: v} for v in values]}
        return _test(where)
    if len(where.items) == 1:
        return _durable(where.items[0], subst)
    return {"$and" if where.kind == "all" else "$or": [_durable(i, subst) for i in where.items]}


def _pattern(e: Entry, subst: dict[int, list[Any]]) -> dict[str, Any]:
    tests: list[Any] = [{"type": e.fact}]  # every pattern tests the type: $nex alone loops
    if not isinstance(e.where, Group) or e.where.items:
        tests.append(_durable(e.where, subst))
    return {"$and": tests}


def _places(r: Residual) -> list[tuple[Entry, FieldTest]]:
    return [(e, t) for e in r.entries if not e.negated for t in (_flat(e.where) or [])
            if t.op == "eq" and not isinstance(t.value, Ref)]


def _plan(value: Any, r: Residual) -> list[Any] | None:
    """[mode, value] of one conclusion argument, or None when it resolves to nothing."""
    from negatives.engine.infer.runtime import Runtime

    if isinstance(value, Ref):
        if value.alias in r.dynamic:
            return [1, [value.alias, value.field]]
        got = field_value(r.static.get(value.alias, {}), value.field)
        return None if got is None else [0, got]
    if isinstance(value, str) and _TEMPLATE_MARK in value:
        if any("{" + a + "." in value for a in r.dynamic):
            return [2, value]
        return [0, Runtime._resolve(value, r.static)]
    return None if value is None else [0, value]


def expansion(r: Residual, facts: dict[str, tuple[int, Fact]]) -> Expansion:
    """The expansion of one residual rule; `facts` numbers the static facts (by key)."""
    conclusions = []
    for c in r.rule.conclusions:
        args = []
        for name, value in c.args.items():
            plan = _plan(value, r)
            if plan is not None:
                args.append([name, *plan])
        conclusions.append([c.kind, args])
    static = {}
    for alias, fact in r.static.items():
        static[alias] = facts.setdefault(fact_key(fact), (len(facts), fact))[0]
    order = [p.alias for p in r.rule.patterns if not p.negated]
    return Expansion(r.rule.id, static, sorted(set(r.dynamic)), order,
                     conclusions, r.guards)


def _canon(value: Any) -> Any:
    """The value as durable_rules' equality sees it: true is 1, 2.0 is 2."""
    if isinstance(value, bool) or (isinstance(value, float) and value.is_integer()):
        return int(value)
    return value


def _chunks(members: list[tuple[Residual, list[Any]]]) -> list[list[tuple[Residual, list[Any]]]]:
    """Members split so that no merged test takes more than MAX_OR constants."""
    members = sorted(members, key=lambda m: repr([_canon(v) for v in m[1]]))
    out: list[list[tuple[Residual, list[Any]]]] = []
    seen: list[set[Any]] = []
    for m in members:
        values = [_canon(v) for v in m[1]]
        if out and all(len(s | {v}) <= MAX_OR for s, v in zip(seen, values, strict=True)):
            out[-1].append(m)
            for s, v in zip(seen, values, strict=True):
                s.add(v)
        else:
            out.append([m])
            seen = [{v} for v in values]
    return out


def merge(residuals: list[Residual], facts: dict[str, tuple[int, Fact]]
          ) -> list[tuple[Merged, list[dict[str, Any]]]]:
    """The merged rules, each with its durable patterns."""
    shaped: dict[str, list[tuple[Residual, list[Any]]]] = {}
    for r in residuals:
        places = _places(r)
        holes = {id(t): [_PLACE] for _, t in places}
        stage = r.stratum if r.staged() else None
        shape = [[e.key, e.negated, _pattern(e, holes)] for e in r.entries]
        sig = json.dumps([stage, shape], sort_keys=True)
        shaped.setdefault(sig, []).append((r, [t.value for _, t in places]))
    out: list[tuple[Merged, list[dict[str, Any]]]] = []
    for members in shaped.values():
        for group in _chunks(members):
            out.append(_merged(f"m{len(out)}", group, facts))
    return out


def _merged(name: str, group: list[tuple[Residual, list[Any]]],
            facts: dict[str, tuple[int, Fact]]) -> tuple[Merged, list[dict[str, Any]]]:
    first = group[0][0]
    places = _places(first)
    values: list[dict[Any, Any]] = [{} for _ in places]
    for _, consts in group:
        for j, v in enumerate(consts):
            values[j].setdefault(_canon(v), v)
    varying = [j for j, vs in enumerate(values) if len(vs) > 1]
    subst = {id(t): sorted(vs.values(), key=lambda v: norm_key([v]))
             for (_, t), vs in zip(places, values, strict=True)}
    terms: list[dict[str, Any]] = []
    if first.staged():
        terms.append({STAGE_ALIAS: {"$and": [{"type": STAGE_FACT}, {"n": first.stratum}]}})
    terms += [{e.key: _pattern(e, subst)} for e in first.entries]
    table: dict[str, list[Expansion]] = {}
    for r, consts in group:
        table.setdefault(norm_key([consts[j] for j in varying]), []).append(expansion(r, facts))
    keys = [[places[j][0].key, places[j][1].field] for j in varying]
    return Merged(name, min(r.rule.priority for r, _ in group), keys,
                  {k: pack(v) for k, v in table.items()}), terms
