"""WHY a question is asked, HOW a conclusion was reached, and WHY NOT a method."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from negatives.engine.advice.advise import Advice
from negatives.engine.consult.questions import Field, Question, fill
from negatives.engine.consult.select import Witness
from negatives.engine.consult.space import Athlete, Space, put
from negatives.engine.language.rulemodel import Rule
from negatives.engine.load.validate import did_you_mean

# The fact and field a question's answer becomes, for "which rules read it".
READ_AS: dict[str, tuple[str, str | None]] = {
    "stalled": ("lift", "stalled"), "equipment": ("equipment", None),
    "one_rep_max": ("one-rep-max", None),
}


def label(q: Question, value: Any) -> str:
    """A tried value as the lifter would type it."""
    if q.kind == "load":
        return q.unsure or "not given" if value is None else "a 1RM"
    if q.kind == "equipment" and value is None:
        return q.all or "a full gym"
    if value is None:
        return q.unsure or "not given"
    return show(value)


def show(value: Any) -> str:
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    return str(value)


def cite(rule: Rule) -> str:
    c = rule.cite
    said = f'"{c.quote}"' if c.quote else (c.note or "")
    return f"{c.source}: {' '.join(said.split())}"


def _readers(space: Space, f: Field) -> list[Rule]:
    fact, name = READ_AS.get(f.key, ("athlete", f.key))
    return [r for r in space.ws.compiled.rules.values()
            if any(p.fact == fact and (name is None or any(t.field == name for t in p.tests()))
                   for p in r.patterns)]


def _outcome(advice: Advice, methods: list[str]) -> str:
    parts = []
    for m in advice["methods"]:
        if m["method"] in methods:
            rule = (m.get("decided_by") or {}).get("rule")
            parts.append(f"{m['name']} {m['status']}" + (f" [{rule}]" if rule else ""))
    return "; ".join(parts) or advice["summary"]


def _loads(advice: Advice) -> list[str]:
    """The first week's load of each recommendation: what a 1RM answer changes."""
    out = []
    for rec in advice["recommendations"]:
        for week in rec.get("weeks", [])[:1]:
            load = week.get("load")
            out.append(f"{rec['method']} {week.get('percent_1rm')}%" +
                       (f" = {load} {week.get('units', '')}".rstrip() if load is not None
                        else " (no load)"))
    return out


def _assumed(space: Space, w: Witness, known: Athlete, deciding: list[str]) -> str:
    """The values the case takes for questions not answered yet: the ones it changed from
    their assumption, and the ones the deciding rules read."""
    rules = space.ws.compiled.rules
    read = {t.field for r in deciding if r in rules for p in rules[r].patterns
            if p.fact == "athlete" for t in p.tests()}
    parts = []
    for key in space.top:
        if key != w.field.key and key not in known and key in w.case and \
                (w.case[key] != space.assume(Field(key)) or key in read):
            parts.append(f"{key} {label(space.questions[key], w.case[key])}")
    return ", ".join(parts)


def why(space: Space, w: Witness, known: Athlete, units: str) -> list[str]:
    """Which rules need this answer, what it decides either way, and their sources."""
    q = space.questions[w.field.key]
    out = [f"Why I ask ({w.field.id}): {fill(q.ask, w.field, units)}"]
    if w.offer:  # which 1RMs are known: the first one stands for them all
        w = replace(w, field=Field("one_rep_max", w.offer[0]))
        out = [f"Why I ask (one_rep_max): the loads of the advice depend on which of these "
               f"1RMs you know; for example the {w.offer[0]}:"]
    if w.field.key == "units":
        out.append("  Your next answers are loads (1RMs); the units are asked once, first.")
    advices = {label(q, v): space.advice(put(w.case, w.field, v)) for v in w.values}
    states = [{m["method"]: (m["status"], (m.get("decided_by") or {}).get("rule"))
               for m in a["methods"]} for a in advices.values()]
    differ = [m for m in states[0] if len({s[m] for s in states}) > 1] if states else []
    deciding: list[str] = []
    for value, advice in advices.items():
        line = _outcome(advice, differ) if differ else advice["summary"]
        loads = _loads(advice)
        out.append(f"  If you answer {value}: {line}" +
                   (f" (loads: {', '.join(loads)})" if loads and not differ else ""))
        deciding += [str(s[m][1]) for s in states for m in differ if s[m][1]]
    if w.field.key != "units" and (assumed := _assumed(space, w, known, deciding)):
        out.insert(1, f"  (taking, for questions still open: {assumed})")
    rules = space.ws.compiled.rules
    named = [rules[r] for r in dict.fromkeys(deciding) if r in rules]
    named += [r for r in _readers(space, w.field) if r not in named]
    if named:
        out.append("  Rules that need this answer:")
        out += [f"    [{r.id}] {r.title} ({cite(r)})" for r in named[:6]]
    elif w.field.key == "one_rep_max":
        out.append("  The load of the negative work is a percentage of this 1RM.")
    return out


def find_method(advice: Advice, name: str) -> dict[str, Any] | None:
    key = " ".join(name.lower().replace("-", " ").split())
    methods: list[dict[str, Any]] = advice["methods"]
    for m in methods:
        if key in (m["method"].replace("-", " "), m["name"].lower()):
            return m
    hits = [m for m in methods if key and (m["method"].replace("-", " ").startswith(key)
                                           or m["name"].lower().startswith(key))]
    return hits[0] if len(hits) == 1 else None


def known_names(advice: Advice, rules: dict[str, Rule]) -> list[str]:
    return [*(m["method"] for m in advice["methods"]), *rules]


def how(advice: Advice, rules: dict[str, Rule], target: str) -> list[str]:
    """How a method's status (and its plan) or a rule's conclusions came about."""
    m = find_method(advice, target)
    if m is not None:
        out = [f"How: {m['name']} is {m['status']}."]
        out += [f"  {' '.join(r.split())}" for r in m["reasons"]]
        for rec in advice["recommendations"]:
            if rec["method"] == m["method"]:
                out.append(f"  The plan for the {rec['target_lift']} follows from:")
                out += [f"    [{r}] {rules[r].title} ({cite(rules[r])})"
                        for r in rec["rules"] if r in rules]
        return out
    rule = rules.get(target.strip())
    if rule is None:
        return [f"nothing called '{target}'{did_you_mean(target, known_names(advice, rules))}; "
                "try a method (e.g. eccentric-only) or a rule id"]
    steps = [s for s in advice["explanation"] if s["rule"] == rule.id]
    out = [f"How: [{rule.id}] {rule.title}", f"  {' '.join(rule.because.split())}",
           f"  Source: {cite(rule)}"]
    if not steps:
        out.append("  It did not fire for you: its conditions did not all hold.")
    for s in steps:
        facts = ", ".join(f"{k}={v}" for k, v in s["facts"].items())
        out.append(f"  It concluded: {s['conclusion']}" + (f" (on {facts})" if facts else ""))
    return out


def why_not(advice: Advice, rules: dict[str, Rule], target: str) -> list[str]:
    """Why a method was ruled out, or held back, and which candidates were."""
    m = find_method(advice, target)
    if m is None:
        names = [x["method"] for x in advice["methods"]]
        return [f"no method called '{target}'{did_you_mean(target, names)}; "
                f"methods: {', '.join(names)}"]
    if m["status"] == "recommended":
        return [f"{m['name']} is recommended for you: see `how {m['method']}`."]
    out = [f"Why not {m['name']}: it is {m['status']}."]
    out += [f"  {' '.join(r.split())}" for r in m["reasons"]]
    held = [c for c in m["candidates"] if c["status"] in ("blocked", "not-now")]
    for c in held[:8]:
        what = c.get("pairing") or c.get("exercise")
        reason = c["reasons"][0] if c["reasons"] else c["status"]
        out.append(f"  - {what}: {c['status']}: {' '.join(str(reason).split())}")
    if len(held) > 8:
        out.append(f"  ... and {len(held) - 8} more (`negatives advise --format json`).")
    return out
