"""Brief advice: the answer, the plans and the deciding rules, without the explanation."""

from __future__ import annotations

from typing import Any

from negatives.engine.advice.advise import (
    Advice,
    _plan,
    _summary,
    _when,
    stalled_and_timing,
)
from negatives.engine.advice.explain import producers
from negatives.engine.advice.plan import plans
from negatives.engine.advice.sentences import plan_why
from negatives.engine.infer.resolve import Verdict, resolve
from negatives.engine.infer.runtime import Firing
from negatives.engine.language.rulemodel import Rule
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.knowledge import Knowledge


def _decided(v: Verdict, rules: dict[str, Rule]) -> dict[str, Any] | None:
    if v.winner is None:
        return None
    return {"rule": v.winner.rule, "title": rules[v.winner.rule].title}


def _method(method: str, v: Verdict, candidates: dict[str, Verdict], kb: Knowledge,
            rules: dict[str, Rule], prescription: dict[str, Any],
            firings: list[Firing]) -> dict[str, Any]:
    return {
        "method": method,
        "name": kb.methods[method].name,
        "status": v.status,
        "decided_by": _decided(v, rules),
        "overridden": list(dict.fromkeys(d.rule for d in v.overridden)),
        "candidates": {key: {"status": c.status,
                             "rule": c.winner.rule if c.winner else None}
                       for key, c in candidates.items()},
        "prescription": prescription,
        **_when(method, v.status, v.winner.rule if v.winner else None, firings),
    }


def brief_advice(athlete: Athlete, kb: Knowledge, rules: dict[str, Rule],
                 firings: list[Firing]) -> Advice:
    """What full advice says, minus the explanation, reasons, background and sources."""
    res = resolve(firings, rules, kb)
    recs = plans(res, kb, athlete, *stalled_and_timing(firings))
    methods = [_method(m, res.methods[m], res.candidates.get(m, {}), kb, rules,
                       {name: p.value for name, p in res.prescriptions.get(m, {}).items()},
                       firings)
               for m in kb.methods]
    statuses = [m["status"] for m in methods]
    verdict = "yes" if "recommended" in statuses else \
        "no" if all(s == "blocked" for s in statuses) else "not-now"
    made_by = producers(firings)
    recommendations = []
    for p in recs:
        rec = plan_why(_plan(p, kb, firings, made_by, rules), res, firings, rules, kb)
        del rec["chain"], rec["source"]  # seq numbers of the explanation, which brief leaves out
        recommendations.append(rec)
    return {
        "athlete": {"name": athlete.name, "file": athlete.file, "units": athlete.units,
                    "lifts": [lift.name for lift in athlete.lifts]},
        "detail": "brief",
        "answer": "yes" if verdict == "yes" else "no",
        "verdict": verdict,
        "summary": _summary(verdict, recs, methods, kb),
        "methods": methods,
        "recommendations": recommendations,
        "warnings": [{"rule": w.rule, "method": w.method, "message": w.message}
                     for w in res.warnings if w.method is None],
    }
