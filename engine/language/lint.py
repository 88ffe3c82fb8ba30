"""Static checks of a whole rule base: contradictions, unread facts, rules that cannot fire."""

from __future__ import annotations

from itertools import combinations

from negatives.engine.language.rulemodel import CONCLUSIONS, Rule
from negatives.engine.language.rules import RuleBase
from negatives.engine.load.diagnostics import Diagnostic


def _status_targets(rule: Rule) -> dict[tuple[str, str], str]:
    """(method, subject) -> status, for conclusions with a literal method."""
    out = {}
    for c in rule.conclusions:
        status = CONCLUSIONS.get(c.kind)
        method = c.args.get("method")
        if status and isinstance(method, str):
            subject = c.args.get("pairing") or c.args.get("exercise") or ""
            out[(method, str(subject))] = status
    return out


def _at(rule: Rule, message: str, code: str, severity: str = "warning") -> Diagnostic:
    return Diagnostic(rule.file, rule.line, 5, message, severity, code)


def lint(base: RuleBase, input_facts: set[str]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    readers: dict[str, list[Rule]] = {}
    for rule in base.rules:
        for fact in rule.reads():
            readers.setdefault(fact, []).append(rule)
    for rule in base.rules:
        for fact in sorted(rule.produces()):
            if fact not in readers:
                out.append(_at(rule, f"rule '{rule.id}' asserts '{fact}', which no rule reads",
                               "unread-fact"))
    for a, b in combinations(base.rules, 2):
        if a.priority != b.priority:
            continue
        ta, tb = _status_targets(a), _status_targets(b)
        for key in sorted(set(ta) & set(tb)):
            if ta[key] != tb[key]:
                subject = f" ({key[1]})" if key[1] else ""
                out.append(_at(b, f"rules '{a.id}' ({a.file}:{a.line}) and '{b.id}' have the "
                                  f"same priority {a.priority} and conclude {ta[key]} vs "
                                  f"{tb[key]} for {key[0]}{subject}; give one a lower number "
                                  "so it wins", "contradiction"))
    # Reachability: a rule can fire once every fact it needs can exist; what it asserts then can
    # exist too. Rules never reached wait for nothing, or for each other (a cycle).
    possible = set(input_facts)
    live: set[str] = set()
    changed = True
    while changed:
        changed = False
        for rule in base.rules:
            needs = {p.fact for p in rule.patterns if not p.negated}
            if rule.id not in live and needs <= possible:
                live.add(rule.id)
                possible |= rule.produces()
                changed = True
    producers: dict[str, list[str]] = {}
    for rule in base.rules:
        for fact in rule.produces():
            producers.setdefault(fact, []).append(rule.id)
    for rule in base.rules:
        if rule.id in live:
            continue
        for p in rule.patterns:
            if p.negated or p.fact in possible:
                continue
            if p.fact in producers:
                why = (f"'{p.fact}' comes only from rules that can never fire "
                       f"({', '.join(producers[p.fact])})")
            else:
                why = f"nothing produces '{p.fact}'"
            out.append(_at(rule, f"rule '{rule.id}' can never fire: {why}", "never-fires",
                           "error"))
            break
    return out
