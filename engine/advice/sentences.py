"""The lifter's sentences in the advice: each rule's `says`, filled from what it matched."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from negatives.engine.infer.resolve import Resolution, Verdict
from negatives.engine.infer.runtime import Firing
from negatives.engine.language.rulemodel import Rule
from negatives.engine.model.knowledge import Knowledge
from negatives.engine.model.templates import fill_rule, show

Advice = dict[str, Any]


def display(kb: Knowledge) -> Callable[[str, Any], str]:
    """Ids read as names: a muscle id becomes "chest (pectoralis major)", a method id its name."""
    named: dict[str, dict[str, str]] = {
        "muscle": {k: m.name for k, m in kb.muscles.items()},
        "method": {k: m.name for k, m in kb.methods.items()},
        "name": {k: m.name for k, m in kb.methods.items()},
        "pairing": {k: f"{p.concentric} up, {p.eccentric} down" for k, p in kb.pairings.items()},
    }

    def show_named(field: str, value: Any) -> str:
        text = show(value)
        return named.get(field, {}).get(text, text)

    return show_named


class Sayer:
    """The sentence of a rule over one or more of its firings (`says`, else `because`)."""

    def __init__(self, kb: Knowledge, rules: dict[str, Rule], firings: list[Firing]) -> None:
        self.rules, self.firings = rules, firings
        self.show = display(kb)
        self.made: dict[int, str] = {}

    def __call__(self, seq: int) -> str:
        if seq not in self.made:
            self.made[seq] = self.over([self.firings[seq]])
        return self.made[seq]

    def over(self, firings: list[Firing]) -> str:
        rule = self.rules[firings[0].rule]
        return fill_rule(rule.says or rule.because, [f.bindings for f in firings], self.show)


def sentences(methods: list[dict[str, Any]], res: Resolution, firings: list[Firing],
              rules: dict[str, Rule], kb: Knowledge) -> list[dict[str, Any]]:
    """Add `says` to each method's decisions and warnings and `lifts` to its candidates;
    return the `why_not` reasons."""
    say = Sayer(kb, rules, firings)
    for m in methods:
        _decided(m, say)
        verdicts = res.candidates.get(m["method"], {})
        for c in m["candidates"]:
            _decided(c, say)
            found = verdicts.get(str(c.get("pairing") or c.get("exercise")))
            c["lifts"] = _lifts(found) if found else []
        _warnings(m, firings, say)
    return why_not(firings, rules, say) + _held(methods, firings, rules, say)


def _held(methods: list[dict[str, Any]], firings: list[Firing], rules: dict[str, Rule],
          say: Sayer) -> list[dict[str, Any]]:
    """Candidates held back (blocked, not now) for a lift: one reason per rule, method and lift.

    `covers` counts the candidates the rule held back, so the reason that rules out the most
    (often all of them) is the one a lifter hears.
    """
    grouped: dict[tuple[str, str, str], list[Firing]] = {}
    for m in methods:
        for c in m["candidates"]:
            ref = c.get("decided_by")
            if c["status"] not in ("blocked", "not-now") or not ref or "seq" not in ref:
                continue
            for lift in c["lifts"]:
                found = grouped.setdefault((ref["rule"], m["method"], lift), [])
                if firings[ref["seq"]] not in found:
                    found.append(firings[ref["seq"]])
    return [{"method": method, "lift": lift, "rule": rule, "priority": rules[rule].priority,
             "says": say.over(found), "from": "candidates", "covers": len(found)}
            for (rule, method, lift), found in grouped.items()]


def plan_why(rec: dict[str, Any], res: Resolution, firings: list[Firing],
             rules: dict[str, Rule], kb: Knowledge) -> dict[str, Any]:
    """Add `why` to a plan: the sentences of the rules behind it, in the order they fired."""
    say = Sayer(kb, rules, firings)
    # A rule that lost one of its prescriptions would state a value the plan does not use.
    lost = {r for by in res.prescriptions.values() for p in by.values() for r, _ in p.overridden}
    rec["why"] = [{"rule": firings[n].rule, "says": say(n)} for n in rec["chain"]
                  if firings[n].rule not in lost]
    return rec


def _decided(verdict: dict[str, Any], say: Sayer) -> None:
    ref = verdict.get("decided_by")
    if ref and "seq" in ref:
        ref["says"] = say(ref["seq"])


def _lifts(v: Verdict) -> list[str]:
    """The lifts a candidate was considered for (by any rule that named one)."""
    found = [v.winner, *v.supporting, *v.overridden] if v.winner else []
    return sorted({str(d.lift) for d in found if d.lift})


def _warnings(m: dict[str, Any], firings: list[Firing], say: Sayer) -> None:
    """A warning's sentence: its rule's `says` when the rule has one (else its message)."""
    for w in m["warnings"]:
        seq = next((f.seq for f in firings if f.rule == w["rule"] for kind, a in f.conclusions
                    if kind == "warn" and a.get("pairing") == w.get("pairing") and
                    a.get("lift") == w.get("lift") and
                    " ".join(str(a.get("message", "")).split()) == w["message"]), None)
        if seq is not None and say.rules[w["rule"]].says:
            w["says"] = say(seq)


def why_not(firings: list[Firing], rules: dict[str, Rule], say: Sayer) -> list[dict[str, Any]]:
    """What `why-not` conclusions say: why a method (or any) is not advised for a lift.

    The firings of one rule about one method and lift make one sentence.
    """
    grouped: dict[tuple[str, Any, Any], list[Firing]] = {}
    for f in firings:
        for kind, args in f.conclusions:
            key = (f.rule, args.get("method"), args.get("lift"))
            if kind == "why-not" and f not in grouped.setdefault(key, []):
                grouped[key].append(f)
    return [{"method": method, "lift": lift, "rule": rule, "priority": rules[rule].priority,
             "says": say.over(found), "from": "rules"}
            for (rule, method, lift), found in grouped.items()]
