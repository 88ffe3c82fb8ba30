"""resolve gives what a straightforward reading of the same conclusions gives (the oracle here)."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from negatives.engine.infer.resolve import (
    Decision,
    Prescription,
    Resolution,
    Verdict,
    Warning,
    resolve,
)
from negatives.engine.infer.runtime import Firing, Fixed
from negatives.engine.language.rulemodel import CONCLUSIONS, STATUS_RANK, Rule
from negatives.engine.model.knowledge import Knowledge
from tests.conftest import budget
from tests.engine.test_properties import KB, WS

RULES = WS.compiled.rules
RULE_IDS = sorted(RULES)


def reference(firings: list[Firing], rules: dict[str, Rule], kb: Knowledge) -> Resolution:
    """Every conclusion read in turn; each verdict ranked from all of its decisions."""
    decisions: list[Decision] = []
    drawn: dict[tuple[str, str], list[tuple[int, int, str, Any]]] = {}
    warnings: list[Warning] = []
    for seq, rule, _, conclusions in firings:
        priority = rules[rule].priority
        for kind, args in conclusions:
            status = CONCLUSIONS.get(kind)
            if status is not None and "method" in args:
                decisions.append(Decision(status, rule, priority, str(args["method"]),
                                          args.get("pairing"), args.get("exercise"),
                                          args.get("lift"), args.get("reason"), seq))
            elif kind == "prescribe" and "value" in args:
                drawn.setdefault((str(args["method"]), str(args["parameter"])), []).append(
                    (priority, seq, rule, args["value"]))
            elif kind == "warn":
                said = Warning(rule, args.get("method"), args.get("pairing"), args.get("lift"),
                               " ".join(str(args["message"]).split()))
                if said not in warnings:
                    warnings.append(said)

    def verdict(found: list[Decision], default: str) -> Verdict:
        if not found:
            return Verdict(default, None)
        ranked = sorted(found, key=lambda d: (d.priority, STATUS_RANK[d.status], d.seq))
        won = ranked[0]
        return Verdict(won.status, won, [d for d in ranked[1:] if d.status != won.status],
                       [d for d in ranked[1:] if d.status == won.status])

    def candidate(d: Decision) -> str | None:
        return d.pairing or d.exercise

    methods: dict[str, Verdict] = {}
    candidates: dict[str, dict[str, Verdict]] = {}
    for method in kb.methods:
        mine = [d for d in decisions if d.method == method]
        names = sorted({str(candidate(d)) for d in mine if candidate(d)})
        candidates[method] = {n: verdict([d for d in mine if candidate(d) == n], "allowed")
                              for n in names}
        live = [d for d in mine if d.status == "recommended" and candidate(d)
                and candidates[method][str(candidate(d))].status == "recommended"]
        methods[method] = verdict([d for d in mine if not candidate(d)] + live, "not-now")
    prescriptions: dict[str, dict[str, Prescription]] = {}
    for (method, parameter), options in sorted(drawn.items()):
        ranked = sorted(options, key=lambda o: (o[0], o[1]))
        best = ranked[0]
        prescriptions.setdefault(method, {})[parameter] = Prescription(
            parameter, best[3], best[2], best[0],
            tuple((o[2], o[3]) for o in ranked[1:] if o[3] != best[3]))
    return Resolution(methods, candidates, prescriptions, warnings)


_MAYBE = {"pairing": [None, "p1", "p2"], "exercise": [None, "e1", "e2"],
          "lift": [None, "squat"], "reason": [None, "why"]}


@st.composite
def conclusion(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    kind = draw(st.sampled_from(["recommend", "allow", "not-now", "block", "assert", "warn",
                                 "prescribe"]))
    args: dict[str, Any] = {}
    if kind == "prescribe" or draw(st.integers(0, 9)):  # a decision, now and then, of none
        args["method"] = draw(st.sampled_from([*sorted(KB.methods), "no-such-method"]))
    if kind == "assert":
        return kind, {"fact": "x", "n": draw(st.integers(0, 3))}
    if kind == "prescribe":  # parameters the knowledge lacks: any value passes the check
        args["parameter"] = draw(st.sampled_from(["q1", "q2"]))
        if draw(st.integers(0, 5)):
            args["value"] = draw(st.integers(0, 3))
        return kind, args
    for name, values in _MAYBE.items():
        value = draw(st.sampled_from(values))
        if value is not None:
            args[name] = value
    if kind == "warn":
        args["message"] = draw(st.sampled_from(["a  b", " a b\n", "c", "a\tb "]))
    return kind, args


@st.composite
def firings(draw: st.DrawFn) -> list[Firing]:
    out: list[Firing] = []
    shared: dict[str, Fixed] = {}  # one Fixed per rule: as one expansion's firings share it
    for seq in range(draw(st.integers(0, 14))):
        rule = draw(st.sampled_from(RULE_IDS[:12]))
        said = tuple(draw(st.lists(conclusion(), max_size=3)))
        if draw(st.booleans()):
            said = shared.setdefault(rule, Fixed(said))
        out.append(Firing(seq, rule, {}, said))
    return out


_METHOD = sorted(KB.methods)[0]
_TIED = [Firing(0, RULE_IDS[0], {}, (("recommend", {"method": _METHOD}),
                                     ("recommend", {"method": _METHOD, "pairing": "p1"})))]


@settings(max_examples=budget(400, 150), deadline=None)
@given(firings())
@example(_TIED)  # one firing: a method-wide and a candidate's recommendation tie; the first wins
def test_resolve_reads_the_conclusions_as_the_straightforward_reading_does(
        fired: list[Firing]) -> None:
    assert resolve(fired, RULES, KB) == reference(fired, RULES, KB)
    assert resolve(fired, RULES, KB) == reference(fired, RULES, KB)  # Fixed: read once, kept


def test_the_oracle_tells_a_tie_broken_the_other_way() -> None:
    # Two blocks at one priority: the earlier firing wins and the later supports it.
    rule = RULE_IDS[0]
    method = sorted(KB.methods)[0]
    fired = [Firing(i, rule, {}, (("block", {"method": method, "pairing": "p1"}),))
             for i in range(2)]
    got = resolve(fired, RULES, KB).candidates[method]["p1"]
    assert got.winner is not None and got.winner.seq == 0 and got.supporting[0].seq == 1
    assert reference(fired, RULES, KB) == resolve(fired, RULES, KB)
    flipped = Resolution(**{**vars(reference(fired, RULES, KB))})
    flipped.candidates[method]["p1"] = Verdict("blocked", got.supporting[0], [], [got.winner])
    assert flipped != resolve(fired, RULES, KB)
