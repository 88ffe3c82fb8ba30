"""The answers the three peers must agree on, as one plain JSON-able value per athlete.

A projection is a dict:

- `units`, `answer` ("yes" | "no") and `verdict` ("yes" | "not-now" | "no");
- `methods`: method id -> [status, why] for all four methods;
- `candidates`: method id -> {pairing id or exercise name -> [status, why]}, for every pairing
  or exercise some rule decided about (blocked deadlift pairings and exercises, pairings without
  equipment, unspottable exercises, recommended pairings and exercises);
- `prescriptions`: method id -> {parameter -> value} (the winning `prescribe`s);
- `plans`: the recommendations in order, each with the method, target lift, pairing, exercise,
  sets, reps, reps_min, tempo, `when` (now | next-cycle), days_per_week, the load basis
  (exercise and its 1RM) and `weeks`:
  [[week, percent_1rm, load, exact_load], ...] with the load rounded as negatives rounds it.

`why` is the id of the rule that decided a status (it tells a novice block from the 3-week
limit from bad timing from fatigue), or None for `recommended` (several rules at the same
priority may recommend; which one is listed first is an engine detail) and for the default
status no rule gave. Warnings, texts, quotes and the explanation are not part of it.
"""

from __future__ import annotations

from typing import Any

from negatives.engine.advice.advise import Advice, stalled_and_timing
from negatives.engine.advice.plan import Plan, plans
from negatives.engine.infer.resolve import Resolution, Verdict, resolve
from negatives.engine.infer.runtime import Firing
from negatives.engine.infer.workspace import Workspace
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.facts import all_facts
from negatives.engine.model.knowledge import Knowledge

Projection = dict[str, Any]
Status = list[str | None]


def verdict_of(statuses: list[str]) -> str:
    """The overall verdict from the method statuses, as negatives states it."""
    if "recommended" in statuses:
        return "yes"
    return "no" if all(s == "blocked" for s in statuses) else "not-now"


def status(value: str, rule: str | None) -> Status:
    return [value, None if value == "recommended" else rule]


def week(number: int, percent: float | None, load: float | None,
         exact: float | None) -> list[Any]:
    return [number, percent, load, exact]


def plan(method: str, lift: str | None, pairing: str | None, exercise: str | None,
         sets: int | None, reps: int | None, reps_min: int | None,
         tempo: dict[str, float] | None, basis: str | None, one_rep_max: float | None,
         weeks: list[list[Any]], when: str = "now", days: int | None = None
         ) -> dict[str, Any]:
    return {"method": method, "lift": lift, "pairing": pairing, "exercise": exercise,
            "sets": sets, "reps": reps, "reps_min": reps_min, "tempo": tempo,
            "when": when, "days_per_week": days,
            "basis": basis, "one_rep_max": one_rep_max, "weeks": weeks}


def projection(units: str, methods: dict[str, Status],
               candidates: dict[str, dict[str, Status]],
               prescriptions: dict[str, dict[str, Any]],
               plan_list: list[dict[str, Any]]) -> Projection:
    verdict = verdict_of([s[0] for s in methods.values() if s[0] is not None])
    return {"units": units, "answer": "yes" if verdict == "yes" else "no", "verdict": verdict,
            "methods": methods,
            "candidates": {m: dict(sorted(c.items())) for m, c in candidates.items()},
            "prescriptions": {m: dict(sorted(p.items())) for m, p in prescriptions.items()},
            "plans": plan_list}


def _decided(node: dict[str, Any]) -> Status:
    by = node.get("decided_by")
    return status(node["status"], by["rule"] if by else None)


def from_advice(advice: Advice) -> Projection:
    """The projection of negatives' full advice (the JSON-ready dict `advise` returns)."""
    methods: dict[str, Status] = {}
    candidates: dict[str, dict[str, Status]] = {}
    prescriptions: dict[str, dict[str, Any]] = {}
    for m in advice["methods"]:
        name = m["method"]
        methods[name] = _decided(m)
        candidates[name] = {c.get("pairing") or c["exercise"]: _decided(c)
                            for c in m["candidates"]}
        prescriptions[name] = {k: v["value"] for k, v in m["prescription"].items()}
    out = []
    for r in advice["recommendations"]:
        basis = r["load_basis"] or {}
        out.append(plan(r["method"], r["target_lift"],
                        r["pairing"]["id"] if r["pairing"] else None, r["exercise"],
                        r["sets"], r["reps"], r.get("reps_min"), r.get("tempo"),
                        basis.get("exercise"), basis.get("one_rep_max"),
                        [week(w["week"], w["percent_1rm"], w["load"], w["exact_load"])
                         for w in r["weeks"]], r["when"], r["days_per_week"]))
    proj = projection(advice["athlete"]["units"], methods, candidates, prescriptions, out)
    if (proj["verdict"], proj["answer"]) != (advice["verdict"], advice["answer"]):
        raise AssertionError("the projection's verdict differs from the advice's")
    return proj


def _verdict(v: Verdict) -> Status:
    return status(v.status, v.winner.rule if v.winner else None)


def from_resolution(athlete: Athlete, kb: Knowledge, res: Resolution,
                    recs: list[Plan]) -> Projection:
    """The same projection from negatives' decisions (no explanation, no JSON)."""
    methods = {m: _verdict(res.methods[m]) for m in kb.methods}
    candidates = {m: {k: _verdict(v) for k, v in res.candidates.get(m, {}).items()}
                  for m in kb.methods}
    prescriptions = {m: {k: p.value for k, p in res.prescriptions.get(m, {}).items()}
                     for m in kb.methods}
    out = [plan(p.method, p.target_lift, p.pairing, p.exercise, p.sets, p.reps, p.reps_min,
                p.tempo, p.load_basis, p.one_rep_max,
                [week(w.week, w.percent_1rm, w.load, w.exact_load) for w in p.weeks],
                p.when, p.days_per_week)
           for p in recs]
    return projection(athlete.units, methods, candidates, prescriptions, out)


def negatives_decisions(athlete: Athlete, ws: Workspace) -> Projection:
    """negatives without the explanation: rules, resolution and plans only."""
    return from_firings(athlete, ws, ws.evaluate_athlete(athlete))


def reference_decisions(athlete: Athlete, ws: Workspace) -> Projection:
    """The same through the reference path (every fact asserted through durable's Host)."""
    return from_firings(athlete, ws, ws.runtime.evaluate(all_facts(athlete, ws.kb)))


def from_firings(athlete: Athlete, ws: Workspace, firings: list[Firing]) -> Projection:
    """The decisions-only projection from firings already evaluated."""
    res = resolve(firings, ws.compiled.rules, ws.kb)
    return from_resolution(athlete, ws.kb, res,
                           plans(res, ws.kb, athlete, *stalled_and_timing(firings)))
