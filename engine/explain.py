"""Explanations: which rules fired on which facts, the chain behind each conclusion, and sources."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from engine.rulemodel import Rule
from engine.runtime import Firing


@dataclass(frozen=True)
class Step:
    """One fired rule, ready to show: what it concluded, the values it matched, its source."""

    seq: int
    rule: str
    title: str
    priority: int
    conclusion: str
    facts: dict[str, Any]
    because: str
    source: dict[str, Any]


def _key(fact: dict[str, Any]) -> str:
    return json.dumps(fact, sort_keys=True, default=str)


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


def matched_values(rule: Rule, firing: Firing) -> dict[str, Any]:
    """`alias.field: value` for every field the rule tested, plus each matched fact's name."""
    out: dict[str, Any] = {}
    for p in rule.patterns:
        if p.negated:
            tests = "; ".join(t.describe() for t in p.tests())
            out[f"no {p.fact}"] = tests or "of any kind"
            continue
        fact = firing.bindings.get(p.alias, {})
        for name in ("name", "lift", "exercise", "pairing"):
            if name in fact:
                out[f"{p.alias}.{name}"] = fact[name]
                break
        for t in p.tests():
            value: Any = fact
            for part in t.field.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            out[f"{p.alias}.{t.field}"] = value
    return out


def steps(firings: list[Firing], rules: dict[str, Rule]) -> list[Step]:
    out = []
    for f in firings:
        rule = rules[f.rule]
        text = "; ".join(conclusion_text(k, a) for k, a in f.conclusions)
        out.append(Step(f.seq, f.rule, rule.title, rule.priority, text,
                        matched_values(rule, f), " ".join(rule.because.split()),
                        rule.cite.as_dict()))
    return out


def producers(firings: list[Firing]) -> dict[str, int]:
    """Derived fact (by content) -> the firing that first asserted it."""
    out: dict[str, int] = {}
    for f in firings:
        for kind, args in f.conclusions:
            if kind == "assert":
                fact = {"type": args["fact"], **{k: v for k, v in args.items() if k != "fact"}}
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
