"""The answers still open, the values that can tell them apart, and the advice each case gets."""

from __future__ import annotations

import copy
import json
from typing import Any

from negatives.engine.advice.advise import Advice, advise
from negatives.engine.consult.questions import SPECIAL, Field, Question, choices, field_schema
from negatives.engine.infer.workspace import Workspace
from negatives.engine.language.rulemodel import Ref, Rule
from negatives.engine.model.athlete import parse_athlete
from negatives.engine.model.facts import knowledge_facts

Athlete = dict[str, Any]
# Parts of the advice that explain rather than decide: they name rules that merely agreed, the
# firing order, or sentences that quote the athlete's values back. Two cases whose advice
# differs only there get the same advice.
EXPLAINING = frozenset({"athlete", "explanation", "background", "reasons", "chain", "rules",
                        "overridden", "seq", "says"})
ACTIVE = ("recommended", "allowed")


def decisions(advice: Advice) -> Any:
    """The advice without its explaining parts: what the lifter is told to do. A note about a
    pairing that is not recommended (find its 1RM) does not change what the lifter does, nor
    do the candidates of a method held back, nor the ones ruled out (the "why not" list)."""
    chosen = {(r.get("pairing") or {}).get("id") for r in advice.get("recommendations", [])}
    out = dict(advice)
    out["methods"] = [_method(m, chosen) for m in advice.get("methods", [])]
    return _without_explaining(out)


def _method(m: dict[str, Any], chosen: set[Any]) -> dict[str, Any]:
    """A method held back is told by its status and the rule that decided it; the fate of each
    of its candidates is detail the lifter does not act on."""
    if m.get("status") not in ACTIVE:
        return {"method": m.get("method"), "status": m.get("status"),
                "decided_by": (m.get("decided_by") or {}).get("rule")}
    return {**m, "warnings": [w for w in m.get("warnings", [])
                              if w.get("pairing") is None or w["pairing"] in chosen],
            "candidates": [c for c in m.get("candidates", []) if c.get("status") in ACTIVE]}


def _without_explaining(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_explaining(v) for k, v in value.items() if k not in EXPLAINING}
    if isinstance(value, list):
        return [_without_explaining(v) for v in value]
    return value


def verdicts(advice: Advice) -> str:
    """The coarse advice: each method's status, and what is recommended for which lift."""
    methods = {m["method"]: m["status"] for m in advice["methods"]}
    methods["recommendations"] = json.dumps([
        (r["method"], r["target_lift"], (r.get("pairing") or {}).get("id"), r.get("exercise"))
        for r in advice["recommendations"]])
    return json.dumps(methods, sort_keys=True)


def lift_entry(athlete: Athlete, lift: str) -> dict[str, Any] | None:
    entries = athlete.get("lifts") or []
    return next((e for e in entries if isinstance(e, dict) and e.get("name") == lift), None)


def get(athlete: Athlete, field: Field) -> Any:
    if field.key == "stalled":
        entry = lift_entry(athlete, str(field.subject)) or {}
        return entry.get("stalled")
    if field.key == "one_rep_max":
        return (athlete.get("one_rep_max") or {}).get(field.subject)
    return athlete.get(field.key)


def put(athlete: Athlete, field: Field, value: Any) -> Athlete:
    """A copy of `athlete` with the field set (None leaves an optional field out)."""
    out = copy.deepcopy(athlete)
    if field.key == "stalled":
        entry = lift_entry(out, str(field.subject))
        if entry is not None:
            entry.pop("stalled", None)
            if value is not None:
                entry["stalled"] = value
    elif field.key == "one_rep_max":
        maxes = out.setdefault("one_rep_max", {})
        maxes.pop(field.subject, None)
        if value is not None:
            maxes[field.subject] = value
        if not maxes:
            del out["one_rep_max"]
    elif field.key == "lifts":
        old = {e.get("name"): e for e in out.get("lifts") or [] if isinstance(e, dict)}
        out["lifts"] = [old.get(name, {"name": name}) for name in value]
    elif value is None:
        out.pop(field.key, None)
    else:
        out[field.key] = value
    return out


def settled(athlete: Athlete, field: Field) -> bool:
    """The athlete (or the file the consultation started from) already gives this field."""
    if field.key == "stalled":
        entry = lift_entry(athlete, str(field.subject)) or {}
        return "stalled" in entry or bool(entry.get("log"))
    if field.key == "one_rep_max":
        return field.subject in (athlete.get("one_rep_max") or {})
    return field.key in athlete


class Space:
    """Evaluates cases through the real engine (memoised) and knows each field's telling values."""

    def __init__(self, ws: Workspace, questions: dict[str, Question]) -> None:
        self.ws = ws
        self.questions = questions
        self.memo: dict[str, tuple[str, str, Advice]] = {}
        self.numbers = _thresholds(ws)
        self.evaluations = 0
        # The athlete's own fields to ask about (lifts, their stalls, 1RMs and units aside).
        self.top = tuple(sorted((k for k in questions if k not in SPECIAL or k == "equipment"),
                                key=lambda k: questions[k].order))

    def advice(self, athlete: Athlete) -> Advice:
        return self._run(athlete)[2]

    def signature(self, athlete: Athlete) -> str:
        """The advice's decisions, loads included: equal signatures, equal advice."""
        return self._run(athlete)[0]

    def coarse(self, athlete: Athlete) -> str:
        return self._run(athlete)[1]

    def _run(self, athlete: Athlete) -> tuple[str, str, Advice]:
        key = json.dumps(athlete, sort_keys=True)
        if key not in self.memo:
            self.evaluations += 1
            parsed = parse_athlete(key, "<ask>", self.ws.kb)
            got = advise(parsed, self.ws)
            self.memo[key] = (json.dumps(decisions(got), sort_keys=True), verdicts(got), got)
        return self.memo[key]

    def assume(self, field: Field) -> Any:
        """The value a question that was not needed stands at (None: left out)."""
        if field.key in ("stalled", "one_rep_max", "equipment"):
            return None
        return self.questions[field.key].assume

    def present_load(self, field: Field) -> float:
        """A 1RM to try when a 1RM is given: the lowering movement's only role is to exist."""
        spec = field_schema("one_rep_max")
        return float(min(max(100.0, spec["minimum"]), spec["maximum"]))

    def domain(self, field: Field) -> list[Any]:
        """Values that between them take every path the rules can tell apart for this field."""
        q = self.questions[field.key]
        if q.kind == "choice":
            return choices(q)
        if q.kind == "yesno":
            return [True, False, None] if field.key == "stalled" else [True, False]
        if q.kind == "equipment":
            return [None, []]
        if q.kind == "load":
            return [None, self.present_load(field)]
        spec = field_schema(field.key)
        lo, hi = int(spec["minimum"]), int(spec["maximum"])
        near = {int(t) + d for t in self.numbers.get(field.key, set()) for d in (-1, 0, 1)}
        return sorted({v for v in near | {lo, int(q.assume)} if lo <= v <= hi})

    def fields(self, athlete: Athlete, load_bases: set[str]) -> list[Field]:
        """Every field this athlete could be asked about, given the lifts and loads in view."""
        out = [Field(k) for k in self.top]
        out += [Field("stalled", str(e["name"])) for e in athlete.get("lifts") or []]
        out += [Field("one_rep_max", name) for name in sorted(load_bases)]
        return out

    def load_bases(self, advice: Advice) -> set[str]:
        """Exercises whose 1RM the advice could load from: the lowering side of a pairing in
        play, an exercise in play, or the basis of a recommendation."""
        kb = self.ws.kb
        out = {str(r["load_basis"]["exercise"]) for r in advice["recommendations"]
               if r.get("load_basis")}
        for m in advice["methods"]:
            if m["status"] not in ACTIVE:
                continue
            for c in m["candidates"]:
                if c["status"] not in ACTIVE:
                    continue
                if "pairing" in c and c["pairing"] in kb.pairings:
                    out.add(kb.pairings[c["pairing"]].eccentric)
                elif "exercise" in c:
                    out.add(str(c["exercise"]))
        return out


def _thresholds(ws: Workspace) -> dict[str, set[float]]:
    """Numbers the rules compare athlete fields with: constants, or the values of the field a
    reference names across the knowledge facts (a method parameter, a setting)."""
    facts = knowledge_facts(ws.kb, set())
    out: dict[str, set[float]] = {}
    for rule in ws.compiled.rules.values():
        for pattern in rule.patterns:
            if pattern.fact != "athlete":
                continue
            for test in pattern.tests():
                out.setdefault(test.field, set()).update(_numbers(test.value, rule, facts))
    return out


def _numbers(value: Any, rule: Rule, facts: list[dict[str, Any]]) -> set[float]:
    if isinstance(value, Ref):
        kinds = {p.fact for p in rule.patterns if p.alias == value.alias}
        return {float(f[value.field]) for f in facts if f.get("type") in kinds
                and _numeric(f.get(value.field))}
    values = value if isinstance(value, tuple) else (value,)
    return {float(v) for v in values if _numeric(v)}


def _numeric(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
