"""Resolve the conclusions rules drew into a status per method and per candidate, by priority."""

from __future__ import annotations

from dataclasses import field
from typing import Any, NamedTuple

from negatives.engine.infer.runtime import Firing
from negatives.engine.language.rulemodel import CONCLUSIONS, STATUS_RANK, Rule
from negatives.engine.load.errors import EngineError
from negatives.engine.load.records import record
from negatives.engine.model.knowledge import Knowledge


class Decision(NamedTuple):
    """One status conclusion: which rule, at which priority, about what.

    A NamedTuple: built for every status conclusion of every evaluation (see runtime.Firing).
    """

    status: str
    rule: str
    priority: int
    method: str
    pairing: str | None
    exercise: str | None
    lift: str | None
    reason: str | None
    seq: int

    def sort_key(self) -> tuple[int, int, int]:
        # Lower priority number wins; at equal priority the more cautious status wins.
        return (self.priority, STATUS_RANK[self.status], self.seq)


@record(frozen=False)
class Verdict:
    """The resolved status of a method or a candidate, with the winning and overridden rules."""

    status: str
    winner: Decision | None
    overridden: list[Decision] = field(default_factory=list)
    supporting: list[Decision] = field(default_factory=list)


@record
class Prescription:
    parameter: str
    value: Any
    rule: str
    priority: int
    overridden: tuple[tuple[str, Any], ...]


@record
class Warning:
    rule: str
    method: str | None
    pairing: str | None
    lift: str | None
    message: str


@record(frozen=False)
class Resolution:
    methods: dict[str, Verdict]
    candidates: dict[str, dict[str, Verdict]]  # method -> pairing or exercise -> verdict
    prescriptions: dict[str, dict[str, Prescription]]
    warnings: list[Warning]


def decisions(firings: list[Firing], rules: dict[str, Rule]) -> list[Decision]:
    out = []
    for firing in firings:
        for kind, args in firing.conclusions:
            status = CONCLUSIONS.get(kind)
            if status is None or "method" not in args:
                continue
            out.append(Decision(status, firing.rule, rules[firing.rule].priority,
                                str(args["method"]), args.get("pairing"), args.get("exercise"),
                                args.get("lift"), args.get("reason"), firing.seq))
    return out


def _verdict(found: list[Decision], default: str) -> Verdict:
    if not found:
        return Verdict(default, None)
    ranked = sorted(found, key=Decision.sort_key)
    winner = ranked[0]
    overridden = [d for d in ranked[1:] if d.status != winner.status]
    supporting = [d for d in ranked[1:] if d.status == winner.status]
    return Verdict(winner.status, winner, overridden, supporting)


def resolve(firings: list[Firing], rules: dict[str, Rule], kb: Knowledge) -> Resolution:
    by_method: dict[str, list[Decision]] = {}
    for d in decisions(firings, rules):
        by_method.setdefault(d.method, []).append(d)
    candidates: dict[str, dict[str, Verdict]] = {}
    methods: dict[str, Verdict] = {}
    for method in kb.methods:
        mine = by_method.get(method, [])
        keyed: dict[str, list[Decision]] = {}
        for d in mine:
            key = d.pairing or d.exercise  # a pairing is the candidate; its exercise is detail
            if key:
                keyed.setdefault(key, []).append(d)
        candidates[method] = {k: _verdict(v, "allowed") for k, v in sorted(keyed.items())}
        whole = [d for d in mine if not d.pairing and not d.exercise]
        live = [d for d in mine if d.status == "recommended" and (d.pairing or d.exercise) and
                candidates[method][str(d.pairing or d.exercise)].status == "recommended"]
        methods[method] = _verdict(whole + live, "not-now")
    return Resolution(methods, candidates, _prescriptions(firings, rules, kb), _warnings(firings))


def _prescriptions(firings: list[Firing], rules: dict[str, Rule],
                   kb: Knowledge) -> dict[str, dict[str, Prescription]]:
    drawn: dict[tuple[str, str], list[tuple[int, int, str, Any]]] = {}
    for firing in firings:
        for kind, args in firing.conclusions:
            if kind == "prescribe" and "value" in args:
                key = (str(args["method"]), str(args["parameter"]))
                known = kb.methods.get(key[0])
                param = known.parameters.get(key[1]) if known else None
                problem = param.problem(args["value"]) if param else None
                if problem:  # a value from a fact: rules check cannot see it, so check it here
                    rule = rules[firing.rule]
                    raise EngineError(f"{rule.file}:{rule.line}: rule '{rule.id}' prescribed "
                                      f"{problem} ({key[0]} in the knowledge base)")
                drawn.setdefault(key, []).append(
                    (rules[firing.rule].priority, firing.seq, firing.rule, args["value"]))
    out: dict[str, dict[str, Prescription]] = {}
    for (method, parameter), options in sorted(drawn.items()):
        options.sort(key=lambda o: (o[0], o[1]))
        best = options[0]
        lost = tuple((o[2], o[3]) for o in options[1:] if o[3] != best[3])
        out.setdefault(method, {})[parameter] = Prescription(parameter, best[3], best[2], best[0],
                                                             lost)
    return out


def _warnings(firings: list[Firing]) -> list[Warning]:
    out: list[Warning] = []
    seen: set[tuple[Any, ...]] = set()
    for firing in firings:
        for kind, args in firing.conclusions:
            if kind != "warn":
                continue
            w = Warning(firing.rule, args.get("method"), args.get("pairing"), args.get("lift"),
                        " ".join(str(args["message"]).split()))
            key = (w.rule, w.method, w.pairing, w.lift, w.message)
            if key not in seen:
                seen.add(key)
                out.append(w)
    return out
