"""Explanations: which rules fired on which facts, the chain behind each conclusion, and sources."""

from __future__ import annotations

import json
from typing import Any

from negatives.engine.infer.partialdata import fact_key
from negatives.engine.infer.runtime import Firing
from negatives.engine.language.rulemodel import OPERATORS, FieldTest, Group, Ref, Rule

Step = dict[str, Any]  # one fired rule, ready to show: seq, rule, title, priority,
# conclusion, facts (the values it matched), because and source, in that order


_key = fact_key  # a fact's identity: the same text the engine keys it by

_TEXT = json.encoder.encode_basestring  # json.dumps's string form, no ASCII escapes


def _json(value: Any) -> str:
    """json.dumps(value, ensure_ascii=False), without building an encoder for a plain scalar."""
    kind = type(value)
    if kind is str:
        return _TEXT(value)
    if value is None or kind is bool:
        return "null" if value is None else "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def conclusion_text(kind: str, args: dict[str, Any]) -> str:
    if kind == "assert":
        fields = ", ".join(f"{k}={v}" for k, v in args.items() if k != "fact")
        return f"{args.get('fact')}({fields})"
    if kind == "prescribe":
        return f"{args.get('method')}: {args.get('parameter')} = {args.get('value')}"
    if kind == "warn":
        return f"warn: {' '.join(str(args.get('message', '')).split())}"
    subject = ", ".join(f"{k} {v}" for k, v in args.items() if k not in ("method", "reason"))
    reason = f" ({args['reason']})" if args.get("reason") else ""
    return f"{kind} {args.get('method')}{': ' + subject if subject else ''}{reason}"


def _resolved(test: FieldTest, firing: Firing) -> str:
    if isinstance(test.value, Ref):
        value = _get(firing.bindings.get(test.value.alias, {}), test.value.field)
        return f"{test.field} {OPERATORS[test.op]} {value}"
    return test.describe()


def _get(fact: dict[str, Any], dotted: str) -> Any:
    value: Any = fact
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def conditions(rule: Rule, firing: Firing) -> list[str]:
    """Each tested value against its condition: `a.experience = "novice" (experience is novice)`."""
    out = []
    for p in rule.patterns:
        if p.negated:
            tests = "; ".join(_resolved(t, firing) for t in p.tests())
            out.append(f"there is no {p.fact}" + (f" with {tests}" if tests else ""))
            continue
        fact = firing.bindings.get(p.alias, {})
        out += [_condition(p.alias, fact, item, firing) for item in p.where.items]
    return out


def _condition(alias: str, fact: dict[str, Any], item: FieldTest | Group, firing: Firing) -> str:
    tests = [item] if isinstance(item, FieldTest) else _tests(item)
    fields = list(dict.fromkeys(t.field for t in tests))
    values = ", ".join(f"{alias}.{f} = {_json(_get(fact, f))}"
                       for f in fields)
    joiner = " or " if isinstance(item, Group) and item.kind == "any" else " and "
    return f"{values} (condition: {joiner.join(_resolved(t, firing) for t in tests)})"


def _tests(group: Group) -> list[FieldTest]:
    return [t for i in group.items for t in ([i] if isinstance(i, FieldTest) else _tests(i))]


_NAMES = ("name", "lift", "exercise", "pairing")  # the field that names a matched fact
_NONE: dict[str, Any] = {}


def matched_values(rule: Rule, firing: Firing) -> dict[str, Any]:
    """`alias.field: value` for every field the rule tested, plus each matched fact's name."""
    out: dict[str, Any] = {}
    bindings = firing.bindings
    for p in rule.patterns:
        if p.negated:
            tests = "; ".join(_resolved(t, firing) for t in p.tests())
            out[f"no {p.fact}"] = tests or "of any kind"
            continue
        fact = bindings.get(p.alias, _NONE)
        for name in _NAMES:
            if name in fact:
                out[f"{p.alias}.{name}"] = fact[name]
                break
        for label, field in p.labelled_fields:
            out[label] = fact.get(field) if "." not in field else _get(fact, field)
    return out


def steps(firings: list[Firing], rules: dict[str, Rule]) -> list[Step]:
    """Every firing as a step (a fresh dict each: a consumer may change its own)."""
    out = []
    because: dict[str, str] = {}  # each rule's text once per call, not once per firing
    for f in firings:
        rule = rules[f.rule]
        said = because.get(rule.id)
        if said is None:
            said = because[rule.id] = " ".join(rule.because.split())
        text = "; ".join([conclusion_text(k, a) for k, a in f.conclusions])
        out.append({"seq": f.seq, "rule": f.rule, "title": rule.title,
                    "priority": rule.priority, "conclusion": text,
                    "facts": matched_values(rule, f), "because": said,
                    "source": rule.cite.as_dict()})
    return out


def producers(firings: list[Firing]) -> dict[str, int]:
    """Derived fact (by content) -> the firing that first asserted it."""
    out: dict[str, int] = {}
    for f in firings:
        for fact in f.derived():
            out.setdefault(_key(fact), f.seq)
    return out


def chain(seq: int, firings: list[Firing], made_by: dict[str, int]) -> list[int]:
    """The firing and, before it, every firing that produced a fact it matched (depth first)."""
    order: list[int] = []

    def visit(n: int) -> None:
        if n in order:
            return
        for fact in firings[n].bindings.values():
            producer = made_by.get(_key(fact))
            if producer is not None and producer != n:
                visit(producer)
        order.append(n)

    visit(seq)
    return order
