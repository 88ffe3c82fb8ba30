"""Resolve the conclusions rules drew into a status per method and per candidate, by priority."""

from __future__ import annotations

from dataclasses import field
from typing import Any, NamedTuple

from negatives.engine.infer.runtime import Firing, Fixed
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


Drawn = dict[tuple[str, str], list[tuple[int, int, str, Any, "Prescription"]]]
_decision = tuple.__new__  # Decision(...) without its Python __new__: a NamedTuple is a tuple


Said = tuple[str | None, str | None, str | None, str]  # a warning's method, pairing, lift, text
# A prescription read: method and parameter, priority, value, and the Prescription it makes
# when no other rule prescribes the parameter (immutable, so kept with constant conclusions).
Prescribed = tuple[tuple[str, str], int, Any, "Prescription"]
Read = tuple[tuple[tuple[Any, ...], ...], tuple[Prescribed, ...], tuple[Said, ...]]


def _read(firings: list[Firing], rules: dict[str, Rule], kb: Knowledge
          ) -> tuple[list[Decision], Drawn, list[tuple[str, Said]]]:
    """One pass over the conclusions: the status decisions, the prescriptions drawn (priority,
    seq, rule, value per method and parameter) and the warnings (rule, what it said).

    Constant conclusions (runtime.Fixed: one object per expansion) are read once and what was
    read is kept on them; only the firing's sequence number is added at each firing.
    """
    out: list[Decision] = []
    drawn: Drawn = {}
    warned: list[tuple[str, Said]] = []
    decided = out.append
    for seq, rule, _, conclusions in firings:
        if type(conclusions) is Fixed:
            kept = conclusions.read
            if kept is None or kept[0] is not rules or kept[1] is not kb:
                kept = conclusions.read = (rules, kb, _read_once(rule, conclusions, rules, kb))
            read: Read = kept[2]
        elif len(conclusions) == 1 and conclusions[0][0] == "assert":  # most others: nothing
            continue
        else:
            read = _read_once(rule, conclusions, rules, kb)
        decisions, prescribed, warnings = read
        for d in decisions:
            decided(_decision(Decision, (*d, seq)))
        for key, priority, value, alone in prescribed:
            drawn.setdefault(key, []).append((priority, seq, rule, value, alone))
        for said in warnings:
            warned.append((rule, said))
    return out, drawn, warned


def _read_once(rule: str, conclusions: tuple[tuple[str, dict[str, Any]], ...],
               rules: dict[str, Rule], kb: Knowledge) -> Read:
    """One firing's decisions (a Decision but its seq), prescriptions (method and parameter,
    priority, value; their values checked) and warnings (method, pairing, lift and the message
    with its white space made single spaces)."""
    decisions: list[tuple[Any, ...]] = []
    prescribed: list[Prescribed] = []
    warnings: list[Said] = []
    priority = 0  # the rule's, looked up once a conclusion needs it
    for kind, args in conclusions:
        if kind == "assert":
            continue
        status = CONCLUSIONS.get(kind)
        if status is not None:
            if "method" in args:
                priority = priority or rules[rule].priority
                get = args.get
                decisions.append((status, rule, priority, str(args["method"]), get("pairing"),
                                  get("exercise"), get("lift"), get("reason")))
        elif kind == "prescribe":
            if "value" in args:
                priority = priority or rules[rule].priority
                key = (str(args["method"]), str(args["parameter"]))
                _check(key, args["value"], rules[rule], kb)
                prescribed.append((key, priority, args["value"],
                                   Prescription(key[1], args["value"], rule, priority, ())))
        elif kind == "warn":
            warnings.append((args.get("method"), args.get("pairing"), args.get("lift"),
                             " ".join(str(args["message"]).split())))
    return tuple(decisions), tuple(prescribed), tuple(warnings)


def _verdict(found: list[Decision], default: str) -> Verdict:
    if not found:
        return Verdict(default, None)
    if len(found) == 1:  # most candidates: one rule decided
        return Verdict(found[0].status, found[0], [], [])
    ranked = sorted(found, key=Decision.sort_key)
    winner = ranked[0]
    status = winner.status
    overridden: list[Decision] = []
    supporting: list[Decision] = []
    for d in ranked[1:]:
        (supporting if d.status == status else overridden).append(d)
    return Verdict(status, winner, overridden, supporting)


def resolve(firings: list[Firing], rules: dict[str, Rule], kb: Knowledge) -> Resolution:
    found, drawn, warned = _read(firings, rules, kb)
    # Per method: the method-wide decisions, the candidates' recommendations, and each
    # candidate's decisions, in the order found.
    per: dict[str, tuple[list[Decision], list[Decision], dict[str, list[Decision]]]] = {}
    for d in found:
        got = per.get(d.method)
        if got is None:
            got = per[d.method] = ([], [], {})
        key = d.pairing or d.exercise  # a pairing is the candidate; its exercise is detail
        if key:
            got[2].setdefault(key, []).append(d)
            if d.status == "recommended":
                got[1].append(d)
        else:
            got[0].append(d)
    candidates: dict[str, dict[str, Verdict]] = {}
    methods: dict[str, Verdict] = {}
    for method in kb.methods:
        whole, offered, keyed = per.get(method) or ([], [], {})
        mine = candidates[method] = {k: _verdict(v, "allowed") for k, v in sorted(keyed.items())}
        live = [d for d in offered if mine[str(d.pairing or d.exercise)].status == "recommended"]
        methods[method] = _verdict(whole + live, "not-now")
    return Resolution(methods, candidates, _prescriptions(drawn), _warnings(warned))


def _check(key: tuple[str, str], value: Any, rule: Rule, kb: Knowledge) -> None:
    """A prescribed value within its parameter's bounds (a value from a fact: rules check
    cannot see it, so it is checked here)."""
    problem = kb.prescription_problem(key[0], key[1], value)
    if problem:
        raise EngineError(f"{rule.file}:{rule.line}: rule '{rule.id}' prescribed "
                          f"{problem} ({key[0]} in the knowledge base)")


def _prescriptions(drawn: Drawn) -> dict[str, dict[str, Prescription]]:
    out: dict[str, dict[str, Prescription]] = {}
    for (method, parameter), options in sorted(drawn.items()):
        if len(options) == 1:  # most parameters: one rule prescribed, made when read
            out.setdefault(method, {})[parameter] = options[0][4]
            continue
        options.sort(key=lambda o: (o[0], o[1]))
        best = options[0]
        lost = tuple((o[2], o[3]) for o in options[1:] if o[3] != best[3])
        out.setdefault(method, {})[parameter] = Prescription(parameter, best[3], best[2], best[0],
                                                             lost)
    return out


def _warnings(warned: list[tuple[str, Said]]) -> list[Warning]:
    """One Warning per rule and what it said, in the order first said."""
    out: list[Warning] = []
    seen: set[tuple[str, Said]] = set()
    for said in warned:
        if said not in seen:
            seen.add(said)
            out.append(Warning(said[0], *said[1]))
    return out
