"""The advise pipeline: athlete -> facts -> durable_rules -> resolution -> plans -> advice."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from negatives.engine.advice.explain import chain, conditions, producers, steps
from negatives.engine.advice.plan import Plan, plans
from negatives.engine.advice.sentences import plan_why, sentences
from negatives.engine.infer.resolve import Decision, Resolution, Verdict, resolve
from negatives.engine.infer.runtime import Firing, Fixed
from negatives.engine.infer.workspace import Workspace
from negatives.engine.language.rulemodel import Rule
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.facts import all_facts
from negatives.engine.model.knowledge import ALL_METHODS, Knowledge

Advice = dict[str, Any]


def advise(athlete: Athlete, ws: Workspace, detail: str = "full") -> Advice:
    """The advice; `detail` "brief" leaves the explanation out (and is never built)."""
    firings = ws.evaluate_athlete(athlete)
    if detail == "brief":
        from negatives.engine.advice.brief import brief_advice

        return brief_advice(athlete, ws.kb, ws.compiled.rules, firings)
    return build_advice(athlete, ws.kb, ws.compiled.rules, firings)


def advise_reference(athlete: Athlete, ws: Workspace) -> Advice:
    """The straightforward path (every fact asserted through durable's Host), kept for tests."""
    firings = ws.runtime.evaluate(all_facts(athlete, ws.kb))
    return build_advice(athlete, ws.kb, ws.compiled.rules, firings)


def build_advice(athlete: Athlete, kb: Knowledge, rules: dict[str, Rule],
                 firings: list[Firing]) -> Advice:
    return advice_and_plans(athlete, kb, rules, firings)[0]


def advice_and_plans(athlete: Athlete, kb: Knowledge, rules: dict[str, Rule],
                     firings: list[Firing]) -> tuple[Advice, list[Plan]]:
    res = resolve(firings, rules, kb)
    stalled, timing = stalled_and_timing(firings)
    made_by = producers(firings)
    recs = plans(res, kb, athlete, stalled, timing)
    said: dict[tuple[str, int, str | None], str] = {}  # a deciding firing's reason, made once
    methods = [_method(m, res, kb, rules, firings, said) for m in kb.methods]
    statuses = [m["status"] for m in methods]
    verdict = "yes" if "recommended" in statuses else \
        "no" if all(s == "blocked" for s in statuses) else "not-now"
    return {
        "athlete": {"name": athlete.name, "file": athlete.file, "units": athlete.units,
                    "lifts": [lift.name for lift in athlete.lifts]},
        "answer": "yes" if verdict == "yes" else "no",
        "verdict": verdict,
        "summary": _summary(verdict, recs, methods, kb),
        "methods": methods,
        "recommendations": [plan_why(_plan(p, kb, firings, made_by, rules), res, firings,
                                     rules, kb) for p in recs],
        "warnings": [{"rule": w.rule, "method": w.method, "message": w.message}
                     for w in res.warnings if w.method is None],
        "background": _background(kb, methods),
        "why_not": sentences(methods, res, firings, rules, kb),
        "explanation": explanation(firings, rules),
        "load_texts": _load_texts(kb, recs),
    }, recs


def _load_texts(kb: Knowledge, recs: list[Plan]) -> dict[str, dict[str, str]]:
    """The sentences (knowledge/loads.yaml) of the load conventions and notes the plans use."""
    used = [w for p in recs for w in p.weeks]
    return {
        "conventions": {c: kb.conventions[c].text for c in
                        sorted({w.load_convention for w in used if w.load_convention})
                        if c in kb.conventions},
        "notes": {n: kb.load_notes[n].text for n in
                  sorted({w.rounding_note for w in used if w.rounding_note})
                  if n in kb.load_notes},
    }


def derived(firings: list[Firing], fact: str) -> list[tuple[str, dict[str, Any]]]:
    """(rule, fields) of every `fact` the rules asserted."""
    return [(f.rule, args) for f in firings for kind, args in f.conclusions
            if kind == "assert" and args.get("fact") == fact]


def stalled_and_timing(firings: list[Firing]) -> tuple[set[str], dict[str, str]]:
    """What plans need from the derived facts, in one pass over the conclusions: the stalled
    lifts (`stalled-lift`), and lift -> when its accentuated-eccentric block runs
    (`ael-planned`; `now` wins over `next-cycle`)."""
    stalled: set[str] = set()
    timing: dict[str, str] = {}
    for f in firings:
        conclusions = f.conclusions
        if type(conclusions) is Fixed:  # constant: its few planning facts picked out once
            facts = conclusions.planning
            if facts is None:
                facts = conclusions.planning = _planning(conclusions)
        elif len(conclusions) == 1:  # most others: one conclusion, rarely a planning fact
            kind, args = conclusions[0]
            if kind != "assert" or args.get("fact") not in _PLANNED:
                continue
            facts = ((args["fact"], args),)
        else:
            facts = _planning(conclusions)
        for fact, args in facts:
            if fact == "stalled-lift":
                stalled.add(str(args["lift"]))
            else:
                lift, when = str(args["lift"]), str(args["when"])
                timing[lift] = when if timing.get(lift, when) == when else WHEN_NOW
    return stalled, timing


def _planning(conclusions: tuple[tuple[str, dict[str, Any]], ...]
              ) -> tuple[tuple[str, dict[str, Any]], ...]:
    """The `stalled-lift` and `ael-planned` facts among the conclusions (their type, fields)."""
    return tuple((fact, args) for kind, args in conclusions if kind == "assert"
                 for fact in [args.get("fact")] if fact in _PLANNED)


_PLANNED = ("stalled-lift", "ael-planned")  # the derived facts plans read


# A method's status -> when the athlete can use it (the deciding rule says why).
WHEN_BY_STATUS = {"recommended": "now", "allowed": "now", "not-now": "next-cycle",
                  "blocked": "not-for-you"}
WHEN_NOW = "now"


def _when(method: str, status: str, decided: str | None,
          firings: list[Firing]) -> dict[str, Any]:
    """When to use the method: the rules' `ael-when` for a recommended block, else its status."""
    if method == "accentuated-eccentric" and status == "recommended":
        found = derived(firings, "ael-when")
        now = [rule for rule, args in found if args.get("when") == WHEN_NOW]
        later = [rule for rule, args in found if args.get("when") != WHEN_NOW]
        if now or later:
            return {"when": WHEN_NOW if now else "next-cycle", "when_rule": (now or later)[0]}
    return {"when": WHEN_BY_STATUS[status], "when_rule": decided}


def explanation(firings: list[Firing], rules: dict[str, Rule]) -> list[dict[str, Any]]:
    """Every firing as a step; only full advice builds it."""
    return steps(firings, rules)


def _reason(d: Decision, rules: dict[str, Rule], firings: list[Firing],
            said: dict[tuple[str, int, str | None], str]) -> str:
    """The rule that decided, why, and the values it matched (one firing often decides several
    candidates: each reason is made once per advice)."""
    key = (d.rule, d.seq, d.reason)
    if key not in said:
        said[key] = _reason_text(d, rules, firings)
    return said[key]


def _reason_text(d: Decision, rules: dict[str, Rule], firings: list[Firing]) -> str:
    rule = rules[d.rule]
    facts = "; ".join(conditions(rule, firings[d.seq]))
    reason = f" ({d.reason})" if d.reason else ""
    override = f" It overrides safety rule(s) {', '.join(rule.overrides)}, as it declares." \
        if rule.overrides else ""
    return f"{rule.title}{reason} [{rule.id}]: {' '.join(rule.because.split())}" + \
        (f" Because: {facts}." if facts else "") + override


def _see_also(rule: Rule, rules: dict[str, Rule]) -> list[str]:
    return [f"See also [{o}] ({rules[o].cite.source}): {' '.join(rules[o].because.split())}"
            for o in rule.see_also if o in rules]


def _ref(d: Decision, rules: dict[str, Rule]) -> dict[str, Any]:
    rule = rules[d.rule]
    return {"rule": d.rule, "title": rule.title, "status": d.status, "priority": d.priority,
            "source": rule.cite.as_dict(), "seq": d.seq}


def _verdict_json(v: Verdict, rules: dict[str, Rule], firings: list[Firing],
                  said: dict[tuple[str, int, str | None], str]) -> dict[str, Any]:
    out: dict[str, Any] = {"status": v.status}
    if v.winner is None:
        out.update(rules=[], reasons=["No rule recommended or allowed it for you."],
                   decided_by=None, overridden=[])
        return out
    ordered = [v.winner, *v.supporting]
    out["rules"] = list(dict.fromkeys(d.rule for d in ordered))
    out["reasons"] = [_reason(v.winner, rules, firings, said),
                      *_see_also(rules[v.winner.rule], rules)]
    out["decided_by"] = _ref(v.winner, rules)
    out["overridden"] = [_ref(d, rules) for d in
                         {d.rule: d for d in reversed(v.overridden)}.values()][::-1]
    return out


def _method(method: str, res: Resolution, kb: Knowledge, rules: dict[str, Rule],
            firings: list[Firing], said: dict[tuple[str, int, str | None], str]
            ) -> dict[str, Any]:
    m = kb.methods[method]
    out: dict[str, Any] = {"method": method, "name": m.name}
    out.update(_verdict_json(res.methods[method], rules, firings, said))
    winner = res.methods[method].winner
    out.update(_when(method, out["status"], winner.rule if winner else None, firings))
    active = out["status"] in ("recommended", "allowed")
    out["warnings"] = [{"rule": w.rule, "message": w.message, "pairing": w.pairing,
                        "lift": w.lift} for w in res.warnings if w.method == method and active]
    for p in res.prescriptions.get(method, {}).values():
        rule = rules[p.rule]
        if p.overridden or rule.see_also:
            lost = ", ".join(f"[{r}] ({v})" for r, v in p.overridden)
            out["reasons"].append(f"{rule.title} [{rule.id}] sets {p.parameter} = {p.value}"
                                  + (f" over {lost}" if lost else "") + ".")
            out["reasons"] += _see_also(rule, rules)
    out["candidates"] = [
        {"pairing" if key in kb.pairings else "exercise": key,
         **_verdict_json(v, rules, firings, said)}
        for key, v in res.candidates.get(method, {}).items()
    ]
    out["prescription"] = {
        name: {"value": p.value, "rule": p.rule,
               "overrides": [{"rule": r, "value": val} for r, val in p.overridden]}
        for name, p in res.prescriptions.get(method, {}).items()
    }
    out["source"] = m.cite.as_dict()
    return out


def _plan(p: Plan, kb: Knowledge, firings: list[Firing], made_by: dict[str, int],
          rules: dict[str, Rule]) -> dict[str, Any]:
    pairing = kb.pairings.get(p.pairing) if p.pairing else None
    trail: list[int] = []
    for f in firings:
        if f.rule == p.rules[0] and any(
                a.get("pairing") == p.pairing and a.get("lift") == p.target_lift and
                a.get("exercise") == p.exercise for k, a in f.conclusions if k == "recommend"):
            trail = chain(f.seq, firings, made_by)
            break
    extra = [f.seq for f in firings if f.rule in p.rules[1:]][: len(p.rules) - 1]
    out: dict[str, Any] = {
        "method": p.method,
        "target_lift": p.target_lift,
        "pairing": {"id": pairing.id, "concentric": pairing.concentric,
                    "eccentric": pairing.eccentric} if pairing else None,
        "exercise": p.exercise,
        "sets": p.sets,
        "reps": p.reps,
        "when": p.when,
        "days_per_week": p.days_per_week,
        "cycle_weeks": list(p.cycle_weeks),
    }
    if p.reps_min is not None:
        out["reps_min"] = p.reps_min
    if p.tempo:
        out["tempo"] = p.tempo
    out["weeks"] = [asdict(w) for w in p.weeks]
    out["load_basis"] = {"exercise": p.load_basis, "one_rep_max": p.one_rep_max} \
        if p.load_basis else None
    out["rules"] = list(dict.fromkeys([*(firings[n].rule for n in trail), *p.rules]))
    out["chain"] = list(dict.fromkeys([*trail, *extra]))
    out["notes"] = list(p.notes)
    out["source"] = rules[p.rules[0]].cite.as_dict()
    return out


def _summary(verdict: str, recs: list[Plan], methods: list[dict[str, Any]],
             kb: Knowledge) -> str:
    if verdict == "yes":
        first = recs[0] if recs else None
        if first and first.pairing:
            pr = kb.pairings[first.pairing]
            return (f"Use {kb.methods[first.method].name} for the {first.target_lift}: "
                    f"{pr.concentric} up, {pr.eccentric} down.")
        names = [m["name"] for m in methods if m["status"] == "recommended"]
        return f"Use {', '.join(names)}."
    main = methods[0]
    why = main["decided_by"]["title"] if main["decided_by"] else "no rule recommended it"
    return f"{main['name'][0].upper() + main['name'][1:]}: {why[0].lower() + why[1:]}."


def _background(kb: Knowledge, methods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    active = {m["method"] for m in methods if m["status"] in ("recommended", "allowed")}
    return [
        {"concept": c.id, "topic": c.topic, "statement": c.statement,
         "source": c.cite.as_dict(), "cites": list(c.cites)}
        for c in kb.concepts.values()
        if ALL_METHODS in c.methods or active & set(c.methods)
    ]
