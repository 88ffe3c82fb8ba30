"""The advise rule base partially evaluated against the knowledge: what driver.py runs."""

from __future__ import annotations

from typing import Any

from negatives.engine.infer.merge import _canon, _flat, _plan, expansion, merge
from negatives.engine.infer.partial import Entry, Joiner, Residual, Unsupported
from negatives.engine.infer.partialdata import ABSENT, Partial, unpack
from negatives.engine.infer.universe import Known, universe
from negatives.engine.language.compiler import START_FACT, START_RULE, Compiled
from negatives.engine.language.partition import partition
from negatives.engine.language.rulemodel import Ref
from negatives.engine.model.knowledge import Knowledge

CAP = 1000  # frames one action takes at most (durable_rules' `cap`): one action per rule pass


def _types(terms: list[dict[str, Any]]) -> set[str]:
    return {str(p["$and"][0]["type"]) for term in terms for p in term.values()}


def _walk(x: Any, mine: set[str], types: dict[str, str], out: dict[str, set[str]]) -> None:
    """Add the fields a durable condition reads to `mine` (its own fact type's set)."""
    if isinstance(x, list):
        for item in x:
            _walk(item, mine, types, out)
    elif isinstance(x, dict):
        for k, v in x.items():
            if k.startswith("$"):
                _walk(v, mine, types, out)
                continue
            mine.add(k.split(".")[0])
            if isinstance(v, dict):  # a reference {alias: field}
                ((alias, field),) = v.items()
                out.setdefault(types[alias], set()).add(str(field).split(".")[0])


def _fields(definition: dict[str, Any]) -> dict[str, list[str]]:
    """Per fact type, the top-level fields some pattern reads: all a session fact needs."""
    out: dict[str, set[str]] = {}
    for rule in definition.values():
        types = {a: p["$and"][0]["type"] if "$and" in p else p["type"]
                 for term in rule["all"] for a, p in term.items()}
        for term in rule["all"]:
            for alias, pattern in term.items():
                _walk(pattern, out.setdefault(types[alias], set()), types, out)
    return {t: sorted(fs | {"type"}) for t, fs in out.items()}


def _join(compiled: Compiled, known: list[Known], static: frozenset[str]
          ) -> tuple[list[Residual], list[Residual]]:
    joiner = Joiner(known, static)
    residuals: list[Residual] = []
    start: list[Residual] = []
    for rule in compiled.rules.values():
        for r in joiner.residuals(rule, compiled.strata[rule.id]):
            (residuals if r.entries else start).append(r)
    return residuals, start


def _absences(residuals: list[Residual], produced: set[str]) -> list[list[Any]]:
    """Turn `no <fact> with these constants` into a test for a `<fact>$absent` fact.

    Only for facts no rule concludes: every one of them is in the session from the start, so
    whether one with these values is missing is known before any rule fires, and the rule needs
    no stage. Such rules then merge like any other (their constants are equality tests).
    """
    specs: dict[tuple[str, tuple[str, ...]], dict[str, list[Any]]] = {}
    for r in residuals:
        for i, e in enumerate(r.entries):
            tests = _flat(e.where) if e.negated and e.fact not in produced else None
            if not tests or any(t.op != "eq" or isinstance(t.value, Ref) or "." in t.field
                                for t in tests):
                continue
            fields = tuple(t.field for t in tests)
            if len(set(fields)) != len(fields):
                continue
            values = [t.value for t in tests]
            specs.setdefault((e.fact, fields), {})[repr([_canon(v) for v in values])] = values
            r.entries[i] = Entry(f"_a{i}", e.fact + ABSENT, False, e.where)
    return [[fact, list(fields), list(values.values())]
            for (fact, fields), values in sorted(specs.items())]


def _texts(residuals: list[Residual], inputs: set[str]) -> set[tuple[str, str]]:
    """(fact type, field) pairs whose every value is a text constant once the rules are joined
    with the knowledge: each rule that concludes the type sets the field to a text that does not
    depend on the session, and no input file gives facts of the type."""
    made = [(r, c) for r in residuals for c in r.rule.conclusions if c.fact is not None]
    fields: dict[str, set[str]] = {}
    for _, c in made:
        fields.setdefault(str(c.fact), set()).update(c.args)
    text = {(t, f): t not in inputs for t, fs in fields.items() for f in fs}
    for r, c in made:
        for f in fields[str(c.fact)]:  # a field a conclusion leaves out is missing there
            plan = _plan(c.args[f], r) if f in c.args else None
            if plan is None or plan[0] != 0 or not isinstance(plan[1], str):
                text[(str(c.fact), f)] = False
    return {pair for pair, ok in text.items() if ok}


def _guards(residuals: list[Residual], produced: set[str], texts: set[tuple[str, str]]
            ) -> set[str]:
    """Turn `no <derived fact> with field = "text"` into a guard the driver checks in Python.

    A negated derived fact type is complete before the rule's stage fact arrives (the rules are
    stratified), so when a firing is drawn, whether such a fact exists is already settled. Out
    of the durable pattern, the negation no longer tells rules apart that differ only in its
    constants: they merge, and a derived type only negations read is no longer sent to the C
    core at all. Only equality tests with a text constant on a field that holds only text
    constants qualify (`texts`): there durable_rules' equality is Python's (between a number and
    a text, or two numbers of different types, it is not), and a rule keeps at least one
    pattern. Returns the guarded fact types.
    """
    guarded: set[str] = set()
    for r in residuals:
        keep: list[Entry] = []
        guards: list[list[Any]] = []
        for e in r.entries:
            tests = _flat(e.where) if e.negated and e.fact in produced else None
            if tests and all(t.op == "eq" and isinstance(t.value, str) and
                             (e.fact, t.field) in texts for t in tests):
                guards.append([e.fact, [[t.field, t.value] for t in tests]])
            else:
                keep.append(e)
        if guards and any(not e.negated for e in keep):  # a rule keeps a positive pattern
            r.entries[:] = keep
            r.guards += guards
            guarded.update(g[0] for g in guards)
    return guarded


def prepare(compiled: Compiled, kb: Knowledge) -> Partial:
    """Join the knowledge into the rules, merge them, spread them over rulesets."""
    known = universe(kb)
    produced = {f for r in compiled.rules.values() for f in r.produces()}
    static = {k.fact["type"] for k in known} - produced
    while True:
        try:
            residuals, start = _join(compiled, known, frozenset(static))
            break
        except Unsupported as err:
            static.discard(err.fact)
    absent = _absences(residuals, produced)
    guarded = _guards(residuals, produced, _texts([*residuals, *start], set(kb.facts)))
    facts: dict[str, tuple[int, dict[str, Any]]] = {}
    groups = merge(residuals, facts)
    starts = [expansion(r, facts) for r in start]
    definition: dict[str, Any] = {
        START_RULE: {"all": [{"_m": {"type": START_FACT}}], "pri": 0, "cap": CAP}}
    for g, terms in groups:
        definition[g.name] = {"all": terms, "pri": g.priority, "cap": CAP}
    first = {g.name: unpack(next(iter(g.table.values())))[0].rule for g, _ in groups}
    located = {name: f"{compiled.rules[rid].file}:{compiled.rules[rid].line}: rule '{rid}'"
               for name, rid in first.items()}
    parts = [list(p) for p in partition(definition, frozenset({START_RULE}), located)]
    reads = [sorted({START_FACT} | {t for n in part for t in _types(definition[n]["all"])})
             for part in parts]
    read = {t for r in reads for t in r}
    return Partial(
        name=f"{compiled.name}-pe",
        definition=definition, parts=parts, reads=reads,
        groups={g.name: g for g, _ in groups},
        start=starts,
        static=sorted(static),
        facts=[f for _, f in sorted(facts.values(), key=lambda x: x[0])],
        known=[k for k in known if k.fact["type"] not in static],
        fields=_fields(definition),
        derived_read=sorted(produced & read),
        max_stratum=compiled.max_stratum,
        priority={rid: r.priority for rid, r in compiled.rules.items()},
        absent=absent,
        guarded=sorted(guarded),
    )
