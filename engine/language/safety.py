"""Safety is never overruled by accident; prescribed values stay within the knowledge bounds."""

from __future__ import annotations

from collections.abc import Iterator

from negatives.engine.language.rulemodel import CONCLUSIONS, STATUS_RANK, Conclusion, Ref, Rule
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.yamlio import Document
from negatives.engine.model.knowledge import Method

SAFETY_TAG = "safety"


def _statuses(rule: Rule) -> list[tuple[str | None, str, frozenset[str]]]:
    """(method, status, methods excluded) of each status conclusion of `rule`.

    The method is None when it comes from a matched fact (any method, but those the matched
    pattern excludes with `name: {ne: ...}`, or the one it names with `name: ...`).
    """
    out: list[tuple[str | None, str, frozenset[str]]] = []
    for c in rule.conclusions:
        status = CONCLUSIONS.get(c.kind)
        if status is None:
            continue
        method = c.args.get("method")
        if isinstance(method, str):
            out.append((method, status, frozenset[str]()))
            continue
        named: str | None = None
        excluded: set[str] = set()
        for pattern in rule.patterns:
            if isinstance(method, Ref) and pattern.alias == method.alias \
                    and method.field == "name" and pattern.where.kind == "all":
                for test in pattern.tests():
                    if test.field == "name" and isinstance(test.value, str):
                        if test.op == "eq":
                            named = test.value
                        elif test.op == "ne":
                            excluded.add(test.value)
        out.append((named, status, frozenset(excluded)))
    return out


def could_overrule(rule: Rule, safety: Rule) -> bool:
    """`rule` draws, on a method `safety` speaks about, a less cautious status that wins.

    The lower priority number wins (resolve.py); at equal numbers the cautious status does, so
    only a strictly lower number can overrule.
    """
    if rule.priority >= safety.priority:
        return False
    for method, status, _ in _statuses(rule):
        for guarded, caution, spared in _statuses(safety):
            same = method == guarded if method and guarded else method not in spared
            if same and STATUS_RANK[status] > STATUS_RANK[caution]:
                return True
    return False


def safety_problems(located: list[tuple[Document, int, Rule]]) -> Iterator[Diagnostic]:
    """An error for each rule that could overrule a safety rule it does not declare."""
    safety = [r for _, _, r in located if SAFETY_TAG in r.tags]
    ids = {r.id for _, _, r in located}
    for doc, index, rule in located:
        for i, name in enumerate(rule.overrides):
            if name not in ids:
                yield doc.diagnostic(("rules", index, "overrides", i), f"unknown rule '{name}'",
                                     "unknown")
            elif name not in {s.id for s in safety}:
                yield doc.diagnostic(("rules", index, "overrides", i), f"'{name}' is not a "
                                     "safety rule; `overrides` names safety rules only",
                                     "override")
        if SAFETY_TAG in rule.tags:
            continue
        for guard in safety:
            if guard.id not in rule.overrides and could_overrule(rule, guard):
                yield doc.diagnostic(
                    ("rules", index, "priority"),
                    f"rule '{rule.id}' (priority {rule.priority}) would overrule safety rule "
                    f"'{guard.id}' (priority {guard.priority}, {guard.file}:{guard.line}); "
                    f"give it a priority number of {guard.priority} or more, or declare "
                    f"`overrides: [{guard.id}]` and say why in `because`", "safety")


def prescription_problems(doc: Document, c: Conclusion, method: Method) -> Iterator[Diagnostic]:
    """A literal prescribed value of the wrong type or outside the parameter's bounds."""
    param, value = c.args.get("parameter"), c.args.get("value")
    if not isinstance(param, str) or param not in method.parameters or "value" not in c.args:
        return
    if isinstance(value, Ref):
        return  # a reference: checked when the rule fires (resolve.py)
    problem = method.parameters[param].problem(value)
    if problem:
        yield doc.diagnostic((*c.path, c.kind, "value"), f"prescribed {problem} "
                             f"({method.id} in the knowledge base)", "prescription")
